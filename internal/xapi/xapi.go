// Package xapi writes completions as xAPI (Experience API 1.0.3) statements,
// one JSON object per line, so a learning record store or an LMS can take
// them: the actor is the staff account, the verb "passed" or "completed",
// the object the module's page, the result the score.
package xapi

import (
	"bufio"
	"context"
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"northstar/internal/store"
	"northstar/internal/training"
)

// Verbs, from the ADL vocabulary.
const (
	VerbPassed    = "http://adlnet.gov/expapi/verbs/passed"
	VerbCompleted = "http://adlnet.gov/expapi/verbs/completed"
	activityType  = "http://adlnet.gov/expapi/activities/module"
)

// Statement is the part of an xAPI statement Northstar fills in.
type Statement struct {
	ID        string    `json:"id"`
	Actor     Actor     `json:"actor"`
	Verb      Verb      `json:"verb"`
	Object    Activity  `json:"object"`
	Result    Result    `json:"result"`
	Context   Context   `json:"context"`
	Timestamp time.Time `json:"timestamp"`
	Version   string    `json:"version"`
}

// Actor is identified by account (xAPI's "account" inverse functional
// identifier): the site's address and the account's email.
type Actor struct {
	ObjectType string  `json:"objectType"`
	Name       string  `json:"name"`
	Account    Account `json:"account"`
}

type Account struct {
	HomePage string `json:"homePage"`
	Name     string `json:"name"`
}

type Verb struct {
	ID      string   `json:"id"`
	Display LangText `json:"display"`
}

// LangText is an xAPI language map; Northstar's training is in US English.
type LangText struct {
	EnUS string `json:"en-US"`
}

type Activity struct {
	ObjectType string     `json:"objectType"`
	ID         string     `json:"id"`
	Definition Definition `json:"definition"`
}

type Definition struct {
	Name LangText `json:"name"`
	Type string   `json:"type"`
}

type Result struct {
	Score      Score `json:"score"`
	Success    bool  `json:"success"`
	Completion bool  `json:"completion"`
}

// Score: raw is the percent scored, scaled the same over 1.
type Score struct {
	Scaled float64 `json:"scaled"`
	Raw    int     `json:"raw"`
	Min    int     `json:"min"`
	Max    int     `json:"max"`
}

type Context struct {
	Platform string `json:"platform"`
	Language string `json:"language"`
}

// FromAttempt makes the statement of one graded attempt: "passed" for a pass,
// "completed" (with success false) otherwise. The id is derived from the
// attempt, so exporting twice gives the same statements and a record store
// keeps one of each.
func FromAttempt(base string, u store.User, m training.Module, a store.Attempt) Statement {
	base = strings.TrimRight(base, "/")
	verb, display := VerbCompleted, "completed"
	if a.Passed {
		verb, display = VerbPassed, "passed"
	}
	return Statement{
		ID:    statementID(base, a.ID),
		Actor: Actor{ObjectType: "Agent", Name: u.Name, Account: Account{HomePage: base + "/", Name: u.Email}},
		Verb:  Verb{ID: verb, Display: LangText{EnUS: display}},
		Object: Activity{ObjectType: "Activity", ID: base + m.URL,
			Definition: Definition{Name: LangText{EnUS: m.Title}, Type: activityType}},
		Result:    Result{Score: Score{Scaled: float64(a.Score) / 100, Raw: a.Score, Min: 0, Max: 100}, Success: a.Passed, Completion: true},
		Context:   Context{Platform: "Northstar", Language: "en-US"},
		Timestamp: a.SubmittedAt.UTC(),
		Version:   "1.0.3",
	}
}

// statementID is a name-based (version 5) UUID of the attempt within this site.
func statementID(base, attempt string) string {
	// The URL namespace of RFC 4122.
	ns := [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(base + "/attempts/" + attempt))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// Source is what an export reads: the staff and their graded attempts.
type Source interface {
	Users(ctx context.Context) ([]store.User, error)
	EachGradedAttempt(ctx context.Context, q store.GradedQuery, fn func(store.Attempt) error) error
}

// Export writes a statement per graded attempt of a module's quiz, in no
// particular order (each carries its timestamp), streaming from the store.
// Attempts of quizzes no module uses are left out.
func Export(ctx context.Context, st Source, base string, modules []training.Module, w io.Writer) (int, error) {
	users, err := st.Users(ctx)
	if err != nil {
		return 0, err
	}
	byID := make(map[int64]store.User, len(users))
	for _, u := range users {
		byID[u.ID] = u
	}
	byQuiz := map[string]training.Module{}
	for _, m := range modules {
		byQuiz[m.Quiz] = m
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	n := 0
	err = st.EachGradedAttempt(ctx, store.GradedQuery{}, func(a store.Attempt) error {
		m, ok := byQuiz[a.QuizID]
		u, known := byID[a.UserID]
		if !ok || !known {
			return nil
		}
		n++
		return enc.Encode(FromAttempt(base, u, m, a))
	})
	if err != nil {
		return n, fmt.Errorf("export xapi: %w", err)
	}
	return n, bw.Flush()
}
