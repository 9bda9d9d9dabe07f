package training_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"northstar/internal/quiz"
	"northstar/internal/store"
	"northstar/internal/training"
)

// reviewWorld is a service on st with the good test quiz and one account
// per role, plus a second learner.
func reviewWorld(t *testing.T, st store.Store) (*training.Service, map[string]store.User, *quiz.Quiz) {
	t.Helper()
	quizzes, _, err := quiz.LoadDir("../quiz/testdata") // broken.yaml is broken on purpose
	if err != nil {
		t.Fatal(err)
	}
	q := quizzes["good"]
	users := map[string]store.User{}
	for _, who := range []string{"learner", "other", "analyst", "trainer", "admin"} {
		role := who
		if who == "other" {
			role = store.RoleLearner
		}
		u, err := st.CreateUser(context.Background(), store.User{Email: who + "@example.org", Name: "Name of " + who, Department: "Health", Role: role, PasswordHash: "h"})
		if err != nil {
			t.Fatal(err)
		}
		users[who] = u
	}
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	mods := []training.Module{{Slug: "m", Title: "M", URL: "/training/m/", Quiz: "good", Audience: []string{"Health"}, ValidMonths: 12}}
	svc := &training.Service{Store: st, Quizzes: map[string]*quiz.Quiz{"good": q}, Modules: mods,
		Now: func() time.Time { now = now.Add(time.Minute); return now }}
	return svc, users, q
}

// withReview is q with its review key set to mode.
func withReview(q *quiz.Quiz, mode string) *quiz.Quiz {
	c := *q
	c.Review = mode
	return &c
}

// keyShown tells whether any option of the review is marked right.
func keyShown(r training.Review) bool {
	for _, qu := range r.Questions {
		for _, o := range qu.Options {
			if o.Right {
				return true
			}
		}
	}
	return false
}

// TestReview: learners review their own graded attempts as far as the
// quiz's review key allows; trainers and admins review anyone's in full;
// anyone else, and any id that is not a graded attempt, gets nothing.
func TestReview(t *testing.T) {
	onEachEngine(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		svc, users, q := reviewWorld(t, st)
		learner := users["learner"]
		s, err := svc.Start(ctx, learner, "good")
		if err != nil {
			t.Fatal(err)
		}
		wrong := answers(q, s, false)
		if _, err := svc.Submit(ctx, learner, "good", s.Attempt, wrong); err != nil {
			t.Fatal(err)
		}

		// The default, explanations: every question, the choice, no key.
		r, err := svc.Review(ctx, learner, s.Attempt)
		if err != nil {
			t.Fatal(err)
		}
		if r.Mode != quiz.ReviewExplanations || r.Learner != nil || r.Title != "Good quiz" || r.Module == nil || r.Module.Slug != "m" ||
			r.PassMark != 80 || r.Passed || r.Score != 0 || len(r.Questions) != len(s.Questions) || keyShown(r) {
			t.Errorf("the learner's own review: %+v", r)
		}
		for i, qu := range r.Questions {
			chosen := 0
			for j, o := range qu.Options {
				if o.Text != s.Questions[i].Options[j].Text {
					t.Errorf("question %d option %d reviewed as %q, shown as %q", i, j, o.Text, s.Questions[i].Options[j].Text)
				}
				if o.Chosen {
					chosen++
				}
			}
			if qu.Prompt != s.Questions[i].Prompt || qu.Correct || !qu.Graded || chosen != 1 || qu.Explanation == "" {
				t.Errorf("question %d reviewed as %+v", i, qu)
			}
		}
		svc.Quizzes["good"] = withReview(q, quiz.ReviewFull)
		if r, err := svc.Review(ctx, learner, s.Attempt); err != nil || r.Mode != quiz.ReviewFull || !keyShown(r) {
			t.Errorf("a full review: %v %+v", err, r)
		}
		svc.Quizzes["good"] = withReview(q, quiz.ReviewScore)
		if r, err := svc.Review(ctx, learner, s.Attempt); err != nil || r.Mode != quiz.ReviewScore || r.Questions != nil || r.Score != 0 {
			t.Errorf("a score review: %v %+v", err, r)
		}

		// Trainers and admins: anyone's, in full, saying whose.
		for _, who := range []string{"trainer", "admin"} {
			r, err := svc.Review(ctx, users[who], s.Attempt)
			if err != nil || r.Mode != quiz.ReviewFull || !keyShown(r) || len(r.Questions) != len(s.Questions) || r.Learner == nil || r.Learner.Name != "Name of learner" {
				t.Errorf("%s's review of a score-only quiz: %v %+v", who, err, r)
			}
		}
		// Anyone else gets what a made-up id gets.
		for _, who := range []string{"other", "analyst"} {
			if _, err := svc.Review(ctx, users[who], s.Attempt); !errors.Is(err, training.ErrNoAttempt) {
				t.Errorf("%s reviews the learner's attempt: %v, want ErrNoAttempt", who, err)
			}
		}
		if _, err := svc.Review(ctx, learner, "NOSUCHATTEMPT"); !errors.Is(err, training.ErrNoAttempt) {
			t.Errorf("an unknown id: %v", err)
		}
		// An open attempt has nothing to review; someone else's still does not exist.
		open, _ := svc.Start(ctx, learner, "good")
		if _, err := svc.Review(ctx, learner, open.Attempt); !errors.Is(err, training.ErrNotGraded) {
			t.Errorf("an open attempt: %v, want ErrNotGraded", err)
		}
		if _, err := svc.Review(ctx, users["other"], open.Attempt); !errors.Is(err, training.ErrNoAttempt) {
			t.Errorf("someone else's open attempt: %v, want ErrNoAttempt", err)
		}
	})
}

