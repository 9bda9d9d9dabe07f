package training

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"northstar/internal/store"
)

// Item analysis: for each question of a quiz, how many answered it right
// (facility) and how well it tells strong from weak candidates
// (discrimination), from every graded attempt.

// Flags a question can earn.
const (
	FlagTooEasy    = "too easy"
	FlagTooHard    = "too hard"
	FlagMisleading = "misleading"
	FlagWeak       = "does not discriminate"
	FlagFewAnswers = "too few answers to judge"
)

// Thresholds, from classical test theory as commonly applied to staff
// quizzes: facility above 0.90 or below 0.30, discrimination below 0.20 (weak)
// or below 0 (low scorers do better: the key or wording may mislead).
const (
	easyAbove     = 0.90
	hardBelow     = 0.30
	weakBelow     = 0.20
	minAnswers    = 20 // below this, no flags but FlagFewAnswers
	groupFraction = 0.27
)

// Item is one question's figures.
type Item struct {
	Question string
	Answers  int // attempts that drew it
	Right    int
	// Facility is Right/Answers.
	Facility float64
	// Discrimination is the facility among the top 27% of attempts by score
	// minus that among the bottom 27%.
	Discrimination float64
	// CommonWrong is the wrong option chosen most often, and how often.
	CommonWrong      string
	CommonWrongCount int
	Flags            []string
}

type answered struct {
	id      string
	score   int
	answers []Answer
}

// ItemAnalysis computes every question's figures for quizID over all graded
// attempts. Attempts recorded before answers were kept compactly are read
// from their full results.
func (s *Service) ItemAnalysis(ctx context.Context, quizID string) ([]Item, int, error) {
	q, ok := s.Quizzes[quizID]
	if !ok {
		return nil, 0, fmt.Errorf("%w: %q", ErrNoQuiz, quizID)
	}
	var all []answered
	err := s.Store.EachGradedAttempt(ctx, store.GradedQuery{QuizID: quizID, Answers: true}, func(a Attempt) error {
		list, err := answersOf(a)
		if err != nil {
			return err
		}
		all = append(all, answered{id: a.ID, score: a.Score, answers: list})
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	ids := make([]string, len(q.Questions))
	for i, qu := range q.Questions {
		ids[i] = qu.ID
	}
	return analyse(all, ids, q.Key(ids)), len(all), nil
}

// answersOf is what a graded attempt's learner answered: its compact
// answers, or, for attempts graded before those were kept, its full
// results, which carry the same keys under longer names.
func answersOf(a Attempt) ([]Answer, error) {
	var list []Answer
	if a.Answers != nil {
		if err := json.Unmarshal(a.Answers, &list); err != nil {
			return nil, fmt.Errorf("answers of attempt %s: %w", a.ID, err)
		}
		return list, nil
	}
	var full []struct {
		Question string   `json:"question"`
		Correct  bool     `json:"correct"`
		Chosen   []string `json:"chosen"`
	}
	if err := json.Unmarshal(a.Results, &full); err != nil {
		return nil, fmt.Errorf("results of attempt %s: %w", a.ID, err)
	}
	for _, f := range full {
		list = append(list, Answer{Question: f.Question, Correct: f.Correct, Chosen: f.Chosen})
	}
	return list, nil
}

// analyse is the arithmetic of ItemAnalysis. Items come in the quiz's order
// (ids), questions no longer in the quiz last; correct maps question → its
// right options, to tell wrong choices.
func analyse(attempts []answered, ids []string, correct map[string][]string) []Item {
	// By score, ties by id: the groups do not depend on the database's order.
	slices.SortFunc(attempts, func(a, b answered) int {
		if a.score != b.score {
			return a.score - b.score
		}
		return strings.Compare(a.id, b.id)
	})
	n := len(attempts)
	g := int(float64(n)*groupFraction + 0.5)
	type tally struct {
		item            Item
		low, lowRight   int
		high, highRight int
		wrong           map[string]int
	}
	byID := map[string]*tally{}
	var order []string
	for i, a := range attempts {
		for _, ans := range a.answers {
			t := byID[ans.Question]
			if t == nil {
				t = &tally{item: Item{Question: ans.Question}, wrong: map[string]int{}}
				byID[ans.Question] = t
				order = append(order, ans.Question)
			}
			t.item.Answers++
			if ans.Correct {
				t.item.Right++
			} else {
				for _, c := range ans.Chosen {
					if !slices.Contains(correct[ans.Question], c) {
						t.wrong[c]++
					}
				}
			}
			switch {
			case i < g:
				t.low++
				if ans.Correct {
					t.lowRight++
				}
			case i >= n-g:
				t.high++
				if ans.Correct {
					t.highRight++
				}
			}
		}
	}
	out := make([]Item, 0, len(order))
	for _, id := range order {
		t := byID[id]
		it := t.item
		it.Facility = float64(it.Right) / float64(it.Answers)
		if t.low > 0 && t.high > 0 {
			it.Discrimination = float64(t.highRight)/float64(t.high) - float64(t.lowRight)/float64(t.low)
		}
		for opt, c := range t.wrong {
			if c > it.CommonWrongCount || c == it.CommonWrongCount && opt < it.CommonWrong {
				it.CommonWrong, it.CommonWrongCount = opt, c
			}
		}
		switch {
		case it.Answers < minAnswers || t.low == 0 || t.high == 0:
			it.Flags = append(it.Flags, FlagFewAnswers)
		default:
			if it.Facility > easyAbove {
				it.Flags = append(it.Flags, FlagTooEasy)
			}
			if it.Facility < hardBelow {
				it.Flags = append(it.Flags, FlagTooHard)
			}
			if it.Discrimination < 0 {
				it.Flags = append(it.Flags, FlagMisleading)
			} else if it.Discrimination < weakBelow {
				it.Flags = append(it.Flags, FlagWeak)
			}
		}
		out = append(out, it)
	}
	rank := func(id string) int {
		if i := slices.Index(ids, id); i >= 0 {
			return i
		}
		return len(ids)
	}
	slices.SortStableFunc(out, func(a, b Item) int { return rank(a.Question) - rank(b.Question) })
	return out
}
