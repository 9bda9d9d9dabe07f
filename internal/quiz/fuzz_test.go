package quiz

import (
	"math/rand/v2"
	"testing"
)

// FuzzParse: any file a trainer saves is a quiz or a list of problems with
// lines, never a panic; a quiz without problems can be drawn, shown (with
// no id from the file), graded in the ids it showed, and reviewed.
func FuzzParse(f *testing.F) {
	f.Add([]byte("title: T\npass_mark: 80\ndraw: 1\nshuffle: true\nquestions:\n  - id: q\n    kind: single\n    prompt: P\n    options:\n      - {id: a, text: A, correct: true}\n      - {id: b, text: B}\n    explanation: E\n"))
	f.Add([]byte("title: T\npass_mark: 50\ndraw: 1\nquestions:\n  - id: t\n    kind: true_false\n    prompt: P\n    answer: true\n    explanation: E\n"))
	f.Add([]byte("questions: [{id: q, kind: multiple, options: [{id: a}, {id: a}]}]"))
	f.Add([]byte("title: [\n"))
	f.Add([]byte("&a [*a]"))
	f.Fuzz(func(t *testing.T, src []byte) {
		q, probs := Parse("fuzz.yaml", src)
		for _, p := range probs {
			if p.Message == "" || p.Line < 0 {
				t.Fatalf("problem without a message or with line %d: %+v", p.Line, p)
			}
		}
		if q == nil || len(probs) > 0 {
			return
		}
		drawn := q.DrawQuestions(rand.New(rand.NewPCG(1, 2)))
		v, err := q.View(drawn, "fuzz-seed")
		if err != nil {
			t.Fatalf("view of a valid quiz: %v", err)
		}
		answers := map[string][]string{}
		for _, p := range v.Questions() {
			if len(p.Options) == 0 {
				t.Fatalf("question %s shows no options", p.ID)
			}
			answers[p.ID] = []string{p.Options[0].ID}
		}
		real, err := v.Decode(answers)
		if err != nil {
			t.Fatalf("decode what the view showed: %v", err)
		}
		g, err := q.Grade(drawn, real)
		if err != nil {
			t.Fatalf("grade a valid quiz: %v", err)
		}
		if len(v.Encode(g.Results)) != len(drawn) {
			t.Fatal("results lost in encoding")
		}
		for _, mode := range []string{ReviewFull, ReviewExplanations} {
			if r := q.ReviewQuestions(drawn, "fuzz-seed", g.Results, mode); len(r) != len(drawn) {
				t.Fatalf("a %s review shows %d of %d questions", mode, len(r), len(drawn))
			}
		}
	})
}
