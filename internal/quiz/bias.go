package quiz

import "fmt"

// A quiz's key is "biased" when most of its questions share a right
// answer's id or position, or most true/false answers are the same: a
// learner who always picks it passes without reading (the options' shown
// ids and order no longer tell, but a printed quiz, a quiz without shuffle,
// or a habit of "always true" still would).
const (
	biasMinQuestions = 4
	biasChoiceShare  = 0.5
	biasTrueFalse    = 0.75
)

// KeyBias says how the quiz's answer key leans, one sentence each, or
// nothing. northstar check shows these as warnings.
func (q *Quiz) KeyBias() []string {
	var out []string
	byID, byPos := map[string]int{}, map[int]int{}
	choice, truths, tf := 0, 0, 0
	for _, qu := range q.Questions {
		switch qu.Kind {
		case TrueFalse:
			if qu.Answer != nil {
				tf++
				if *qu.Answer {
					truths++
				}
			}
		case Single, Multiple:
			choice++
			for i, o := range qu.Options {
				if o.Correct {
					byID[o.ID]++
					byPos[i]++
				}
			}
		}
	}
	if choice >= biasMinQuestions {
		for id, n := range byID {
			if float64(n) > biasChoiceShare*float64(choice) {
				out = append(out, fmt.Sprintf("option %q is right in %d of %d choice questions: spread the right answers over the options (ids and order)", id, n, choice))
			}
		}
		for pos, n := range byPos {
			if float64(n) > biasChoiceShare*float64(choice) && byID[string(rune('a'+pos))] != n {
				out = append(out, fmt.Sprintf("option %d is right in %d of %d choice questions: spread the right answers over the options (ids and order)", pos+1, n, choice))
			}
		}
	}
	if tf >= biasMinQuestions {
		if share := float64(truths) / float64(tf); share > biasTrueFalse || share < 1-biasTrueFalse {
			out = append(out, fmt.Sprintf("%d of %d true/false answers are %v: make about as many true as false", max(truths, tf-truths), tf, truths > tf-truths))
		}
	}
	return out
}
