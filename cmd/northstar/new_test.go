package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// smallSite writes a site of a few pages with the repository's config.toml and
// a copy of its theme, so tests can add, break and fix files and Hugo builds it
// quickly.
func smallSite(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	if err := os.CopyFS(filepath.Join(root, "themes"), os.DirFS("../../themes")); err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	page := func(title string) string {
		return "---\ntitle: \"" + title + "\"\ndescription: \"" + title + ".\"\n---\n\n" + title + ".\n"
	}
	files := map[string]string{
		"config.toml":                    string(cfg),
		"content/_index.md":              page("Help with trafficking"),
		"content/_index.es.md":           page("Ayuda contra la trata"),
		"content/search.md":              "---\ntitle: Search\ndescription: Search the site.\nlayout: search\n---\n",
		"content/search.es.md":           "---\ntitle: Buscar\ndescription: Busque en el sitio.\nlayout: search\n---\n",
		"content/resources/_index.md":    page("Find services"),
		"content/resources/_index.es.md": page("Buscar servicios"),
		"content/training/_index.md":     "---\ntitle: Staff training\ndescription: Training for staff.\ncascade:\n  noindex: true\n---\n",
	}
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func readFile(t *testing.T, root, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// edit rewrites a file of the site with each old → new replacement.
func edit(t *testing.T, root, rel string, oldnew ...string) {
	t.Helper()
	s := strings.NewReplacer(oldnew...).Replace(readFile(t, root, rel))
	if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(rel)), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func runNorthstar(args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), err
}

// TestNewModuleQuizSkeletonFailsCheckUntilWritten creates a module and a
// lesson, checks that the quiz skeleton is refused as created, then writes the
// questions the way a trainer would and checks that it passes.
func TestNewModuleQuizSkeletonFailsCheckUntilWritten(t *testing.T) {
	root := smallSite(t)
	out, _, err := runNorthstar("new", "module", "safe-calls", "--site", root)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		filepath.Join(root, "content/training/safe-calls/_index.md"),
		filepath.Join(root, "quizzes/safe-calls.yaml"),
		"northstar check",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("new module printed %q, lacking %q", out, want)
		}
	}
	module := readFile(t, root, "content/training/safe-calls/_index.md")
	for _, key := range []string{"title:", "description:", "audience:", "minutes:", "quiz: safe-calls\n", "weight:"} {
		if !strings.Contains(module, "\n"+key) {
			t.Errorf("module front matter lacks %q:\n%s", key, module)
		}
	}
	if _, _, err := runNorthstar("new", "lesson", "safe-calls/first-call", "--site", root); err != nil {
		t.Fatal(err)
	}
	if lesson := readFile(t, root, "content/training/safe-calls/first-call.md"); !strings.Contains(lesson, "weight: 1\n") {
		t.Errorf("first lesson:\n%s", lesson)
	}

	out, _, err = runNorthstar("check", "--site", root)
	if !errors.Is(err, errSilent) {
		t.Fatalf("check accepted the quiz skeleton: %v\n%s", err, out)
	}
	for _, want := range []string{
		"quizzes/safe-calls.yaml:17: the pool has 3 questions, fewer than draw: 10",
		`question "todo-single" has no correct option`,
		`true_false question "todo-true-false" needs answer`,
		`explanation of question "todo-multiple" must name a lesson of module "safe-calls", like "See: first-call"`,
		"content/training/safe-calls/_index.md:9: a training module needs \"minutes\"",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}

	// What a trainer does: write real text, mark the answers, name the
	// lesson, draw no more questions than there are.
	real := []string{"TODO: ", "", "See: TODO", "See: first-call", "# correct: true", "correct: true",
		"# answer: false", "answer: false", "draw: 10", "draw: 3", "minutes: 0", "minutes: 20"}
	for _, f := range []string{"quizzes/safe-calls.yaml", "content/training/safe-calls/_index.md", "content/training/safe-calls/first-call.md"} {
		edit(t, root, f, real...)
		if s := readFile(t, root, f); strings.Contains(s, "TODO:") {
			t.Fatalf("%s still has a placeholder:\n%s", f, s)
		}
	}
	if out, _, err := runNorthstar("check", "--site", root); err != nil {
		t.Errorf("check refused the written module: %v\n%s", err, out)
	}
}

