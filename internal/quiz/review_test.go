package quiz

import (
	"fmt"
	"strings"
	"testing"
)

// graded grades answers given as option texts (question file id → texts)
// against drawn, as the attempt with seed showed them.
func graded(t *testing.T, q *Quiz, drawn []string, seed string, texts map[string][]string) []QuestionResult {
	t.Helper()
	v, err := q.View(drawn, seed)
	if err != nil {
		t.Fatal(err)
	}
	answers := map[string][]string{}
	for i, p := range v.Questions() {
		for _, text := range texts[drawn[i]] {
			answers[p.ID] = append(answers[p.ID], optionWithText(t, p, text))
		}
	}
	real, err := v.Decode(answers)
	if err != nil {
		t.Fatal(err)
	}
	g, err := q.Grade(drawn, real)
	if err != nil {
		t.Fatal(err)
	}
	return g.Results
}

// marks lists a review's options as text: "*" chosen, "+" right.
func marks(r Reviewed) string {
	var parts []string
	for _, o := range r.Options {
		m := ""
		if o.Chosen {
			m += "*"
		}
		if o.Right {
			m += "+"
		}
		parts = append(parts, m+o.Text)
	}
	return strings.Join(parts, "|")
}

func TestReview(t *testing.T) {
	q := good(t)
	drawn := []string{"multi", "single", "tf"}
	const seed = "review-seed"
	// Wrong on multi (one of two), right on single, wrong on tf.
	results := graded(t, q, drawn, seed, map[string][]string{"multi": {"Right"}, "single": {"Right"}, "tf": {"True"}})
	v, _ := q.View(drawn, seed)
	shown := v.Questions()

	full := q.ReviewQuestions(drawn, seed, results, ReviewFull)
	expl := q.ReviewQuestions(drawn, seed, results, ReviewExplanations)
	if len(full) != 3 || len(expl) != 3 {
		t.Fatalf("reviewed %d and %d questions, want 3", len(full), len(expl))
	}
	for i := range drawn {
		// Prompts and options exactly as the attempt showed them.
		var texts []string
		for _, o := range shown[i].Options {
			texts = append(texts, o.Text)
		}
		for _, r := range []Reviewed{full[i], expl[i]} {
			var got []string
			for _, o := range r.Options {
				got = append(got, o.Text)
			}
			if r.Prompt != shown[i].Prompt || strings.Join(got, "|") != strings.Join(texts, "|") {
				t.Errorf("question %d reviewed as %q %q, shown as %q %q", i, r.Prompt, got, shown[i].Prompt, texts)
			}
			if !r.Graded || r.Gone || r.ChoiceGone || r.Explanation == "" {
				t.Errorf("question %d: %+v", i, r)
			}
		}
		if !full[i].KeyShown || expl[i].KeyShown {
			t.Errorf("question %d: key shown %v in full, %v in explanations", i, full[i].KeyShown, expl[i].KeyShown)
		}
	}
	if full[0].Correct || !full[1].Correct || full[2].Correct || expl[0].Correct || !expl[1].Correct {
		t.Errorf("right or wrong: %v %v %v", full[0].Correct, full[1].Correct, full[2].Correct)
	}
	// Full: choices and the key. Explanations: the same choices, no key.
	want := map[string][2]string{
		"multi":  {"*+Right", "+Also right"},
		"single": {"*+Right", ""},
		"tf":     {"*True", "+False"},
	}
	for i, id := range drawn {
		fm, em := marks(full[i]), marks(expl[i])
		for _, w := range want[id] {
			if w != "" && !strings.Contains("|"+fm+"|", "|"+w+"|") {
				t.Errorf("%s full review %q lacks %q", id, fm, w)
			}
		}
		if strings.Contains(em, "+") {
			t.Errorf("%s explanations review marks a right option: %q", id, em)
		}
		if strings.ReplaceAll(fm, "+", "") != em {
			t.Errorf("%s: choices differ between modes: %q, %q", id, fm, em)
		}
	}
	// The explanation is the file's, as safe HTML (no raw script).
	if !strings.Contains(full[2].Explanation, "lesson-one") || strings.Contains(full[2].Explanation, "<script>") {
		t.Errorf("explanation %q", full[2].Explanation)
	}
	if got := q.ReviewQuestions(drawn, seed, results, ReviewScore); got != nil {
		t.Errorf("score review shows questions: %+v", got)
	}
	if got := q.ReviewQuestions(drawn, seed, results, "nonsense"); got != nil {
		t.Errorf("an unknown mode shows questions: %+v", got)
	}
}

// TestReviewOfAChangedQuiz: a question the file lost is Gone and the
// others still show as the attempt showed them; a chosen option the file
// lost is said to be gone.
func TestReviewOfAChangedQuiz(t *testing.T) {
	q := good(t)
	drawn := []string{"single", "multi", "tf"}
	const seed = "changed-seed"
	results := graded(t, q, drawn, seed, map[string][]string{"single": {"Also wrong"}, "multi": {"Right", "Also right"}, "tf": {"False"}})
	before := q.ReviewQuestions(drawn, seed, results, ReviewFull)

	changed := *q
	changed.Questions = nil
	for _, qu := range q.Questions {
		switch qu.ID {
		case "multi":
			continue // removed
		case "single":
			qu.Options = qu.Options[:2] // "Also wrong", the choice, removed
		}
		changed.Questions = append(changed.Questions, qu)
	}
	after := changed.ReviewQuestions(drawn, seed, results, ReviewFull)
	if len(after) != 3 {
		t.Fatalf("%d questions reviewed, want 3", len(after))
	}
	if !after[1].Gone || !after[1].Graded || !after[1].Correct || after[1].Prompt != "" || after[1].Options != nil {
		t.Errorf("removed question: %+v", after[1])
	}
	if !after[0].ChoiceGone || strings.Contains(marks(after[0]), "*") {
		t.Errorf("question without its chosen option: %+v", after[0])
	}
	if fmt.Sprint(after[2]) != fmt.Sprint(before[2]) {
		t.Errorf("an unchanged question reviews differently:\n%+v\n%+v", after[2], before[2])
	}
}

// TestReviewOfASeedlessAttempt: attempts started before seeds were kept
// showed the file's order; so does their review.
func TestReviewOfASeedlessAttempt(t *testing.T) {
	q := good(t)
	drawn := []string{"single", "tf"}
	results := graded(t, q, drawn, "", map[string][]string{"single": {"Wrong"}})
	r := q.ReviewQuestions(drawn, "", results, ReviewFull)
	if got := marks(r[0]); got != "+Right|*Wrong|Also wrong" {
		t.Errorf("seedless single: %q", got)
	}
	if !r[0].Answered() || r[1].Answered() {
		t.Errorf("answered: %v %v, want true false", r[0].Answered(), r[1].Answered())
	}
	if got := marks(r[1]); got != "True|+False" || r[1].Correct {
		t.Errorf("seedless true/false left unanswered: %q correct %v", got, r[1].Correct)
	}
}
