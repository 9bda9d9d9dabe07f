// Package training owns the rules of taking a module: starting an attempt,
// grading it once, and what a learner's record says. It keeps answer keys in
// the quiz package's types; callers get Presented questions and Graded
// results, under the ids each attempt shows (quiz.View).
package training

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"time"

	"northstar/internal/certificate"
	"northstar/internal/quiz"
	"northstar/internal/store"
)

// Errors a caller turns into a status for the learner.
var (
	ErrNoQuiz    = errors.New("no such quiz")
	ErrNoAttempt = errors.New("no such attempt")
)

// Service runs the training rules of one release (its quizzes, modules
// and departments) against the store: attempts and grading, certificates,
// assignments and reports.
type Service struct {
	Store   Store
	Quizzes map[string]*quiz.Quiz
	// Modules tell which module a quiz certifies, and for how long.
	Modules []Module
	// Departments are those staff belong to (config.toml).
	Departments []string
	Now         func() time.Time
}

// Module is the module with slug.
func (s *Service) Module(slug string) (Module, bool) { return FindModule(s.Modules, slug) }

// moduleOrSlug is the module with slug, or, once it has left the site, a
// module with only the slug, as its title too: certificates and
// assignments outlive their module.
func (s *Service) moduleOrSlug(slug string) *Module {
	if i := moduleIndex(s.Modules, slug); i >= 0 {
		return &s.Modules[i]
	}
	return &Module{Slug: slug, Title: slug}
}

