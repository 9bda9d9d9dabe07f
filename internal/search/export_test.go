package search

// SnippetForTest exposes the highlighter to the black-box tests.
func SnippetForTest(words []string, body, summary string) string {
	return newHighlighter(words).snippet(body, summary)
}

// GivesMinorAgeForTest exposes the age reading to the black-box tests.
func GivesMinorAgeForTest(text string) bool { return givesMinorAge(plainWords(text)) }
