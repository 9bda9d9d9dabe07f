package search

// SnippetForTest exposes the highlighter to the black-box tests.
func SnippetForTest(words []string, body, summary string) string {
	return newHighlighter(words).snippet(body, summary)
}

// GivesMinorAgeForTest exposes the age reading to the black-box tests.
func GivesMinorAgeForTest(text string) bool { return givesMinorAge(plainWords(text)) }

// SignalsForTest exposes the signals a search carries.
func SignalsForTest(text string) map[string]bool { return signalsOf(readWords(text)) }

// ReadWordsForTest exposes the words needs read.
func ReadWordsForTest(text string) []string { return readWords(text) }

// BeliefsForTest is the need model's belief in each need, by slug.
func BeliefsForTest(ix *Index, text string) map[string]float64 {
	out := map[string]float64{}
	for i, p := range ix.needs.model.beliefs(readSearch(readWords(text), ix.needs.lex)) {
		out[ix.needs.needs[i].slug] = p
	}
	return out
}

// ConceptsForTest exposes the concepts a search names.
func ConceptsForTest(text string) []string { return conceptsOf(readWords(text), nil) }

// ConceptsInForTest is the concepts a search names as ix's needs read them.
func ConceptsInForTest(ix *Index, text string) []string {
	return conceptsOf(readWords(text), ix.needs.lex)
}

// NamedForTest is the entries among docs that text names.
func NamedForTest(docs []Doc, text string) []string { return namesOf(docs).named(plainWords(text)) }
