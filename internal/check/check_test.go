package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// today is the date the tests check as of, so entries age predictably.
var today = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func findings(t *testing.T, root string) []string {
	t.Helper()
	rep, err := contentAt(root, today)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.String())
	}
	return got
}

// TestBrokenSite runs every check against a site with known problems.
func TestBrokenSite(t *testing.T) {
	got := findings(t, "testdata/broken")
	want := []string{
		"content/_index.md:5: link /nowhere/ leads to no page",
		`content/get-help.es.md:3: front matter "description" must be non-empty text`,
		"content/get-help.md:7: link signs/ is relative: write it from the site root, like /get-help/",
		"content/get-help.md:13: link /also-missing/ leads to no page",
		"content/internal.md:1: not translated into Español (es): add content/internal.es.md, or set english_only: true in the front matter",
		"content/internal.md:4: english_only must be true or false",
		"content/orphan.es.md:1: translation of a page that does not exist: add content/orphan.md or remove this file",
		`content/resources/no-source.md:1: missing front matter "source" (every service entry needs name, summary, services, last_verified, source)`,
		"content/resources/old-line.es.md:5: last_verified 2030-01-01 is in the future",
		`content/resources/old-line.md:4: unknown services term "therapy": use one of hotline, legal-help (config.toml, params.directory)`,
		"content/resources/old-line.md:5: populations must be a non-empty list, like [everyone]",
		`content/resources/old-line.md:6: phone "(612) 555 0100" is not written like 612-673-3012, 1-888-373-7888 or 911`,
		"content/resources/old-line.md:8: open_24_7 must be true or false",
		"content/resources/old-line.md:9: warning: last verified 2024-01-15, over 12 months ago: check the entry against its source again",
		`content/resources/old-line.md:11: unknown front matter "colour" for a service entry`,
		`content/training/mod-a/_index.md:6: quiz "missing-quiz" does not exist: add quizzes/missing-quiz.yaml`,
		`content/training/mod-b/_index.md:1: a training module needs "minutes": about how long it takes, a whole number`,
		`content/training/mod-b/_index.md:1: a training module needs "audience": a list of departments, or [all]`,
		`content/untitled.md:1: missing front matter "title" (the page heading and browser title)`,
		"content/untitled.md:1: not translated into Español (es): add content/untitled.es.md, or set english_only: true in the front matter",
		"quizzes/bad-quiz.yaml:2: pass_mark 0 is out of range: use a percentage from 1 to 100",
		`quizzes/bad-quiz.yaml:5: explanation of question "q" must name a lesson of module "mod-b", like "See: intro" (lessons: intro)`,
		`quizzes/bad-quiz.yaml:9: question "q" has no correct option`,
		`quizzes/stray.yaml:1: warning: no training module uses quiz "stray": name it in a module's quiz: front matter`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestUnparsableFrontMatter points at the line inside the front matter.
func TestUnparsableFrontMatter(t *testing.T) {
	root := t.TempDir()
	cfg, err := os.ReadFile("testdata/broken/config.toml")
	if err != nil {
		t.Fatal(err)
	}
	themes, _ := filepath.Abs("../../themes")
	cfg = []byte(strings.Replace(string(cfg), `themesDir = "../../../../themes"`, "themesDir = \""+themes+"\"", 1))
	files := map[string]string{
		"config.toml":          string(cfg),
		"content/_index.md":    "---\ntitle: Home\ndescription: Home.\n---\n",
		"content/_index.es.md": "---\ntitle: Inicio\ndescription: Inicio.\n---\n",
		"content/bad.md":       "---\ntitle: Fine\ndescription: [unclosed\n---\n",
		"content/bad.es.md":    "---\ntitle: Bien\ndescription: Bien.\n---\n",
	}
	for name, body := range files {
		p := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := findings(t, root)
	want := "content/bad.md:3: front matter does not parse: sequence end token ']' not found"
	if len(got) != 1 || got[0] != want {
		t.Errorf("findings %q, want [%q]", got, want)
	}
}

// TestShippedSitePasses keeps the repository's own content publishable.
func TestShippedSitePasses(t *testing.T) {
	rep, err := contentAt("../..", today)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Severity == Error {
			t.Error(f)
		}
	}
}