// TestReviewAfterTheQuizChanged: a question dropped from the file is
// marked gone and the rest still shows; a quiz no longer published keeps
// its score and outcome.
func TestReviewAfterTheQuizChanged(t *testing.T) {
	onEachEngine(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		svc, users, q := reviewWorld(t, st)
		learner := users["learner"]
		s, _ := svc.Start(ctx, learner, "good")
		if _, err := svc.Submit(ctx, learner, "good", s.Attempt, answers(q, s, true)); err != nil {
			t.Fatal(err)
		}
		changed := *q
		changed.Questions = nil
		for _, qu := range q.Questions {
			if qu.Prompt != s.Questions[0].Prompt {
				changed.Questions = append(changed.Questions, qu)
			}
		}
		svc.Quizzes["good"] = &changed
		r, err := svc.Review(ctx, learner, s.Attempt)
		if err != nil || len(r.Questions) != len(s.Questions) || !r.Questions[0].Gone || !r.Questions[0].Correct || r.Questions[1].Gone || r.Questions[1].Prompt != s.Questions[1].Prompt {
			t.Errorf("review after a question was removed: %v %+v", err, r)
		}
		delete(svc.Quizzes, "good")
		r, err = svc.Review(ctx, users["trainer"], s.Attempt)
		if err != nil || !r.QuizGone || r.Questions != nil || r.Score != 100 || !r.Passed || r.Title != "good" {
			t.Errorf("review of a quiz no longer published: %v %+v", err, r)
		}
	})
}

// TestAttemptLists: My training lists a learner's graded attempts per
// module, the latest first; trainers page through a quiz's, with names.
func TestAttemptLists(t *testing.T) {
	onEachEngine(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		svc, users, q := reviewWorld(t, st)
		var ids []string
		for i, who := range []string{"learner", "other", "learner"} {
			s, _ := svc.Start(ctx, users[who], "good")
			if _, err := svc.Submit(ctx, users[who], "good", s.Attempt, answers(q, s, i == 2)); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, s.Attempt)
		}
		open, _ := svc.Start(ctx, users["learner"], "good")
		recs, err := svc.Progress(ctx, users["learner"], svc.Modules)
		if err != nil || len(recs) != 1 {
			t.Fatalf("progress: %v %v", recs, err)
		}
		g := recs[0].Graded
		if len(g) != 2 || g[0].ID != ids[2] || g[1].ID != ids[0] || g[0].Number != 2 || g[1].Number != 1 || g[0].Score != 100 || !g[0].Passed || g[1].Passed || g[0].Name != "" ||
			!g[0].SubmittedAt.After(g[1].SubmittedAt) || recs[0].InProgress != open.Attempt {
			t.Errorf("my graded attempts: %+v", g)
		}
		lines, total, err := svc.QuizAttempts(ctx, "good", 0, 2)
		if err != nil || total != 3 || len(lines) != 2 || lines[0].ID != ids[2] || lines[1].ID != ids[1] ||
			lines[1].Name != "Name of other" || lines[1].Department != "Health" {
			t.Errorf("the quiz's attempts: %+v of %d, %v", lines, total, err)
		}
		if lines, total, err := svc.QuizAttempts(ctx, "good", 2, 2); err != nil || total != 3 || len(lines) != 1 || lines[0].ID != ids[0] {
			t.Errorf("the second page: %+v of %d, %v", lines, total, err)
		}
		if _, _, err := svc.QuizAttempts(ctx, "nope", 0, 2); !errors.Is(err, training.ErrNoQuiz) {
			t.Errorf("an unknown quiz: %v", err)
		}
	})
}

// TestScoreOnlyResult: a quiz whose review is score keeps its questions
// out of the result given right after grading too, the first time and on
// a repeat, while recording the same grade.
func TestScoreOnlyResult(t *testing.T) {
	onEachEngine(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		svc, users, q := reviewWorld(t, st)
		learner := users["learner"]
		for _, mode := range []string{quiz.ReviewExplanations, quiz.ReviewScore} {
			svc.Quizzes["good"] = withReview(q, mode)
			s, _ := svc.Start(ctx, learner, "good")
			first, err := svc.Submit(ctx, learner, "good", s.Attempt, answers(q, s, true))
			if err != nil {
				t.Fatal(err)
			}
			again, _ := svc.Submit(ctx, learner, "good", s.Attempt, nil)
			rec, _ := st.Attempt(ctx, s.Attempt)
			want := len(s.Questions)
			if mode == quiz.ReviewScore {
				want = 0
			}
			if first.Score != 100 || !first.Passed || len(first.Results) != want || len(again.Results) != want || again.Score != 100 ||
				rec.Score != 100 || !strings.Contains(string(rec.Answers), `"ok":true`) {
				t.Errorf("%s: first %+v, again %+v, recorded %+v", mode, first, again, rec)
			}
		}
	})
}
