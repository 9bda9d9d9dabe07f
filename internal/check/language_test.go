package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"northstar/internal/site"
)

func TestFindTerms(t *testing.T) {
	entry := &reviewEntry{}
	var terms []reviewTerm
	for _, w := range []string{"prostitute", "child prostitute", "pimp", "prostitución", "rescued", "illegal immigrant"} {
		terms = append(terms, reviewTerm{re: termPattern(w), entry: entry})
	}
	for _, c := range []struct {
		text string
		want []string
	}{
		{"a prostitute", []string{"prostitute"}},
		{"Prostitutes and PIMPS", []string{"Prostitutes", "PIMPS"}},
		{"two child  prostitutes", []string{"child prostitutes"}},
		{"an illegal\timmigrant", []string{"illegal immigrant"}},
		{"'pimp'", []string{"pimp"}},
		{"pimple, pimped, unrescued, prostitutely", nil},
		{"la prostitución.", []string{"prostitución"}},
		{"víctima", nil},
	} {
		var got []string
		for _, h := range findTerms(c.text, terms) {
			got = append(got, h.text)
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("findTerms(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestMarkers(t *testing.T) {
	hit := termHit{text: "Pimps", entry: &reviewEntry{Avoid: []string{"pimp"}}}
	for _, c := range []struct {
		line string
		ok   bool
	}{
		{`A "pimp" here.`, false},
		{`A "pimp" here. <!-- language-ok -->`, true},
		{`A "pimp" here. <!--language-ok: hooker, PIMP-->`, true},
		{`A "pimp" here. <!-- language-ok: pimps -->`, true},
		{`A "pimp" here. <!-- language-ok: hooker -->`, false},
		{"A \"pimp\" and `<!-- language-ok -->` in code.", false},
	} {
		line := codeSpan.ReplaceAllStringFunc(c.line, blank) // as bodyLines gives it
		if got := isAllowed(hit, allowed(markdownMarker, line)); got != c.ok {
			t.Errorf("%s: allowed %v, want %v", c.line, got, c.ok)
		}
	}
	for _, c := range []struct {
		line string
		ok   bool
	}{
		{`    text: "'pimp'"  # language-ok: pimp`, true},
		{`    text: "'pimp'"  # language-ok`, true},
		{`    text: "'pimp' # language-ok"`, false},
		{`    text: "'pimp'"`, false},
	} {
		if got := isAllowed(hit, allowed(yamlMarker, c.line)); got != c.ok {
			t.Errorf("%s: allowed %v, want %v", c.line, got, c.ok)
		}
	}
}

// TestMarkersAreNotPublished builds the test site: goldmark drops the HTML
// comments that allow a word, so readers never see them.
func TestMarkersAreNotPublished(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if _, err := site.Build(site.Options{Root: "testdata/broken", OutDir: out}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "words", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	if !strings.Contains(page, "my pimp took my phone") {
		t.Fatalf("the quoted line is not on the page:\n%s", page)
	}
	if strings.Contains(page, "language-ok") {
		t.Errorf("a language-ok marker is published:\n%s", page)
	}
}

// TestShippedReviewList keeps the repository's list readable, with English and
// Spanish words, so TestShippedSitePasses reviews something.
func TestShippedReviewList(t *testing.T) {
	cfg, err := site.LoadConfig("../..")
	if err != nil {
		t.Fatal(err)
	}
	var r Report
	terms, err := loadReview(&r, "../..", cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Findings {
		t.Error(f)
	}
	for _, lang := range []string{"en", "es"} {
		if len(terms[lang]) < 5 {
			t.Errorf("%d words to review in %s, want the list's", len(terms[lang]), lang)
		}
	}
}