func TestNewResourceHasEveryKey(t *testing.T) {
	root := smallSite(t)
	if _, _, err := runNorthstar("new", "resource", "food-shelf", "--site", root); err != nil {
		t.Fatal(err)
	}
	entry := readFile(t, root, "content/resources/food-shelf.md")
	// Every key internal/check/resources.go allows; fallback_from is the
	// build's, and the skeleton says so.
	for _, key := range []string{"name", "summary", "services", "last_verified", "source",
		"languages", "populations", "phone", "text", "tty", "website", "email", "address", "hours",
		"open_24_7", "cost", "confidential", "regardless_of_immigration_status", "english_only", "fallback_from"} {
		if !strings.Contains(entry, "\n"+key+":") && !strings.Contains(entry, "\n# "+key+":") && !strings.Contains(entry, key+" is set by the build") {
			t.Errorf("resource skeleton lacks %q:\n%s", key, entry)
		}
	}
	out, _, err := runNorthstar("check", "--site", root)
	if !errors.Is(err, errSilent) || !strings.Contains(out, "content/resources/food-shelf.md:12: last_verified \"TODO\" is not a date") {
		t.Errorf("check accepted the resource skeleton: %v\n%s", err, out)
	}
	edit(t, root, "content/resources/food-shelf.md", "TODO: ", "", "services: []", "services: [basic-needs]",
		"last_verified: TODO", "last_verified: 2026-01-05", "# phone:", "phone:")
	if err := os.WriteFile(filepath.Join(root, "content/resources/food-shelf.es.md"), []byte(readFile(t, root, "content/resources/food-shelf.md")), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, _, err := runNorthstar("check", "--site", root); err != nil {
		t.Errorf("check refused the written entry: %v\n%s", err, out)
	}
}

func TestNewRefusals(t *testing.T) {
	root := smallSite(t)
	if _, _, err := runNorthstar("new", "resource", "food-shelf", "--site", root); err != nil {
		t.Fatal(err)
	}
	edit(t, root, "content/resources/food-shelf.md", "TODO", "Written")
	before := readFile(t, root, "content/resources/food-shelf.md")
	if err := os.MkdirAll(filepath.Join(root, "quizzes"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "quizzes", "taken.yaml"), []byte("title: mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"resource", "food-shelf"}, "already exists"},
		{[]string{"module", "taken"}, "quizzes/taken.yaml: file already exists"},
		{[]string{"resource", "Food-Shelf"}, "use lower-case letters, digits and hyphens"},
		{[]string{"resource", "food_shelf"}, "use lower-case letters"},
		{[]string{"module", "dash-"}, "use lower-case letters"},
		{[]string{"module", "two--dashes"}, "use lower-case letters"},
		{[]string{"module", "../escape"}, "use lower-case letters"},
		{[]string{"lesson", "no-such-module/intro"}, `there is no module "no-such-module"`},
		{[]string{"lesson", "intro"}, "<module>/<slug>"},
		{[]string{"lesson", "taken/Intro"}, "use lower-case letters"},
		{[]string{"page", "x"}, `unknown kind "page"`},
		{[]string{"module"}, "name what to create"},
	}
	for _, tt := range tests {
		_, _, err := runNorthstar(append(append([]string{"new"}, tt.args...), "--site", root)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("new %s: got %v, want an error with %q", strings.Join(tt.args, " "), err, tt.want)
		}
	}
	if got := readFile(t, root, "content/resources/food-shelf.md"); got != before {
		t.Error("refused new resource changed the existing file")
	}
	if got := readFile(t, root, "quizzes/taken.yaml"); got != "title: mine\n" {
		t.Errorf("refused new module changed the existing quiz: %q", got)
	}
	for _, p := range []string{"content/training/taken", "content/training/no-such-module"} {
		if _, err := os.Stat(filepath.Join(root, p)); err == nil {
			t.Errorf("refused command created %s", p)
		}
	}
}