// moduleOf is the module whose quiz is quizID.
func (s *Service) moduleOf(quizID string) (Module, bool) {
	for _, m := range s.Modules {
		if m.Quiz == quizID {
			return m, true
		}
	}
	return Module{}, false
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Started is a new attempt as the learner sees it.
type Started struct {
	Attempt  string `json:"attempt"`
	Quiz     string `json:"quiz"`
	Title    string `json:"title"`
	PassMark int    `json:"pass_mark"`
	// Review is what grading and later reviews show (quiz.Review…).
	Review    string           `json:"review"`
	Questions []quiz.Presented `json:"questions"`
}

// Open attempts are reused: reloading a quiz page or calling the API again
// shows the same attempt, so reloads do not fill the store.
const (
	// AttemptReuse is how long an open attempt is shown again.
	AttemptReuse = 24 * time.Hour
	// MaxStartsPerDay bounds the attempts one learner starts at one quiz
	// in AttemptReuse; past it, ErrTooManyAttempts.
	MaxStartsPerDay = 100
)

// ErrTooManyAttempts means a learner started MaxStartsPerDay attempts at a
// quiz in a day.
var ErrTooManyAttempts = errors.New("too many attempts started today")

// Start returns the learner's open attempt at a quiz (started in the last
// AttemptReuse, not submitted), or draws a new one on the server and
// records which questions, with its secret seed. What is returned has no
// answers, no explanations and no id from the quiz file (quiz.View).
func (s *Service) Start(ctx context.Context, u User, quizID string) (Started, error) {
	q, ok := s.Quizzes[quizID]
	if !ok {
		return Started{}, fmt.Errorf("%w: %q", ErrNoQuiz, quizID)
	}
	now := s.now()
	open, starts, err := s.Store.OpenAttempt(ctx, u.ID, quizID, now.Add(-AttemptReuse))
	switch {
	case err == nil && open.Seed != "":
		// A quiz republished without one of its questions gets a new one.
		if v, err := q.View(open.Drawn, open.Seed); err == nil {
			return present(q, open.ID, v), nil
		}
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return Started{}, err
	}
	if starts >= MaxStartsPerDay {
		return Started{}, ErrTooManyAttempts
	}
	var rseed [32]byte
	if _, err := rand.Read(rseed[:]); err != nil {
		return Started{}, fmt.Errorf("draw seed: %w", err)
	}
	// The id is unguessable on its own (80 random bits), though the store
	// also checks it belongs to the learner.
	var idBytes [10]byte
	if _, err := rand.Read(idBytes[:]); err != nil {
		return Started{}, fmt.Errorf("attempt id: %w", err)
	}
	seed, err := quiz.NewSeed()
	if err != nil {
		return Started{}, err
	}
	a := Attempt{ID: base32.StdEncoding.EncodeToString(idBytes[:]), UserID: u.ID, QuizID: quizID,
		Drawn: q.DrawQuestions(mrand.New(mrand.NewChaCha8(rseed))), Seed: seed, StartedAt: now}
	v, err := q.View(a.Drawn, a.Seed)
	if err != nil {
		return Started{}, err
	}
	if err := s.Store.CreateAttempt(ctx, a); err != nil {
		return Started{}, err
	}
	return present(q, a.ID, v), nil
}

func present(q *quiz.Quiz, id string, v *quiz.View) Started {
	return Started{Attempt: id, Quiz: q.ID, Title: q.Title, PassMark: q.PassMark, Review: q.Review, Questions: v.Questions()}
}

// Resume shows an attempt's questions again, for a reloaded page.
func (s *Service) Resume(ctx context.Context, u User, quizID, attemptID string) (Started, Attempt, error) {
	q, a, err := s.attempt(ctx, u, quizID, attemptID)
	if err != nil {
		return Started{}, a, err
	}
	v, err := q.View(a.Drawn, a.Seed)
	if err != nil {
		return Started{}, a, err
	}
	return present(q, a.ID, v), a, nil
}

func (s *Service) attempt(ctx context.Context, u User, quizID, attemptID string) (*quiz.Quiz, Attempt, error) {
	q, ok := s.Quizzes[quizID]
	if !ok {
		return nil, Attempt{}, fmt.Errorf("%w: %q", ErrNoQuiz, quizID)
	}
	a, err := s.Store.Attempt(ctx, attemptID)
	if err := s.owns(u, quizID, a, err); err != nil {
		return nil, Attempt{}, err
	}
	return q, a, nil
}

// owns checks an attempt read with err is u's attempt at quizID: someone
// else's attempt is, to this learner, no attempt at all.
func (s *Service) owns(u User, quizID string, a Attempt, err error) error {
	if errors.Is(err, store.ErrNotFound) || err == nil && (a.UserID != u.ID || a.QuizID != quizID) {
		return ErrNoAttempt
	}
	return err
}

// Submit grades an attempt and records it. Submitting the same attempt again
// returns the first result and records nothing new. The result holds each
// question's outcome and explanation unless the quiz's review is score;
// what is recorded is the same either way.
func (s *Service) Submit(ctx context.Context, u User, quizID, attemptID string, answers map[string][]string) (Result, error) {
	q, ok := s.Quizzes[quizID]
	if !ok {
		return Result{}, fmt.Errorf("%w: %q", ErrNoQuiz, quizID)
	}
	// What the attempt was when started is enough to grade it; whether
	// it is already graded is the store's to tell, in SubmitAttempt.
	a, err := s.Store.StartedAttempt(ctx, attemptID)
	if err := s.owns(u, quizID, a, err); err != nil {
		return Result{}, err
	}
	v, err := q.View(a.Drawn, a.Seed)
	if err != nil {
		return Result{}, err
	}
	g, err := grade(q, v, a.Drawn, answers)
	if err != nil {
		// A repeat of a graded attempt gets its grade, whatever it sends.
		if rec, rerr := s.Store.Attempt(ctx, attemptID); rerr == nil && rec.SubmittedAt != nil {
			res, err := s.result(ctx, rec, v)
			return reviewable(q, res), err
		}
		return Result{}, err
	}
	results, err := json.Marshal(g.Results)
	if err != nil {
		return Result{}, fmt.Errorf("encode results: %w", err)
	}
	compact := make([]Answer, len(g.Results))
	for i, r := range g.Results {
		compact[i] = Answer{Question: r.Question, Correct: r.Correct, Chosen: r.Chosen}
	}
	answersJSON, err := json.Marshal(compact)
	if err != nil {
		return Result{}, fmt.Errorf("encode answers: %w", err)
	}
	at := s.now()
	a.SubmittedAt, a.Results, a.Answers, a.Score, a.Passed = &at, results, answersJSON, g.Score, g.Passed
	var issue *Certificate
	if m, ok := s.moduleOf(quizID); ok && g.Passed {
		code, err := certificate.NewCode()
		if err != nil {
			return Result{}, err
		}
		issue = &Certificate{Code: code, UserID: u.ID, Module: m.Slug, AttemptID: a.ID, Score: g.Score,
			PassedAt: at, ValidUntil: ValidUntil(at, m.ValidMonths)}
	}
	rec, err := s.Store.SubmitAttempt(ctx, a, issue)
	if err != nil {
		return Result{}, err
	}
	if rec.SubmittedAt != nil && rec.SubmittedAt.Equal(at) {
		// This submission was the one recorded, with its certificate if
		// it passed: no need to ask the database which.
		g.Results = v.Encode(g.Results)
		res := Result{Graded: g}
		if issue != nil {
			res.Certificate = issue.Code
		}
		return reviewable(q, res), nil
	}
	res, err := s.result(ctx, rec, v)
	return reviewable(q, res), err
}

// reviewable is the part of a learner's result the quiz's review key lets
// them see: with review: score, the score and outcome only, right after
// grading as later in the review, or the page of results would show what
// the review hides.
func reviewable(q *quiz.Quiz, res Result) Result {
	if q.Review == quiz.ReviewScore {
		res.Results = []quiz.QuestionResult{}
	}
	return res
}

// grade grades answers given in the ids v showed.
func grade(q *quiz.Quiz, v *quiz.View, drawn []string, answers map[string][]string) (quiz.Graded, error) {
	real, err := v.Decode(answers)
	if err != nil {
		return quiz.Graded{}, err
	}
	return q.Grade(drawn, real)
}

// Answer is the compact record of one graded answer kept for item analysis.
type Answer struct {
	Question string   `json:"q"`
	Correct  bool     `json:"ok"`
	Chosen   []string `json:"c,omitempty"`
}

// Result is a graded attempt and, for a pass, its certificate code.
type Result struct {
	quiz.Graded
	Certificate string `json:"certificate,omitempty"`
}

// result is the graded attempt as recorded, in the ids v shows, with the
// certificate it earned.
func (s *Service) result(ctx context.Context, a Attempt, v *quiz.View) (Result, error) {
	g, err := decodeGraded(a)
	if err != nil {
		return Result{}, err
	}
	g.Results = v.Encode(g.Results)
	res := Result{Graded: g}
	if a.Passed {
		c, err := s.Store.CertificateByAttempt(ctx, a.ID)
		switch {
		case err == nil:
			res.Certificate = c.Code
		case !errors.Is(err, store.ErrNotFound): // a quiz no module uses issues none
			return res, err
		}
	}
	return res, nil
}

func decodeGraded(a Attempt) (quiz.Graded, error) {
	g := quiz.Graded{Score: a.Score, Passed: a.Passed}
	if err := json.Unmarshal(a.Results, &g.Results); err != nil {
		return g, fmt.Errorf("decode results of attempt %s: %w", a.ID, err)
	}
	return g, nil
}

// ModuleRecord is one line of My training.
type ModuleRecord struct {
	Module     string     `json:"module"`
	Title      string     `json:"title"`
	URL        string     `json:"url"`
	Quiz       string     `json:"quiz"`
	ForYou     bool       `json:"for_your_department"`
	Status     string     `json:"status"`
	Assigned   bool       `json:"assigned"`
	Due        *time.Time `json:"due,omitempty"`
	Attempts   int        `json:"attempts"`
	BestScore  *int       `json:"best_score"`
	PassedAt   *time.Time `json:"passed_at"`
	InProgress string     `json:"open_attempt,omitempty"`
	// Certificate is the code of the certificate that holds, or else of the
	// latest one (expired); ValidUntil its end.
	Certificate string     `json:"certificate,omitempty"`
	ValidUntil  *time.Time `json:"valid_until,omitempty"`
	// Graded are the learner's graded attempts, the latest first, for
	// My training to link to their reviews; the API gives only counts.
	Graded []AttemptLine `json:"-"`
}

// Progress tells, for each module, where the learner stands (see Evaluate)
// and what their attempts were. Assigned modules come first, by due date.
func (s *Service) Progress(ctx context.Context, u User, modules []Module) ([]ModuleRecord, error) {
	attempts, err := s.Store.AttemptsByUser(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	assignments, err := s.Store.AssignmentsFor(ctx, u.ID, u.Department)
	if err != nil {
		return nil, err
	}
	certs, err := s.Store.CertificatesByUser(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]ModuleRecord, 0, len(modules))
	for _, m := range modules {
		rec := ModuleRecord{Module: m.Slug, Title: m.Title, URL: m.URL, Quiz: m.Quiz}
		for _, a := range m.Audience {
			if a == "all" || a == u.Department {
				rec.ForYou = true
			}
		}
		started := 0
		for _, a := range attempts {
			if a.QuizID != m.Quiz {
				continue
			}
			started++
			if a.SubmittedAt == nil {
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
		rec.Graded = gradedLines(attempts, m.Quiz)
		var mine []Assignment
		for _, a := range assignments {
			if a.Module == m.Slug && Applies(a, u) {
				mine = append(mine, a)
			}
		}
		var held []Certificate
		for _, c := range certs {
			if c.Module == m.Slug {
				held = append(held, c)
			}
		}
		st := Evaluate(now, u, mine, held, started)
		rec.Status, rec.Assigned = st.Status, st.Assigned
		if !st.Due.IsZero() {
			due := st.Due
			rec.Due = &due
		}
		if c := st.Holding; c != nil || st.Last != nil {
			if c == nil {
				c = st.Last
			}
			until := c.ValidUntil
			rec.Certificate, rec.ValidUntil = c.Code, &until
		}
		out = append(out, rec)
	}
	// Assigned or due again first, by due date (a completed one's is when
	// it expires); then those for the learner's department; each in
	// curriculum order.
	slices.SortStableFunc(out, func(a, b ModuleRecord) int {
		ad, bd := a.Due != nil && (a.Assigned || a.Status == Expired), b.Due != nil && (b.Assigned || b.Status == Expired)
		switch {
		case ad && bd:
			return a.Due.Compare(*b.Due)
		case ad:
			return -1
		case bd:
			return 1
		case a.ForYou != b.ForYou && a.ForYou:
			return -1
		case a.ForYou != b.ForYou:
			return 1
		}
		return 0
	})
	return out, nil
}
