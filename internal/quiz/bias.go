package quiz

import (
	"fmt"
	"strings"
	"unicode"
)

// A quiz's key is "biased" when most of its questions share a right
// answer's id or position, or most true/false answers are the same: a
// learner who always picks it passes without reading (the options' shown
// ids and order no longer tell, but a printed quiz, a quiz without shuffle,
// or a habit of "always true" still would).
const (
	biasMinQuestions = 4
	biasChoiceShare  = 0.5
	biasTrueFalse    = 0.75
	// The right option of a single-answer question stands out when it is
	// this much longer than every wrong one (in letters) ...
	giveawayRatio = 1.5
	giveawayExtra = 20
)

// KeyBias says how the quiz's answer key leans, one sentence each, or
// nothing. northstar check shows these as warnings.
func (q *Quiz) KeyBias() []string {
	var out []string
	byID, byPos := map[string]int{}, map[int]int{}
	choice, truths, tf := 0, 0, 0
	singles, longest := 0, 0
	for _, qu := range q.Questions {
		if qu.Kind == Single && len(qu.Options) > 1 {
			singles++
			if r, w := rightAndLongestWrong(qu); r > w {
				longest++
			}
		}
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
	if singles >= biasMinQuestions && float64(longest) > biasChoiceShare*float64(singles) {
		out = append(out, fmt.Sprintf("the right option is the longest in %d of %d single-answer questions: a learner who picks the longest passes; make wrong options as full as the right one", longest, singles))
	}
	if tf >= biasMinQuestions {
		if share := float64(truths) / float64(tf); share > biasTrueFalse || share < 1-biasTrueFalse {
			out = append(out, fmt.Sprintf("%d of %d true/false answers are %v: make about as many true as false", max(truths, tf-truths), tf, truths > tf-truths))
		}
	}
	return out
}

// Words a true/false statement should not hinge on: a learner guesses
// "false" at "only" or "never" without knowing the answer.
var absoluteWords = []string{"only", "always", "never", "all", "none", "every", "nobody", "everyone", "nothing"}

// Phrases that lean on another question: questions are drawn at random,
// so each must stand alone.
var otherQuestion = []string{"same inspection", "same visit", "same call", "same person", "same worker", "previous question",
	"question above", "last question", "earlier question", "the same scenario", "as above", "in the last question"}

// rightAndLongestWrong gives the length in letters of a single-answer
// question's right option and of its longest wrong one.
func rightAndLongestWrong(qu Question) (right, wrong int) {
	for _, o := range qu.Options {
		n := len([]rune(o.Text))
		if o.Correct {
			right = n
		} else {
			wrong = max(wrong, n)
		}
	}
	return right, wrong
}

// Warnings are what northstar check tells a trainer about the quiz without
// refusing it: a leaning key (KeyBias), a question that leans on another,
// a choice question with two options, a right option that gives itself
// away by its length, a "choose all that apply" with one right option, a
// true/false statement that hinges on an absolute word.
func (q *Quiz) Warnings() []Problem {
	var out []Problem
	for _, w := range q.KeyBias() {
		out = append(out, Problem{File: q.File, Line: 1, Message: w})
	}
	for _, qu := range q.Questions {
		prompt := " " + strings.ToLower(strings.Join(strings.FieldsFunc(qu.Prompt, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }), " ")) + " "
		for _, p := range otherQuestion {
			if strings.Contains(prompt, " "+p+" ") {
				out = append(out, Problem{File: q.File, Line: qu.Line, Message: fmt.Sprintf("question %q says %q: questions are drawn at random, so each must stand alone", qu.ID, p)})
				break
			}
		}
		if (qu.Kind == Single || qu.Kind == Multiple) && len(qu.Options) < 3 {
			out = append(out, Problem{File: q.File, Line: qu.Line, Message: fmt.Sprintf("question %q has %d options: a guess is right half the time; add a plausible wrong one", qu.ID, len(qu.Options))})
		}
		if qu.Kind == Single {
			if r, w := rightAndLongestWrong(qu); float64(r) >= giveawayRatio*float64(w) && r-w >= giveawayExtra {
				out = append(out, Problem{File: q.File, Line: qu.Line, Message: fmt.Sprintf("question %q: the right option is much longer than any other (%d letters against %d): it gives itself away", qu.ID, r, w)})
			}
		}
		switch qu.Kind {
		case Multiple:
			right := 0
			for _, o := range qu.Options {
				if o.Correct {
					right++
				}
			}
			if right == 1 {
				out = append(out, Problem{File: q.File, Line: qu.Line, Message: fmt.Sprintf("question %q asks for all that apply but one option is right: use kind: single, or mark the others", qu.ID)})
			}
		case TrueFalse:
			for _, w := range absoluteWords {
				if strings.Contains(prompt, " "+w+" ") {
					out = append(out, Problem{File: q.File, Line: qu.Line, Message: fmt.Sprintf("true/false question %q hinges on %q: a learner can guess from the word alone; write it as a scenario", qu.ID, w)})
					break
				}
			}
		}
	}
	return out
}
