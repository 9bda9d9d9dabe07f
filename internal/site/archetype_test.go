package site

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewContentRunsTheThemesArchetypes creates a module, its quiz and a lesson
// in a small site themed with the repository's theme, through Hugo's archetype
// machinery: the templates see .File and the built site.
func TestNewContentRunsTheThemesArchetypes(t *testing.T) {
	themes, err := filepath.Abs("../../themes")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"config.toml":                           "themesDir = " + `"` + themes + `"` + "\n" + string(cfg),
		"content/_index.md":                     "---\ntitle: Home\ndescription: Home.\n---\n",
		"content/training/_index.md":            "---\ntitle: Training\ndescription: Training.\n---\n",
		"content/training/intro/_index.md":      "---\ntitle: Intro\ndescription: Intro.\nweight: 30\n---\n",
		"content/training/intro/first.md":       "---\ntitle: First\ndescription: First.\nweight: 4\n---\n",
		"content/training/intro/second.md":      "---\ntitle: Second\ndescription: Second.\nweight: 7\n---\n",
		"content/training/other/_index.md":      "---\ntitle: Other\ndescription: Other.\nweight: 50\n---\n",
		"content/training/other/only-lesson.md": "---\ntitle: Only\ndescription: Only.\nweight: 90\n---\n",
	})

	written, err := NewContent(root, NewFile{Kind: "module", Path: "content/training/new-module/_index.md"},
		NewFile{Kind: "quiz", Path: "quizzes/new-module.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"content/training/new-module/_index.md", "quizzes/new-module.yaml"}; strings.Join(written, " ") != strings.Join(want, " ") {
		t.Errorf("written %q, want %q", written, want)
	}
	module := read(t, root, "content/training/new-module/_index.md")
	for _, want := range []string{"---\n# Replace every TODO", `title: "TODO: New module"`, "quiz: new-module\n", "weight: 60\n", "minutes: 0\n"} {
		if !strings.Contains(module, want) {
			t.Errorf("module page lacks %q:\n%s", want, module)
		}
	}
	if !strings.HasPrefix(module, "---\n") {
		t.Errorf("module page does not start with front matter:\n%s", module)
	}
	quizFile := read(t, root, "quizzes/new-module.yaml")
	for _, want := range []string{"# Quiz for content/training/new-module/.", "northstar new lesson new-module/<lesson-slug>", "draw: 10"} {
		if !strings.Contains(quizFile, want) {
			t.Errorf("quiz skeleton lacks %q:\n%s", want, quizFile)
		}
	}

	if _, err := NewContent(root, NewFile{Kind: "lesson", Path: "content/training/intro/third.md"}); err != nil {
		t.Fatal(err)
	}
	if lesson := read(t, root, "content/training/intro/third.md"); !strings.Contains(lesson, "weight: 8\n") || !strings.Contains(lesson, "See: third") {
		t.Errorf("lesson is not placed after the module's last one (weight 7):\n%s", lesson)
	}

	// A module whose quiz exists: nothing is written, not even the page.
	if err := os.WriteFile(filepath.Join(root, "quizzes", "taken.yaml"), []byte("title: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = NewContent(root, NewFile{Kind: "module", Path: "content/training/taken/_index.md"},
		NewFile{Kind: "quiz", Path: "quizzes/taken.yaml"})
	if !errors.Is(err, ErrExists) {
		t.Errorf("existing quiz: got %v, want ErrExists", err)
	}
	if _, err := os.Stat(filepath.Join(root, "content", "training", "taken")); err == nil {
		t.Error("refused module still created its folder")
	}
	if got := read(t, root, "quizzes/taken.yaml"); got != "title: x\n" {
		t.Errorf("existing quiz was changed: %q", got)
	}
}

func read(t *testing.T, root, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
