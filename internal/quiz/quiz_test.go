package quiz

import (
	"errors"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

func load(t *testing.T, file string) (*Quiz, []Problem) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return Parse(file, src)
}

func TestBrokenQuizProblems(t *testing.T) {
	_, probs := load(t, "testdata/broken.yaml")
	var got []string
	for _, p := range probs {
		got = append(got, p.String())
	}
	want := []string{
		`testdata/broken.yaml:4: unknown quiz key "shuffel": use title, pass_mark, draw, shuffle, questions`,
		`testdata/broken.yaml:22: unknown option key "colour": use id, text, correct`,
		"testdata/broken.yaml:2: pass_mark 120 is out of range: use a percentage from 1 to 100",
		"testdata/broken.yaml:3: the pool has 4 questions, fewer than draw: 5",
		`testdata/broken.yaml:10: question "q1" has no correct option`,
		`testdata/broken.yaml:15: duplicate question id "q1" (first used on line 6)`,
		`testdata/broken.yaml:28: unknown kind "essay": use single, multiple or true_false`,
		`testdata/broken.yaml:31: true_false question "q4" needs answer: true or answer: false`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestUnparsableQuiz(t *testing.T) {
	q, probs := Parse("bad.yaml", []byte("title: [unclosed\ndraw: 2\n"))
	if q != nil || len(probs) != 1 || probs[0].Line < 1 || probs[0].Line > 2 {
		t.Errorf("got %v %v", q, probs)
	}
}

func good(t *testing.T) *Quiz {
	q, probs := load(t, "testdata/good.yaml")
	if len(probs) > 0 || q == nil {
		t.Fatalf("good quiz has problems: %v", probs)
	}
	return q
}

func TestDrawAndPresentHideTheKey(t *testing.T) {
	q := good(t)
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	for i := 0; i < 50; i++ {
		drawn := q.DrawQuestions(r)
		if len(drawn) != 3 {
			t.Fatalf("drew %d, want 3", len(drawn))
		}
		for _, id := range drawn {
			seen[id] = true
		}
	}
	if len(seen) != 4 {
		t.Errorf("50 draws used %d of 4 questions", len(seen))
	}
	drawn := []string{"single", "multi", "tf"}
	p1, err := q.Present(drawn, "attempt-1")
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := q.Present(drawn, "attempt-1")
	for i := range p1 {
		for j := range p1[i].Options {
			if p1[i].Options[j] != p2[i].Options[j] {
				t.Error("option order changed between two presentations of one attempt")
			}
		}
	}
	if p1[2].Options[0].ID != "true" || len(p1[2].Options) != 2 {
		t.Errorf("true/false options %v", p1[2].Options)
	}
}

func TestGrade(t *testing.T) {
	q := good(t)
	drawn := []string{"single", "multi", "tf"}
	cases := []struct {
		name    string
		answers map[string][]string
		score   int
		passed  bool
	}{
		{"all right", map[string][]string{"single": {"a"}, "multi": {"b", "a"}, "tf": {"false"}}, 100, true},
		{"multiple needs all", map[string][]string{"single": {"a"}, "multi": {"a"}, "tf": {"false"}}, 66, false},
		{"multiple must not add", map[string][]string{"single": {"a"}, "multi": {"a", "b", "c"}, "tf": {"false"}}, 66, false},
		{"blank is wrong", map[string][]string{}, 0, false},
		{"duplicates ignored", map[string][]string{"single": {"a"}, "multi": {"a", "b", "a"}, "tf": {"false"}}, 100, true},
	}
	for _, c := range cases {
		g, err := q.Grade(drawn, c.answers)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if g.Score != c.score || g.Passed != c.passed || len(g.Results) != 3 {
			t.Errorf("%s: score %d passed %v (%d results), want %d %v", c.name, g.Score, g.Passed, len(g.Results), c.score, c.passed)
		}
	}
	g, _ := q.Grade(drawn, nil)
	if strings.Contains(g.Results[2].Explanation, "<script>") || !strings.Contains(g.Results[2].Explanation, "<p>") {
		t.Errorf("explanation HTML %q: want rendered Markdown with raw HTML dropped", g.Results[2].Explanation)
	}
	for _, bad := range []map[string][]string{
		{"extra": {"a"}},       // not drawn
		{"single": {"z"}},      // no such option
		{"single": {"a", "b"}}, // single takes one
		{"tf": {"maybe"}},      // not true/false
	} {
		if _, err := q.Grade(drawn, bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// TestQuestionGoneSinceDrawn: an attempt drawn before the quiz lost one of
// its questions can be neither shown nor graded, and says why.
func TestQuestionGoneSinceDrawn(t *testing.T) {
	q := good(t)
	drawn := []string{"single", "removed-since"}
	if _, err := q.Present(drawn, "att"); !errors.Is(err, ErrQuizChanged) {
		t.Errorf("Present: %v, want ErrQuizChanged", err)
	}
	if _, err := q.Grade(drawn, map[string][]string{"single": {"a"}}); !errors.Is(err, ErrQuizChanged) {
		t.Errorf("Grade: %v, want ErrQuizChanged", err)
	}
}
