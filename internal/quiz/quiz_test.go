package quiz

import (
	"errors"
	"fmt"
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
		`testdata/broken.yaml:4: unknown quiz key "shuffel": use title, pass_mark, draw, shuffle, review, questions`,
		`testdata/broken.yaml:22: unknown option key "colour": use id, text, correct`,
		"testdata/broken.yaml:2: pass_mark 120 is out of range: use a percentage from 1 to 100",
		"testdata/broken.yaml:3: the pool has 4 questions, fewer than draw: 5",
		`testdata/broken.yaml:35: unknown review "sometimes": use full, explanations (the default) or score`,
		`testdata/broken.yaml:10: question "q1" has no correct option`,
		`testdata/broken.yaml:15: duplicate question id "q1" (first used on line 6)`,
		`testdata/broken.yaml:28: unknown kind "essay": use single, multiple or true_false`,
		`testdata/broken.yaml:31: true_false question "q4" needs answer: true or answer: false`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestReviewModes: review is full, explanations or score, explanations
// when left out; anything else is a problem at its line.
func TestReviewModes(t *testing.T) {
	const head = "title: T\npass_mark: 80\ndraw: 1\nquestions:\n  - id: t\n    kind: true_false\n    prompt: P\n    answer: true\n    explanation: E\n"
	for _, c := range []struct {
		line, want, problem string
	}{
		{"", ReviewExplanations, ""},
		{"review: full\n", ReviewFull, ""},
		{"review: explanations\n", ReviewExplanations, ""},
		{"review: score\n", ReviewScore, ""},
		{"review: Full\n", "", `r.yaml:10: unknown review "Full": use full, explanations (the default) or score`},
		{"review: answers\n", "", `r.yaml:10: unknown review "answers": use full, explanations (the default) or score`},
		{"review: 3\n", "", `r.yaml:10: unknown review "3": use full, explanations (the default) or score`},
	} {
		q, probs := Parse("r.yaml", []byte(head+c.line))
		var got []string
		for _, p := range probs {
			got = append(got, p.String())
		}
		switch {
		case c.problem == "" && (len(probs) > 0 || q == nil || q.Review != c.want):
			t.Errorf("%q: review %v, problems %v; want %q", c.line, q, got, c.want)
		case c.problem != "" && strings.Join(got, "\n") != c.problem:
			t.Errorf("%q: problems %q, want %q", c.line, got, c.problem)
		}
	}
	// A value that is no word at all is a problem with a line too.
	if _, probs := Parse("r.yaml", []byte(head+"review: [full]\n")); len(probs) != 1 || probs[0].Line < 1 {
		t.Errorf("review: [full]: %v", probs)
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
	v1, err := q.View(drawn, "seed-one")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := q.View(drawn, "seed-one")
	other, _ := q.View(drawn, "seed-two")
	p1, p2, p3 := v1.Questions(), again.Questions(), other.Questions()
	for i := range p1 {
		if fmt.Sprint(p1[i]) != fmt.Sprint(p2[i]) {
			t.Errorf("one attempt shown twice differs: %v, %v", p1[i], p2[i])
		}
		if p1[i].ID == drawn[i] || p1[i].ID == p3[i].ID {
			t.Errorf("question id %q is the file's or another attempt's", p1[i].ID)
		}
		for j, o := range p1[i].Options {
			if len(o.ID) < 8 || o.ID == "a" || o.ID == "b" || o.ID == "true" || o.ID == "false" || o.ID == p3[i].Options[j].ID {
				t.Errorf("option id %q shows the file's id or repeats across attempts", o.ID)
			}
		}
	}
	if len(p1[2].Options) != 2 || p1[2].Options[0].Text != "True" || p1[2].Options[1].Text != "False" {
		t.Errorf("true/false options %v", p1[2].Options)
	}
	// Grading maps the shown ids back; results go out in them, with prompts.
	shown := map[string][]string{p1[0].ID: {optionWithText(t, p1[0], "Right")}, p1[2].ID: {p1[2].Options[1].ID}}
	real, err := v1.Decode(shown)
	if err != nil || fmt.Sprint(real) != "map[single:[a] tf:[false]]" {
		t.Fatalf("decode: %v %v", real, err)
	}
	g, _ := q.Grade(drawn, real)
	enc := v1.Encode(g.Results)
	if enc[0].Question != p1[0].ID || enc[0].Chosen[0] != shown[p1[0].ID][0] || enc[0].Prompt == "" || !enc[0].Correct || g.Results[0].Question != "single" {
		t.Errorf("encoded results %+v", enc)
	}
	for _, bad := range []map[string][]string{{"single": {"a"}}, {p1[0].ID: {"a"}}, {p1[0].ID: {p1[1].Options[0].ID}}} {
		if _, err := v1.Decode(bad); !errors.Is(err, ErrBadAnswer) {
			t.Errorf("decode %v: %v, want ErrBadAnswer", bad, err)
		}
	}
	// An attempt from before seeds were kept shows the file's ids, in order.
	legacy, _ := q.View(drawn, "")
	if lp := legacy.Questions(); lp[0].ID != "single" || lp[0].Options[0].ID != "a" || lp[2].Options[0].ID != "true" {
		t.Errorf("seedless attempt: %v", lp)
	}
}

// TestShuffleSpreadsTheKey: over many attempts the right option of a
// question is shown at every position about equally often.
func TestShuffleSpreadsTheKey(t *testing.T) {
	q := good(t)
	counts := map[int]int{}
	const n = 3000
	for i := 0; i < n; i++ {
		v, _ := q.View([]string{"single"}, fmt.Sprint("seed-", i))
		for pos, o := range v.Questions()[0].Options {
			if o.Text == "Right" {
				counts[pos]++
			}
		}
	}
	opts := len(q.Questions[0].Options)
	for pos := 0; pos < opts; pos++ {
		if share := float64(counts[pos]) / n; share < 1/float64(opts)-0.05 || share > 1/float64(opts)+0.05 {
			t.Errorf("the right option is at position %d in %.0f%% of attempts", pos, 100*share)
		}
	}
}

func optionWithText(t *testing.T, p Presented, text string) string {
	t.Helper()
	for _, o := range p.Options {
		if o.Text == text {
			return o.ID
		}
	}
	t.Fatalf("no option %q in %v", text, p)
	return ""
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
	if _, err := q.View(drawn, "att"); !errors.Is(err, ErrQuizChanged) {
		t.Errorf("View: %v, want ErrQuizChanged", err)
	}
	if _, err := q.Grade(drawn, map[string][]string{"single": {"a"}}); !errors.Is(err, ErrQuizChanged) {
		t.Errorf("Grade: %v, want ErrQuizChanged", err)
	}
}

// TestKeyBias: a key where "a" (first) is mostly right, or true/false is
// mostly one answer, is told; a spread key is not.
func TestKeyBias(t *testing.T) {
	yes, no := true, false
	choice := func(right int) Question {
		q := Question{Kind: Single}
		for i := 0; i < 3; i++ {
			q.Options = append(q.Options, Option{ID: string(rune('a' + i)), Text: "x", Correct: i == right})
		}
		return q
	}
	tf := func(b *bool) Question { return Question{Kind: TrueFalse, Answer: b} }
	long := func(right int) Question {
		q := choice(right)
		q.Options[right].Text = "xx"
		return q
	}
	for _, tt := range []struct {
		name string
		qs   []Question
		want int
	}{
		{"always a", []Question{choice(0), choice(0), choice(0), choice(1)}, 1},
		{"spread", []Question{choice(0), choice(1), choice(2), choice(0), choice(1)}, 0},
		{"too few to tell", []Question{choice(0), choice(0), choice(0)}, 0},
		{"true/false mostly false", []Question{tf(&no), tf(&no), tf(&no), tf(&no), tf(&yes)}, 1},
		{"true/false balanced", []Question{tf(&no), tf(&yes), tf(&no), tf(&yes)}, 0},
		{"right is mostly the longest", []Question{long(0), long(1), long(2), choice(0)}, 1},
		{"right is the longest half the time", []Question{long(0), long(1), choice(2), choice(0)}, 0},
	} {
		q := &Quiz{Questions: tt.qs}
		if got := q.KeyBias(); len(got) != tt.want {
			t.Errorf("%s: %q, want %d warnings", tt.name, got, tt.want)
		}
	}
	// The repository's quizzes are spread.
	quizzes, _, err := LoadDir("../../quizzes")
	if err != nil {
		t.Fatal(err)
	}
	for id, q := range quizzes {
		for _, w := range q.KeyBias() {
			t.Errorf("quizzes/%s.yaml: %s", id, w)
		}
	}
}

// TestWarnings: a question leaning on another, a "choose all" with one
// right option, two options, a right option that stands out by its length
// and a true/false hinging on "only" are told, at their line.
func TestWarnings(t *testing.T) {
	src := []byte(`title: W
pass_mark: 80
draw: 1
questions:
  - id: leans
    kind: single
    prompt: "During the same inspection, what do you do?"
    options:
      - {id: a, text: A, correct: true}
      - {id: b, text: B}
      - {id: c, text: C}
    explanation: "E. See: x"
  - id: one-of-all
    kind: multiple
    prompt: "Which apply?"
    options:
      - {id: a, text: A, correct: true}
      - {id: b, text: B}
      - {id: c, text: C}
    explanation: "E. See: x"
  - id: two
    kind: single
    prompt: "Which?"
    options:
      - {id: a, text: A}
      - {id: b, text: B, correct: true}
    explanation: "E. See: x"
  - id: giveaway
    kind: single
    prompt: "Which?"
    options:
      - {id: a, text: Ignore it}
      - {id: b, text: "Finish the visit as normal, then tell your supervisor what you saw", correct: true}
      - {id: c, text: Ask the boss}
    explanation: "E. See: x"
  - id: absolute
    kind: true_false
    prompt: "Only police can report trafficking."
    answer: false
    explanation: "E. See: x"
  - id: fine
    kind: true_false
    prompt: "A worker who cannot leave may be in forced labor."
    answer: true
    explanation: "E. See: x"
`)
	q, probs := Parse("w.yaml", src)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	var got []string
	for _, w := range q.Warnings() {
		got = append(got, fmt.Sprintf("%d:%s", w.Line, w.Message))
	}
	want := []string{
		`5:question "leans" says "same inspection": questions are drawn at random, so each must stand alone`,
		`13:question "one-of-all" asks for all that apply but one option is right: use kind: single, or mark the others`,
		`21:question "two" has 2 options: a guess is right half the time; add a plausible wrong one`,
		`28:question "giveaway": the right option is much longer than any other (66 letters against 12): it gives itself away`,
		`36:true/false question "absolute" hinges on "only": a learner can guess from the word alone; write it as a scenario`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
