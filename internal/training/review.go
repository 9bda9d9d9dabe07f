package training

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"northstar/internal/quiz"
	"northstar/internal/store"
)

// ErrNotGraded means an attempt is not submitted yet: there is nothing to
// review until it is.
var ErrNotGraded = errors.New("attempt not graded yet")

// Review is a graded attempt as its viewer may look back at it. It is made
// from what the store already holds and the quiz as published now: a
// review writes nothing.
type Review struct {
	Attempt string
	Quiz    string
	// Title is the quiz's title, or its id once the quiz is gone.
	Title string
	// Module is the module whose quiz it is, if one still is.
	Module      *Module
	SubmittedAt time.Time
	Score       int
	Passed      bool
	// PassMark is the quiz's pass mark now; 0 once the quiz is gone.
	PassMark int
	// Mode is how much this viewer sees (a quiz.Review… value).
	Mode string
	// Learner is whose attempt it is when the viewer is someone else (a
	// trainer or an admin); nil on one's own attempt.
	Learner *User
	// QuizGone means the quiz is no longer published: only the score and
	// outcome can be shown.
	QuizGone  bool
	Questions []quiz.Reviewed
}

// ReviewsAny tells whether u may review anyone's attempt, and always in
// full: trainers and admins, who read the answer keys anyway.
func ReviewsAny(u User) bool { return u.Role == store.RoleTrainer || u.Role == store.RoleAdmin }

// Review returns attempt id as viewer may see it: learners their own
// attempts, as much as the quiz's review key allows; trainers and admins
// anyone's, in full. Someone else's attempt is ErrNoAttempt, exactly as an
// id that does not exist, so ids cannot be probed; an attempt not yet
// submitted is ErrNotGraded.
func (s *Service) Review(ctx context.Context, viewer User, id string) (Review, error) {
	a, err := s.Store.Attempt(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && a.UserID != viewer.ID && !ReviewsAny(viewer) {
		return Review{}, ErrNoAttempt
	}
	if err != nil {
		return Review{}, fmt.Errorf("review attempt: %w", err)
	}
	if a.SubmittedAt == nil {
		return Review{}, ErrNotGraded
	}
	r := Review{Attempt: a.ID, Quiz: a.QuizID, Title: a.QuizID, SubmittedAt: *a.SubmittedAt, Score: a.Score, Passed: a.Passed, Mode: quiz.ReviewFull}
	if m, ok := s.moduleOf(a.QuizID); ok {
		r.Module = &m
	}
	if a.UserID != viewer.ID {
		u, err := s.Store.UserByID(ctx, a.UserID)
		if err != nil {
			return Review{}, fmt.Errorf("review attempt %s: its learner: %w", a.ID, err)
		}
		r.Learner = &u
	}
	q, ok := s.Quizzes[a.QuizID]
	if !ok {
		r.QuizGone, r.Mode = true, quiz.ReviewScore
		return r, nil
	}
	r.Title, r.PassMark = q.Title, q.PassMark
	if !ReviewsAny(viewer) {
		r.Mode = cmp.Or(q.Review, quiz.ReviewExplanations)
	}
	answers, err := answersOf(a)
	if err != nil {
		return Review{}, fmt.Errorf("review: %w", err)
	}
	results := make([]quiz.QuestionResult, len(answers))
	for i, an := range answers {
		results[i] = quiz.QuestionResult{Question: an.Question, Correct: an.Correct, Chosen: an.Chosen}
	}
	r.Questions = q.ReviewQuestions(a.Drawn, a.Seed, results, r.Mode)
	return r, nil
}

// AttemptLine is one graded attempt in a list: a learner's own on My
// training, or a quiz's for trainers (then with whose it is).
type AttemptLine struct {
	ID string
	// Number counts a learner's graded attempts at a quiz from 1, the
	// first; 0 in a trainer's list.
	Number      int
	SubmittedAt time.Time
	Score       int
	Passed      bool
	// Name and Department are the learner's, in a trainer's list only.
	Name, Department string
}

// gradedLines are a learner's graded attempts at quizID, the latest first.
func gradedLines(attempts []Attempt, quizID string) []AttemptLine {
	var out []AttemptLine
	for _, a := range attempts {
		if a.QuizID == quizID && a.SubmittedAt != nil {
			out = append(out, AttemptLine{ID: a.ID, SubmittedAt: *a.SubmittedAt, Score: a.Score, Passed: a.Passed})
		}
	}
	slices.SortStableFunc(out, func(a, b AttemptLine) int { return b.SubmittedAt.Compare(a.SubmittedAt) })
	for i := range out {
		out[i].Number = len(out) - i
	}
	return out
}

// QuizAttempts is one page of quizID's graded attempts for trainers, the
// latest first, each with the learner's name and department (as the
// overdue report shows them), and how many there are in all.
func (s *Service) QuizAttempts(ctx context.Context, quizID string, offset, limit int) ([]AttemptLine, int, error) {
	if _, ok := s.Quizzes[quizID]; !ok {
		return nil, 0, fmt.Errorf("%w: %q", ErrNoQuiz, quizID)
	}
	page, total, err := s.Store.LatestGradedAttempts(ctx, quizID, offset, limit)
	if err != nil {
		return nil, 0, err
	}
	if len(page) == 0 {
		return nil, total, nil
	}
	users, err := s.Store.Users(ctx)
	if err != nil {
		return nil, 0, err
	}
	byID := make(map[int64]User, len(users))
	for _, u := range users {
		byID[u.ID] = u
	}
	out := make([]AttemptLine, len(page))
	for i, a := range page {
		u := byID[a.UserID]
		out[i] = AttemptLine{ID: a.ID, SubmittedAt: *a.SubmittedAt, Score: a.Score, Passed: a.Passed, Name: u.Name, Department: u.Department}
	}
	return out, total, nil
}
