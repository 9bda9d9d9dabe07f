package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// today is the date the tests check as of, so entries age predictably.
var today = time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)

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
		`content/_index.es.md:8: warning: "prostitución infantil": consider "explotación sexual comercial de menores" (survivor-centered language, Framework goal 5.6); if you quote it on purpose, add <!-- language-ok: prostitución infantil --> to the line`,
		`content/_index.es.md:8: warning: "prostitución": consider "comercio sexual" (survivor-centered language, Framework goal 5.6); if you quote it on purpose, add <!-- language-ok: prostitución --> to the line`,
		"content/_index.md:5: link /nowhere/ leads to no page",
		`content/get-help.es.md:3: front matter "description" must be non-empty text`,
		`content/get-help.es.md:4: warning: stale: content/get-help.md changed since this translation was made; update the translation, then set translated_from: "fb3ec2e4"`,
		"content/get-help.md:7: link signs/ is relative: write it from the site root, like /get-help/",
		"content/get-help.md:13: link /also-missing/ leads to no page",
		"content/help/clash.md:1: not translated into Espa\u00f1ol (es): add content/help/clash.es.md, or set english_only: true in the front matter",
		`content/help/clash.md:4: area "nowhere": use one of crisis, work, sex, youth, violence, legal, immigration, basic-needs, reporting`,
		"content/help/clash.md:5: crisis must be true or false",
		`content/help/clash.md:6: speaker "me": self (it is happening to the writer) or other (the writer is worried for someone); leave it out for either`,
		`content/help/clash.md:7: unknown directory entry "missing-entry": no content/resources/missing-entry.md`,
		"content/help/clash.md:8: this page states facts that held until 2026-11-01: update them from facts.md (or remove them), then move valid_until",
		"content/help/clash.md:9: 3 phrases in en, want at least 25: the ways residents say this situation, misspellings and text-speak included",
		`content/help/clash.md:10: warning: phrase "boss took my papers" is listed twice`,
		`content/help/clash.md:12: phrase "???" has no words`,
		"content/help/clash.md:13: minor must be true or false",
		`content/help/clash.md:14: escalate: minor: "other" is not a crisis need in content/help/ (crisis: true)`,
		`content/help/clash.md:14: escalate: unknown signal "soon": use minor, minor-other, now, past, recent`,
		`content/help/clash.md:15: told_by: "violence + tomorrow": unknown part "tomorrow": use confine, drugged, drunk, dying, family, minor, minor-other, night, now, other, past, recent, secret, self, selling, sexual, shelter, stranger, violence, weapon`,
		`content/help/clash.md:15: told_by: " + " names no parts`,
		`content/help/other.es.md:1: warning: stale: no translated_from says which version of content/help/other.md this translates; bring it up to date, then add translated_from: "a0c99c9b" to the front matter`,
		"content/help/other.es.md:6: a need lists its directory entries as directory: [...], not services: (that is the directory's own list of kinds of service)",
		"content/help/other.es.md:7: 1 phrases in es, want at least 15: the ways residents say this situation, misspellings and text-speak included",
		"content/help/other.md:7: warning: this page states facts that hold until 2026-12-20: check facts.md for the new ones before then",
		"content/help/other.md:8: 2 phrases in en, want at least 25: the ways residents say this situation, misspellings and text-speak included",
		`content/help/other.md:9: phrase "Boss took my papers!" is also a phrase of content/help/clash.md (line 10): a search could not tell the two needs apart; keep it in one`,
		"content/internal.md:1: not translated into Español (es): add content/internal.es.md, or set english_only: true in the front matter",
		"content/internal.md:4: english_only must be true or false",
		"content/language-review.yaml:15: an entry needs why: one line on why the words are listed",
		`content/language-review.yaml:25: unknown language "fr": use one of en, es, so (config.toml, languages)`,
		"content/orphan.es.md:1: translation of a page that does not exist: add content/orphan.md or remove this file",
		"content/resources:1: a search that matches nothing shows emergency-911, national-human-trafficking-hotline, 988-lifeline, united-way-211, but content/resources/ has no such entries",
		`content/resources/no-source.md:1: missing front matter "source" (every service entry needs name, summary, services, last_verified, source)`,
		`content/resources/old-line.es.md:1: warning: stale: no translated_from says which version of content/resources/old-line.md this translates; bring it up to date, then add translated_from: "521b25cc" to the front matter`,
		"content/resources/old-line.es.md:5: last_verified 2030-01-01 is in the future",
		`content/resources/old-line.md:4: unknown services term "therapy": use one of hotline, legal-help (config.toml, params.directory)`,
		"content/resources/old-line.md:5: populations must be a non-empty list, like [everyone]",
		`content/resources/old-line.md:6: phone "(612) 555 0100" is not written like 612-673-3012, 1-888-373-7888 or 911`,
		"content/resources/old-line.md:8: open_24_7 must be true or false",
		"content/resources/old-line.md:9: warning: last verified 2024-01-15, over 12 months ago: check the entry against its source again",
		`content/resources/old-line.md:11: unknown front matter "colour" for a service entry`,
		`content/training/mod-a/_index.md:4: audience "Libary" is not a department: use all or one of Library, Police (config.toml, params.training.departments)`,
		`content/training/mod-a/_index.md:6: "valid_months" is how long a certificate holds before staff must retake the module: a whole number of months from 1 to 60 (12 if left out)`,
		`content/training/mod-a/_index.md:7: quiz "missing-quiz" does not exist: add quizzes/missing-quiz.yaml`,
		`content/training/mod-b/_index.md:1: a training module needs "minutes": about how long it takes, a whole number`,
		`content/training/mod-b/_index.md:1: a training module needs "audience": a list of departments, or [all]`,
		`content/training/mod-b/pictures/index.md:9: missing.jpg names no file beside this page: put the file in content/training/mod-b/pictures, or write the link from the site root`,
		`content/untitled.md:1: missing front matter "title" (the page heading and browser title)`,
		"content/untitled.md:1: not translated into Español (es): add content/untitled.es.md, or set english_only: true in the front matter",
		// The description's "child prostitute" is allowed by its # language-ok comment.
		`content/words.md:4: warning: "Rescued": consider "undocumented person" (survivor-centered language, Framework goal 5.6); if you quote it on purpose, add # language-ok: rescued to the line`,
		"content/words.md:7: image https://example.org/pic.png has no alt text: say what it shows for people who cannot see it, like ![what the picture shows](https://example.org/pic.png)",
		"content/words.md:7: image has no alt text: say what it shows for people who cannot see it, like ![what the picture shows][ref]",
		// Line 9: an image in a code span is not an image, nor a link.
		"content/words.md:11: <img> has no alt text, and raw HTML is not published: write ![what the picture shows](/photo.jpg)",
		"content/words.md:11: <img> has no alt text, and raw HTML is not published: write ![what the picture shows](/empty.jpg)",
		`content/words.md:13: warning: "Prostitute": consider "person who sells sex" (survivor-centered language, Framework goal 5.6); if you quote it on purpose, add <!-- language-ok: prostitute --> to the line`,
		`content/words.md:13: warning: "illegals": consider "undocumented person" (survivor-centered language, Framework goal 5.6); if you quote it on purpose, add <!-- language-ok: illegals --> to the line`,
		`content/words.md:13: warning: "pimps": consider "trafficker" or "exploiter" (survivor-centered language, Framework goal 5.6); if you quote it on purpose, add <!-- language-ok: pimps --> to the line`,
		// Lines 15 and 17 carry markers; on line 19 the code span, the link
		// address and the HTML comment are not prose.
		`content/words.md:19: warning: "child prostitutes": consider "sexually exploited youth" (survivor-centered language, Framework goal 5.6); if you quote it on purpose, add <!-- language-ok: child prostitutes --> to the line`,
		`content/words.md:23: placeholder TODO left here: replace it with the real text before publishing`,
		"quizzes/bad-quiz.yaml:2: pass_mark 0 is out of range: use a percentage from 1 to 100",
		`quizzes/bad-quiz.yaml:5: warning: question "q" has 2 options: a guess is right half the time; add a plausible wrong one`,
		`quizzes/bad-quiz.yaml:5: explanation of question "q" must name a lesson of module "mod-b", like "See: intro" (lessons: intro, pictures)`,
		`quizzes/bad-quiz.yaml:9: question "q" has no correct option`,
		`quizzes/bad-quiz.yaml:10: warning: "pimp": consider "trafficker" or "exploiter" (survivor-centered language, Framework goal 5.6); if you quote it on purpose, add # language-ok: pimp to the line`,
		`quizzes/bad-quiz.yaml:12: unknown review "sometimes": use full, explanations (the default) or score`,
		`quizzes/leaning.yaml:1: warning: option "a" is right in 4 of 4 choice questions: spread the right answers over the options (ids and order)`,
		`quizzes/leaning.yaml:1: warning: 4 of 4 true/false answers are false: make about as many true as false`,
		`quizzes/leaning.yaml:1: warning: no training module uses quiz "leaning": name it in a module's quiz: front matter`,
		`quizzes/leaning.yaml:6: warning: question "c0" has 2 options: a guess is right half the time; add a plausible wrong one`,
		`quizzes/leaning.yaml:13: warning: question "c1" has 2 options: a guess is right half the time; add a plausible wrong one`,
		`quizzes/leaning.yaml:20: warning: question "c2" has 2 options: a guess is right half the time; add a plausible wrong one`,
		`quizzes/leaning.yaml:27: warning: question "c3" has 2 options: a guess is right half the time; add a plausible wrong one`,
		`quizzes/stray.yaml:1: warning: no training module uses quiz "stray": name it in a module's quiz: front matter`,
		// Line 9 quotes "rescued" again, allowed by its # language-ok comment.
		`quizzes/stray.yaml:7: warning: "rescued": consider "undocumented person" (survivor-centered language, Framework goal 5.6); if you quote it on purpose, add # language-ok: rescued to the line`,
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
	rep, err := contentAt(root, today)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		if f.Severity == Error { // the translations have no translated_from: warnings
			got = append(got, f.String())
		}
	}
	want := "content/bad.md:3: front matter does not parse: sequence end token ']' not found"
	if len(got) != 1 || got[0] != want {
		t.Errorf("errors %q, want [%q]", got, want)
	}
}

// TestShippedSitePasses keeps the repository's own content publishable, every
// translation up to date with its English page, and the curriculum clear of
// the language review's words except where a marker quotes them on purpose.
func TestShippedSitePasses(t *testing.T) {
	rep, err := contentAt("../..", today)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Severity == Error || strings.HasPrefix(f.Message, "stale:") || strings.Contains(f.Message, "Framework goal 5.6") {
			t.Error(f)
		}
	}
	if len(rep.Translations) == 0 {
		t.Error("no translation table")
	}
	for _, row := range rep.Translations {
		for lang, status := range row.Languages {
			if status == Stale {
				t.Errorf("%s is stale in %s", row.Page, lang)
			}
		}
	}
}
