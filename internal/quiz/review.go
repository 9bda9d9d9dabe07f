package quiz

import "slices"

// Reviewed is one question of a graded attempt as a review shows it: the
// prompt and options as the attempt showed them, what was chosen, and, in a
// full review only, which options are right.
type Reviewed struct {
	Kind   string
	Prompt string
	// Gone means the question is no longer in the quiz file (a trainer
	// republished it without it): the review says so instead of showing it.
	Gone bool
	// Graded is false when the attempt's record has no answer to the
	// question; Correct is whether the answer was right, as graded then.
	Graded, Correct bool
	Options         []ReviewedOption
	// ChoiceGone means an option chosen then is no longer in the question.
	ChoiceGone bool
	// KeyShown says whether Right is filled in (a full review).
	KeyShown    bool
	Explanation string // HTML
}

// ReviewedOption is one option of a reviewed question.
type ReviewedOption struct {
	Text   string
	Chosen bool
	// Right is part of the answer key: false throughout unless the
	// review is full.
	Right bool
}

// ReviewQuestions returns the questions drawn for an attempt (drawn, with its seed)
// as a review in mode shows them, given what was graded (results, in file
// ids). The score mode shows no question, so it returns none. A question
// the file has lost is Gone rather than an error: the other questions are
// shown as the attempt showed them, because each question's option order
// depends on the seed and that question alone.
func (q *Quiz) ReviewQuestions(drawn []string, seed string, results []QuestionResult, mode string) []Reviewed {
	if mode != ReviewFull && mode != ReviewExplanations {
		return nil
	}
	var present []string
	for _, id := range drawn {
		if _, ok := q.question(id); ok {
			present = append(present, id)
		}
	}
	v, err := q.View(present, seed)
	if err != nil {
		return nil // cannot happen: every id in present is in the quiz
	}
	graded := map[string]QuestionResult{}
	for _, r := range results {
		graded[r.Question] = r
	}
	key := q.Key(present)
	out := make([]Reviewed, 0, len(drawn))
	shown := 0
	for _, id := range drawn {
		r, ok := graded[id]
		rev := Reviewed{Graded: ok, Correct: r.Correct}
		qu, inQuiz := q.question(id)
		if !inQuiz {
			rev.Gone = true
			out = append(out, rev)
			continue
		}
		p := v.presented[shown]
		shown++
		rev.Kind, rev.Prompt, rev.KeyShown = qu.Kind, p.Prompt, mode == ReviewFull
		known := map[string]bool{}
		for _, o := range p.Options {
			fileID := v.option[id][o.ID]
			known[fileID] = true
			ro := ReviewedOption{Text: o.Text, Chosen: slices.Contains(r.Chosen, fileID)}
			if rev.KeyShown {
				ro.Right = slices.Contains(key[id], fileID)
			}
			rev.Options = append(rev.Options, ro)
		}
		for _, c := range r.Chosen {
			rev.ChoiceGone = rev.ChoiceGone || !known[c]
		}
		rev.Explanation = qu.explanationHTML
		if rev.Explanation == "" && qu.Explanation != "" {
			// Parse renders it; a quiz built another way renders here.
			rev.Explanation, _ = RenderMarkdown(qu.Explanation)
		}
		out = append(out, rev)
	}
	return out
}

// Answered tells whether an option shown is among those chosen: false for
// a question left unanswered (or whose chosen options are all gone).
func (r Reviewed) Answered() bool {
	return slices.ContainsFunc(r.Options, func(o ReviewedOption) bool { return o.Chosen })
}
