// Package training owns the rules of taking a module: starting an attempt,
// grading it once, and what a learner's record says. It keeps answer keys in
// the quiz package's types; callers get Presented questions and Graded results.
package training

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"time"

	"northstar/internal/quiz"
	"northstar/internal/store"
)

// Errors a caller turns into a status for the learner.
var (
	ErrNoQuiz    = errors.New("no such quiz")
	ErrNoAttempt = errors.New("no such attempt")
)

// Service runs attempts against the quizzes and the store.
type Service struct {
	Store   store.Store
	Quizzes map[string]*quiz.Quiz
	Now     func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Started is a new attempt as the learner sees it.
type Started struct {
	Attempt   string           `json:"attempt"`
	Quiz      string           `json:"quiz"`
	Title     string           `json:"title"`
	PassMark  int              `json:"pass_mark"`
	Questions []quiz.Presented `json:"questions"`
}

// Start draws questions on the server, records which, and returns them
// without answers or explanations.
func (s *Service) Start(ctx context.Context, u store.User, quizID string) (Started, error) {
	q, ok := s.Quizzes[quizID]
	if !ok {
		return Started{}, fmt.Errorf("%w: %q", ErrNoQuiz, quizID)
	}
	var seed [32]byte
	if _, err := rand.Read(seed[:]); err != nil {
		return Started{}, fmt.Errorf("seed: %w", err)
	}
	r := mrand.New(mrand.NewChaCha8(seed))
	// The id is unguessable on its own (80 random bits), though the store
	// also checks it belongs to the learner.
	var idBytes [10]byte
	if _, err := rand.Read(idBytes[:]); err != nil {
		return Started{}, fmt.Errorf("attempt id: %w", err)
	}
	id := base32.StdEncoding.EncodeToString(idBytes[:])
	drawn := q.DrawQuestions(r)
	if err := s.Store.CreateAttempt(ctx, store.Attempt{ID: id, UserID: u.ID, QuizID: quizID, Drawn: drawn, StartedAt: s.now()}); err != nil {
		return Started{}, err
	}
	presented, err := q.Present(drawn, id)
	if err != nil {
		return Started{}, err
	}
	return Started{Attempt: id, Quiz: quizID, Title: q.Title, PassMark: q.PassMark, Questions: presented}, nil
}

// Resume shows an attempt's questions again, for a reloaded page.
func (s *Service) Resume(ctx context.Context, u store.User, quizID, attemptID string) (Started, store.Attempt, error) {
	q, a, err := s.attempt(ctx, u, quizID, attemptID)
	if err != nil {
		return Started{}, a, err
	}
	presented, err := q.Present(a.Drawn, a.ID)
	if err != nil {
		return Started{}, a, err
	}
	return Started{Attempt: a.ID, Quiz: quizID, Title: q.Title, PassMark: q.PassMark, Questions: presented}, a, nil
}

func (s *Service) attempt(ctx context.Context, u store.User, quizID, attemptID string) (*quiz.Quiz, store.Attempt, error) {
	q, ok := s.Quizzes[quizID]
	if !ok {
		return nil, store.Attempt{}, fmt.Errorf("%w: %q", ErrNoQuiz, quizID)
	}
	a, err := s.Store.Attempt(ctx, attemptID)
	if errors.Is(err, store.ErrNotFound) || err == nil && (a.UserID != u.ID || a.QuizID != quizID) {
		// Someone else's attempt is, to this learner, no attempt at all.
		return nil, store.Attempt{}, ErrNoAttempt
	}
	if err != nil {
		return nil, store.Attempt{}, err
	}
	return q, a, nil
}

// Submit grades an attempt and records it. Submitting the same attempt again
// returns the first result and records nothing new.
func (s *Service) Submit(ctx context.Context, u store.User, quizID, attemptID string, answers map[string][]string) (quiz.Graded, error) {
	q, a, err := s.attempt(ctx, u, quizID, attemptID)
	if err != nil {
		return quiz.Graded{}, err
	}
	if a.SubmittedAt != nil {
		return decodeGraded(a)
	}
	g, err := q.Grade(a.Drawn, answers)
	if err != nil {
		return quiz.Graded{}, err
	}
	results, err := json.Marshal(g.Results)
	if err != nil {
		return quiz.Graded{}, fmt.Errorf("encode results: %w", err)
	}
	at := s.now()
	a.SubmittedAt, a.Results, a.Score, a.Passed = &at, results, g.Score, g.Passed
	rec, err := s.Store.SubmitAttempt(ctx, a)
	if err != nil {
		return quiz.Graded{}, err
	}
	return decodeGraded(rec)
}

func decodeGraded(a store.Attempt) (quiz.Graded, error) {
	g := quiz.Graded{Score: a.Score, Passed: a.Passed}
	if err := json.Unmarshal(a.Results, &g.Results); err != nil {
		return g, fmt.Errorf("decode results of attempt %s: %w", a.ID, err)
	}
	return g, nil
}

// Status of a module for one learner.
const (
	NotStarted = "not started"
	InProgress = "in progress"
	Passed     = "passed"
	Failed     = "failed"
)

// ModuleRecord is one line of My training.
type ModuleRecord struct {
	Module     string     `json:"module"`
	Title      string     `json:"title"`
	URL        string     `json:"url"`
	Quiz       string     `json:"quiz"`
	ForYou     bool       `json:"for_your_department"`
	Status     string     `json:"status"`
	Attempts   int        `json:"attempts"`
	BestScore  *int       `json:"best_score"`
	PassedAt   *time.Time `json:"passed_at"`
	InProgress string     `json:"open_attempt,omitempty"`
}

// ModuleInfo is what Progress needs to know of a module.
type ModuleInfo struct {
	Slug, Title, URL, Quiz string
	Audience               []string
}

// Progress tells, for each module, where the learner stands: passed once any
// attempt passed; failed when graded attempts exist and none passed; in
// progress when only an open attempt exists.
func (s *Service) Progress(ctx context.Context, u store.User, modules []ModuleInfo) ([]ModuleRecord, error) {
	attempts, err := s.Store.AttemptsByUser(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	out := make([]ModuleRecord, 0, len(modules))
	for _, m := range modules {
		rec := ModuleRecord{Module: m.Slug, Title: m.Title, URL: m.URL, Quiz: m.Quiz, Status: NotStarted}
		for _, a := range m.Audience {
			if a == "all" || a == u.Department {
				rec.ForYou = true
			}
		}
		for _, a := range attempts {
			if a.QuizID != m.Quiz {
				continue
			}
			if a.SubmittedAt == nil {
				if rec.Status == NotStarted {
					rec.Status = InProgress
				}
				rec.InProgress = a.ID
				continue
			}
			rec.Attempts++
			if rec.BestScore == nil || a.Score > *rec.BestScore {
				score := a.Score
				rec.BestScore = &score
			}
			if a.Passed && rec.PassedAt == nil {
				at := *a.SubmittedAt
				rec.PassedAt = &at
			}
		}
		switch {
		case rec.PassedAt != nil:
			rec.Status = Passed
		case rec.Attempts > 0:
			rec.Status = Failed
		}
		out = append(out, rec)
	}
	return out, nil
}
