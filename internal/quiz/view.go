package quiz

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	mrand "math/rand/v2"
	"strconv"
	"strings"
)

// NewSeed returns a new attempt's secret: 128 random bits. It stays on the
// server; the learner sees only what View derives from it.
func NewSeed() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("attempt seed: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// View is how one attempt shows its questions: each question and option
// under an id derived from the attempt's secret seed, and the options in an
// order the seed decides (with shuffle). Ids in quiz files are written by
// people ("a" is often the right one; "minor-no-force" says the answer), so
// none of them is shown: nothing a learner sees before grading correlates
// with the answer key. Grading maps the shown ids back (Decode).
type View struct {
	presented []Presented
	// question maps a shown question id to its file id; option maps a
	// file question id and a shown option id to the option's file id.
	question map[string]string
	option   map[string]map[string]string
	// shown is the other way round: file question id → shown id, and
	// "question\x00option" → shown option id.
	shown map[string]string
	// prompt is each question's text, by file id.
	prompt map[string]string
}

// trueFalse are the two options of a true_false question, by file id.
var trueFalse = []PresentedOption{{ID: "true", Text: "True"}, {ID: "false", Text: "False"}}

// View returns the drawn questions as the attempt with seed shows them, or
// ErrQuizChanged when one is no longer in the quiz. An empty seed is an
// attempt started before seeds were kept: it shows the file's ids, in the
// file's order, so that a page rendered then can still be submitted.
func (q *Quiz) View(drawn []string, seed string) (*View, error) {
	v := &View{question: map[string]string{}, option: map[string]map[string]string{}, shown: map[string]string{}, prompt: map[string]string{}}
	var mac func(parts ...string) []byte
	if seed != "" {
		mac = func(parts ...string) []byte {
			h := hmac.New(sha256.New, []byte(seed))
			h.Write([]byte(strings.Join(parts, "\x00")))
			return h.Sum(nil)
		}
	}
	shownID := func(taken map[string]string, prefix string, parts ...string) string {
		if mac == nil {
			return parts[len(parts)-1]
		}
		id := prefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(mac(parts...)[:5]))
		// 40 bits: two alike in one attempt are all but impossible, and
		// resolved the same way on every read if they happen.
		for n := 2; taken[id] != ""; n++ {
			id = strings.TrimRight(id, "0123456789") + strconv.Itoa(n)
		}
		return id
	}
	for _, id := range drawn {
		qu, ok := q.question(id)
		if !ok {
			return nil, fmt.Errorf("%w: drawn question %q is no longer in quiz %s", ErrQuizChanged, id, q.ID)
		}
		qid := shownID(v.question, "q", "question", qu.ID)
		v.question[qid], v.shown[qu.ID], v.prompt[qu.ID] = qu.ID, qid, qu.Prompt
		opts := trueFalse
		if qu.Kind != TrueFalse {
			opts = make([]PresentedOption, len(qu.Options))
			for i, o := range qu.Options {
				opts[i] = PresentedOption{ID: o.ID, Text: o.Text}
			}
			if q.Shuffle && mac != nil {
				sum := mac("order", qu.ID)
				r := mrand.New(mrand.NewPCG(binary.LittleEndian.Uint64(sum[:8]), binary.LittleEndian.Uint64(sum[8:16])))
				r.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
			}
		}
		p := Presented{ID: qid, Kind: qu.Kind, Prompt: qu.Prompt, Options: make([]PresentedOption, len(opts))}
		v.option[qu.ID] = map[string]string{}
		for i, o := range opts {
			oid := shownID(v.option[qu.ID], "", "option", qu.ID, o.ID)
			v.option[qu.ID][oid], v.shown[qu.ID+"\x00"+o.ID] = o.ID, oid
			p.Options[i] = PresentedOption{ID: oid, Text: o.Text}
		}
		v.presented = append(v.presented, p)
	}
	return v, nil
}

// Questions are the questions as the learner sees them: no answer key, no
// explanation, no id from the file.
func (v *View) Questions() []Presented { return v.presented }

// Decode maps answers in shown ids to the file's ids, for Grade. A question
// or an option this attempt did not show is ErrBadAnswer.
func (v *View) Decode(answers map[string][]string) (map[string][]string, error) {
	out := make(map[string][]string, len(answers))
	for qid, chosen := range answers {
		id, ok := v.question[qid]
		if !ok {
			return nil, fmt.Errorf("%w: question %q was not part of this attempt", ErrBadAnswer, qid)
		}
		real := make([]string, 0, len(chosen))
		for _, c := range chosen {
			oid, ok := v.option[id][c]
			if !ok {
				return nil, fmt.Errorf("%w: question %q has no option %q", ErrBadAnswer, qid, c)
			}
			real = append(real, oid)
		}
		out[id] = real
	}
	return out, nil
}

// Encode maps graded results (file ids) to the ids this attempt showed, so
// a client can match each result to the question it answered, and adds
// each question's prompt.
func (v *View) Encode(results []QuestionResult) []QuestionResult {
	out := make([]QuestionResult, len(results))
	for i, r := range results {
		e := r
		e.Prompt = v.prompt[r.Question]
		if id, ok := v.shown[r.Question]; ok {
			e.Question = id
		}
		e.Chosen = make([]string, len(r.Chosen))
		for j, c := range r.Chosen {
			e.Chosen[j] = c
			if id, ok := v.shown[r.Question+"\x00"+c]; ok {
				e.Chosen[j] = id
			}
		}
		out[i] = e
	}
	return out
}
