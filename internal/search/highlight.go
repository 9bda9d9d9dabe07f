package search

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// highlighter marks the searched words in a result's text. It escapes all the
// text it returns; the only markup it adds is <mark>…</mark>.
type highlighter struct {
	stems []string // lower case
}

// stemLen is how much of a longer word must match: "paid" marks "pay",
// "trafficking" marks "trafficked".
const stemLen = 5

func newHighlighter(words []string) highlighter {
	var h highlighter
	seen := map[string]bool{}
	for _, phrase := range words {
		for _, w := range strings.FieldsFunc(phrase, notWordRune) {
			if utf8.RuneCountInString(w) < 3 {
				continue
			}
			if r := []rune(w); len(r) > stemLen {
				w = string(r[:stemLen])
			}
			if lw := strings.ToLower(w); !seen[lw] {
				seen[lw] = true
				h.stems = append(h.stems, lw)
			}
		}
	}
	return h
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }

func (h highlighter) matches(word string) bool {
	lw := strings.ToLower(word)
	for _, s := range h.stems {
		if strings.HasPrefix(lw, s) {
			return true
		}
	}
	return false
}

// nextWord finds the next word at or after i: its start and end, or -1.
func nextWord(s string, i int) (int, int) {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !notWordRune(r) {
			break
		}
		i += size
	}
	if i >= len(s) {
		return -1, -1
	}
	start := i
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if notWordRune(r) {
			break
		}
		i += size
	}
	return start, i
}

// snippetRunes is about how long a snippet is.
const snippetRunes = 220

// snippet returns escaped HTML: a stretch of body around the first match, with
// matches marked; or, when nothing matches, the summary or the start of the body.
func (h highlighter) snippet(body, summary string) string {
	text := strings.Join(strings.Fields(body), " ")
	first := -1
	if len(h.stems) > 0 {
		for ws, we := nextWord(text, 0); ws >= 0; ws, we = nextWord(text, we) {
			if h.matches(text[ws:we]) {
				first = ws
				break
			}
		}
	}
	if first < 0 {
		if summary != "" {
			return html.EscapeString(summary)
		}
		return html.EscapeString(cut(text, 0, snippetRunes))
	}
	start := backToWord(text, first, snippetRunes/3)
	end := forwardToWord(text, start, snippetRunes)
	var b strings.Builder
	if start > 0 {
		b.WriteString("… ")
	}
	pos := start
	for ws, we := nextWord(text, start); ws >= 0 && we <= end; ws, we = nextWord(text, we) {
		if !h.matches(text[ws:we]) {
			continue
		}
		b.WriteString(html.EscapeString(text[pos:ws]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[ws:we]))
		b.WriteString("</mark>")
		pos = we
	}
	b.WriteString(html.EscapeString(text[pos:end]))
	if end < len(text) {
		b.WriteString(" …")
	}
	return b.String()
}

// backToWord steps back about n runes from i, to the start of a word.
func backToWord(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsSpace(r) {
			break
		}
		i -= size
	}
	return i
}

// forwardToWord steps about n runes on from i, to the end of a word.
func forwardToWord(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i
}

func cut(s string, start, n int) string {
	end := forwardToWord(s, start, n)
	if end < len(s) {
		return s[start:end] + " …"
	}
	return s[start:end]
}
