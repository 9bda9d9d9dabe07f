package quiz

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
)

// Presented is a question as a learner sees it before grading: no answer key,
// no explanation.
type Presented struct {
	ID      string            `json:"id"`
	Kind    string            `json:"kind"`
	Prompt  string            `json:"prompt"`
	Options []PresentedOption `json:"options"`
}

// PresentedOption is one choice, without whether it is correct.
type PresentedOption struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// DrawQuestions picks q.Draw questions of the pool at random, in random order, and
// returns their ids. The server records them: a client cannot choose its own.
func (q *Quiz) DrawQuestions(r *rand.Rand) []string {
	ids := make([]string, len(q.Questions))
	for i, qu := range q.Questions {
		ids[i] = qu.ID
	}
	r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	n := min(q.Draw, len(ids))
	out := ids[:n]
	if !q.Shuffle {
		// Keep the file's order for the drawn questions.
		order := map[string]int{}
		for i, qu := range q.Questions {
			order[qu.ID] = i
		}
		sort.Slice(out, func(i, j int) bool { return order[out[i]] < order[out[j]] })
	}
	return out
}

func (q *Quiz) question(id string) (*Question, bool) {
	for i := range q.Questions {
		if q.Questions[i].ID == id {
			return &q.Questions[i], true
		}
	}
	return nil, false
}

// ErrBadAnswer means the answers do not fit the attempt; its message says how.
var ErrBadAnswer = errors.New("answers do not fit this attempt")

// ErrQuizChanged means a question drawn for an attempt is no longer in the
// quiz: a trainer published a new version while the learner had it open.
// The learner has to start again.
var ErrQuizChanged = errors.New("the quiz changed since this attempt started")

// Graded is the outcome of one attempt.
type Graded struct {
	Score   int              `json:"score"` // percent, rounded down
	Passed  bool             `json:"passed"`
	Results []QuestionResult `json:"results"`
}

// QuestionResult says whether one question was answered right, and why.
type QuestionResult struct {
	Question string `json:"question"`
	// Prompt is the question's text, in results sent to the learner (not
	// in those stored: the quiz file has it).
	Prompt      string   `json:"prompt,omitempty"`
	Correct     bool     `json:"correct"`
	Chosen      []string `json:"chosen"`
	Explanation string   `json:"explanation"` // HTML
}

// Grade marks answers (question id → chosen option ids) against the drawn
// questions. A question left out counts as wrong; an answer to a question not
// drawn, or naming an option the question lacks, is ErrBadAnswer.
func (q *Quiz) Grade(drawn []string, answers map[string][]string) (Graded, error) {
	for id := range answers {
		if !slices.Contains(drawn, id) {
			return Graded{}, fmt.Errorf("%w: question %q was not part of this attempt", ErrBadAnswer, id)
		}
	}
	var g Graded
	right := 0
	for _, id := range drawn {
		qu, ok := q.question(id)
		if !ok {
			return Graded{}, fmt.Errorf("%w: drawn question %q is no longer in quiz %s", ErrQuizChanged, id, q.ID)
		}
		chosen := uniqueSorted(answers[id])
		var want []string
		switch qu.Kind {
		case TrueFalse:
			for _, c := range chosen {
				if c != "true" && c != "false" {
					return Graded{}, fmt.Errorf("%w: question %q has no option %q", ErrBadAnswer, id, c)
				}
			}
			want = []string{fmt.Sprint(*qu.Answer)}
		default:
			for _, c := range chosen {
				if !slices.ContainsFunc(qu.Options, func(o Option) bool { return o.ID == c }) {
					return Graded{}, fmt.Errorf("%w: question %q has no option %q", ErrBadAnswer, id, c)
				}
			}
			for _, o := range qu.Options {
				if o.Correct {
					want = append(want, o.ID)
				}
			}
			sort.Strings(want)
		}
		if (qu.Kind == Single || qu.Kind == TrueFalse) && len(chosen) > 1 {
			return Graded{}, fmt.Errorf("%w: question %q takes one answer", ErrBadAnswer, id)
		}
		correct := slices.Equal(chosen, want)
		if correct {
			right++
		}
		expl := qu.explanationHTML
		if expl == "" && qu.Explanation != "" {
			var err error
			if expl, err = RenderMarkdown(qu.Explanation); err != nil {
				return Graded{}, err
			}
		}
		g.Results = append(g.Results, QuestionResult{Question: id, Correct: correct, Chosen: chosen, Explanation: expl})
	}
	if len(drawn) > 0 {
		g.Score = right * 100 / len(drawn)
	}
	g.Passed = g.Score >= q.PassMark
	return g, nil
}

func uniqueSorted(l []string) []string {
	out := append([]string{}, l...)
	sort.Strings(out)
	return slices.Compact(out)
}

// Key returns the right answers to the given questions, as Grade takes them.
// It is for tests and trainers' tools; never send it to a learner.
func (q *Quiz) Key(ids []string) map[string][]string {
	out := map[string][]string{}
	for _, id := range ids {
		qu, ok := q.question(id)
		if !ok {
			continue
		}
		if qu.Kind == TrueFalse {
			out[id] = []string{fmt.Sprint(*qu.Answer)}
			continue
		}
		for _, o := range qu.Options {
			if o.Correct {
				out[id] = append(out[id], o.ID)
			}
		}
	}
	return out
}
