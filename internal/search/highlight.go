package search

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// highlighter marks the searched words in a result's text. It escapes all the
// text it returns; the only markup it adds is <mark>…</mark>.
type highlighter struct {
	re *regexp.Regexp
}

// stemLen is how much of a word must match: "paid" marks "pay", "trafficking"
// marks "trafficked".
const stemLen = 4

func newHighlighter(words []string) highlighter {
	var alts []string
	seen := map[string]bool{}
	for _, phrase := range words {
		for _, w := range strings.Fields(phrase) {
			w = strings.Trim(w, `-"'.,;:!?¿¡()`)
			if utf8.RuneCountInString(w) < 3 {
				continue
			}
			if r := []rune(w); len(r) > stemLen+1 {
				w = string(r[:stemLen+1])
			}
			if lw := strings.ToLower(w); !seen[lw] {
				seen[lw] = true
				alts = append(alts, regexp.QuoteMeta(lw))
			}
		}
	}
	if len(alts) == 0 {
		return highlighter{}
	}
	return highlighter{re: regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])((?:` + strings.Join(alts, "|") + `)[\p{L}\p{N}]*)`)}
}

// snippetRunes is about how long a snippet is.
const snippetRunes = 220

// snippet returns escaped HTML: a stretch of body around the first match, with
// matches marked; or, when nothing matches, the start of the summary or body.
func (h highlighter) snippet(body, summary string) string {
	text := strings.Join(strings.Fields(body), " ")
	var first []int
	if h.re != nil {
		first = h.re.FindStringSubmatchIndex(text)
	}
	if first == nil {
		if summary != "" {
			return html.EscapeString(summary)
		}
		return html.EscapeString(cut(text, 0, snippetRunes))
	}
	start := backToWord(text, first[2], snippetRunes/3)
	end := forwardToWord(text, start, snippetRunes)
	var b strings.Builder
	if start > 0 {
		b.WriteString("… ")
	}
	pos := start
	// Only the snippet's own stretch is searched for more matches.
	for _, l := range h.re.FindAllStringSubmatchIndex(text[start:end], -1) {
		ms, me := start+l[2], start+l[3]
		if ms < pos {
			continue
		}
		b.WriteString(html.EscapeString(text[pos:ms]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[ms:me]))
		b.WriteString("</mark>")
		pos = me
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
