package check

import (
	"slices"
	"strings"
	"testing"

	"northstar/internal/quiz"
	"northstar/internal/site"
)

// TestShippedCurriculum holds the curriculum to its rules: every module has
// 3–6 lessons and a quiz of at least 12 questions of the allowed kinds, pass
// mark 80%, 10 drawn per attempt. (check itself verifies that each quiz exists
// and that each explanation names a lesson of its module.)
func TestShippedCurriculum(t *testing.T) {
	cfg, err := site.LoadConfig("../..")
	if err != nil {
		t.Fatal(err)
	}
	pages, err := site.ScanContent("../..", cfg)
	if err != nil {
		t.Fatal(err)
	}
	quizzes, probs, err := quiz.LoadDir("../../quizzes")
	if err != nil || len(probs) > 0 {
		t.Fatalf("quizzes: %v %v", err, probs)
	}
	lessons := map[string]int{}
	var modules []site.Page
	for _, p := range pages {
		parts := strings.Split(p.Key, "/")
		switch {
		case isModule(p):
			modules = append(modules, p)
		case len(parts) == 3 && parts[0] == "training":
			lessons[parts[1]]++
		}
	}
	if len(modules) < 7 {
		t.Errorf("%d modules, want the 7 of the curriculum", len(modules))
	}
	for _, m := range modules {
		slug := strings.Split(m.Key, "/")[1]
		if n := lessons[slug]; n < 3 || n > 6 {
			t.Errorf("module %s has %d lessons, want 3 to 6", slug, n)
		}
		id, _ := m.FrontMatter["quiz"].(string)
		q := quizzes[id]
		if q == nil {
			t.Errorf("module %s: quiz %q missing", slug, id)
			continue
		}
		if len(q.Questions) < 12 || q.PassMark != 80 || q.Draw != 10 {
			t.Errorf("quiz %s: %d questions, pass mark %d, draw %d; want ≥ 12, 80, 10", id, len(q.Questions), q.PassMark, q.Draw)
		}
		for _, qu := range q.Questions {
			if !slices.Contains([]string{quiz.Single, quiz.Multiple, quiz.TrueFalse}, qu.Kind) {
				t.Errorf("quiz %s question %s: kind %q", id, qu.ID, qu.Kind)
			}
		}
	}
}
