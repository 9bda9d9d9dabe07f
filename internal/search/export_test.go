package search

// SnippetForTest exposes the highlighter to the black-box tests.
func SnippetForTest(words []string, body, summary string) string {
	return newHighlighter(words).snippet(body, summary)
}
