package check

import (
	"strings"
	"testing"

	"northstar/internal/site"
)

// TestTranslationTable prints a row per page other languages see: translated,
// stale (get-help.es.md names an old digest, old-line.es.md none) or fallback.
// English-only pages are counted, not listed.
func TestTranslationTable(t *testing.T) {
	rep, err := contentAt("testdata/broken", today)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := rep.WriteTranslations(&b); err != nil {
		t.Fatal(err)
	}
	want := `Translations:
page                           es          so
content/_index.md              translated  translated
content/get-help.md            stale       fallback
content/help/clash.md          fallback    fallback
content/help/other.md          stale       fallback
content/internal.md            fallback    fallback
content/resources/old-line.md  stale       fallback
content/untitled.md            fallback    fallback
total translated               1/7         1/7
fallback: readers get the English page with a notice. stale: the English changed since; see the warnings above.
Not listed: 6 English-only pages (staff training, english_only: true).
`
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestSourceDigest covers the English body only, as a trainer sees it: front
// matter, line endings and space around the text do not count.
func TestSourceDigest(t *testing.T) {
	digest := func(src string) string {
		p := site.Page{Source: []byte(src)}
		p.BodyLine = strings.Count(src[:strings.Index(src, "Call")], "\n") + 1
		return sourceDigest(p)
	}
	base := digest("---\ntitle: Help\n---\nCall 911.\n\nOr text.\n")
	for _, src := range []string{
		"---\ntitle: Help now\ndescription: Changed.\n---\nCall 911.\n\nOr text.\n",
		"---\r\ntitle: Help\r\n---\r\nCall 911.\r\n\r\nOr text.\r\n",
		"---\ntitle: Help\n---\nCall 911.\n\nOr text.\n\n\n",
	} {
		if got := digest(src); got != base {
			t.Errorf("digest of %q = %s, want %s as for the same body", src, got, base)
		}
	}
	if got := digest("---\ntitle: Help\n---\nCall 911 now.\n\nOr text.\n"); got == base {
		t.Error("a changed body kept its digest")
	}
	if len(base) != 8 || strings.Trim(base, "0123456789abcdef") != "" {
		t.Errorf("digest %q is not 8 hex digits", base)
	}
}

// TestTranslatedFromAsWritten reads the digest as written, whatever YAML would
// make of it.
func TestTranslatedFromAsWritten(t *testing.T) {
	for _, line := range []string{
		`translated_from: "1234e567"`,
		`translated_from: 1234e567`,
		`translated_from: '1234e567'  # after the March update`,
		`translated_from = "1234e567"`,
	} {
		p := site.Page{Source: []byte("---\ntitle: T\n" + line + "\n---\nBody.\n"), BodyLine: 5}
		if got, ok := frontMatterValue(p, translatedFromKey); !ok || got != "1234e567" {
			t.Errorf("%s: read %q, %v", line, got, ok)
		}
	}
}
