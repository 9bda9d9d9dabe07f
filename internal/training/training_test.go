package training_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"northstar/internal/quiz"
	"northstar/internal/store"
	"northstar/internal/training"
)

func setup(t *testing.T) (*training.Service, store.User, *quiz.Quiz) {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	u, _ := st.CreateUser(context.Background(), store.User{Email: "l@example.org", Name: "L", Department: "Health", Role: store.RoleLearner, PasswordHash: "x"})
	quizzes, probs, err := quiz.LoadDir("../quiz/testdata")
	if err != nil {
		t.Fatal(err)
	}
	_ = probs // testdata/broken.yaml is broken on purpose
	q := quizzes["good"]
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	mods := []training.Module{{Slug: "m", Title: "M", URL: "/training/m/", Quiz: "good", Audience: []string{"Health"}, ValidMonths: 12}}
	return &training.Service{Store: st, Quizzes: map[string]*quiz.Quiz{"good": q}, Modules: mods, Now: func() time.Time { now = now.Add(time.Minute); return now }}, u, q
}

// answers answers every question right or wrong, in the ids the attempt
// shows, finding questions by prompt and options by text.
func answers(q *quiz.Quiz, s training.Started, right bool) map[string][]string {
	out := map[string][]string{}
	for _, p := range s.Questions {
		for _, qu := range q.Questions {
			if qu.Prompt != p.Prompt {
				continue
			}
			for _, o := range p.Options {
				correct := qu.Kind == quiz.TrueFalse && (o.Text == "True") == *qu.Answer
				for _, fo := range qu.Options {
					correct = correct || fo.Text == o.Text && fo.Correct
				}
				if correct == right && (right || len(out[p.ID]) == 0) { // one wrong option is wrong enough
					out[p.ID] = append(out[p.ID], o.ID)
				}
			}
		}
	}
	return out
}

// TestStartReusesOpenAttempt: starting again shows the open attempt (a
// reload does not add one), a submitted one is not shown again, and a
// learner cannot start more than MaxStartsPerDay attempts in a day.
func TestStartReusesOpenAttempt(t *testing.T) {
	ctx := context.Background()
	svc, u, q := setup(t)
	s1, err := svc.Start(ctx, u, "good")
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := svc.Start(ctx, u, "good")
	if s2.Attempt != s1.Attempt || fmt.Sprint(s2.Questions) != fmt.Sprint(s1.Questions) {
		t.Errorf("a second start is a new attempt: %s then %s", s1.Attempt, s2.Attempt)
	}
	svc.Submit(ctx, u, "good", s1.Attempt, answers(q, s1, false))
	s3, _ := svc.Start(ctx, u, "good")
	if s3.Attempt == s1.Attempt {
		t.Error("a submitted attempt was shown again")
	}
	svc.Submit(ctx, u, "good", s3.Attempt, nil)
	for i := 2; i < training.MaxStartsPerDay; i++ { // two started so far
		s, err := svc.Start(ctx, u, "good")
		if err != nil {
			t.Fatalf("start %d: %v", i+1, err)
		}
		svc.Submit(ctx, u, "good", s.Attempt, nil)
	}
	if _, err := svc.Start(ctx, u, "good"); !errors.Is(err, training.ErrTooManyAttempts) {
		t.Errorf("start %d in a day: %v, want ErrTooManyAttempts", training.MaxStartsPerDay+1, err)
	}
}

// TestShownIDs: an attempt shows no id from the quiz file, the ids differ
// between attempts, and grading maps them back.
func TestShownIDs(t *testing.T) {
	ctx := context.Background()
	svc, u, q := setup(t)
	fileIDs := map[string]bool{"true": true, "false": true}
	for _, qu := range q.Questions {
		fileIDs[qu.ID] = true
		for _, o := range qu.Options {
			fileIDs[o.ID] = true
		}
	}
	seen := map[string]bool{}
	for i := 0; i < 5; i++ {
		s, err := svc.Start(ctx, u, "good")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range s.Questions {
			for _, id := range append([]string{p.ID}, optionIDs(p)...) {
				if fileIDs[id] {
					t.Errorf("attempt shows the file's id %q", id)
				}
				if seen[id] {
					t.Errorf("id %q shown in two attempts", id)
				}
				seen[id] = true
			}
		}
		g, err := svc.Submit(ctx, u, "good", s.Attempt, answers(q, s, true))
		if err != nil || g.Score != 100 {
			t.Fatalf("right answers in shown ids: %+v %v", g, err)
		}
		for j, r := range g.Results {
			if r.Question != s.Questions[j].ID && !containsQuestion(s, r.Question) || r.Prompt == "" {
				t.Errorf("result %+v is not in the attempt's ids or lacks its prompt", r)
			}
		}
	}
}

func optionIDs(p quiz.Presented) []string {
	var out []string
	for _, o := range p.Options {
		out = append(out, o.ID)
	}
	return out
}

func containsQuestion(s training.Started, id string) bool {
	for _, p := range s.Questions {
		if p.ID == id {
			return true
		}
	}
	return false
}

func TestProgress(t *testing.T) {
	ctx := context.Background()
	svc, u, q := setup(t)
	mods := []training.Module{{Slug: "m", Title: "M", URL: "/training/m/", Quiz: "good", Audience: []string{"Health"}},
		{Slug: "n", Title: "N", URL: "/training/n/", Quiz: "other", Audience: []string{"Police"}}}
	status := func() training.ModuleRecord {
		recs, err := svc.Progress(ctx, u, mods)
		if err != nil || len(recs) != 2 {
			t.Fatal(recs, err)
		}
		if !recs[0].ForYou || recs[1].ForYou {
			t.Errorf("for your department: %v %v", recs[0].ForYou, recs[1].ForYou)
		}
		return recs[0]
	}
	if r := status(); r.Status != training.NotStarted || r.Attempts != 0 || r.BestScore != nil {
		t.Errorf("fresh: %+v", r)
	}
	s1, err := svc.Start(ctx, u, "good")
	if err != nil {
		t.Fatal(err)
	}
	if r := status(); r.Status != training.InProgress || r.InProgress != s1.Attempt {
		t.Errorf("started: %+v", r)
	}
	if _, err := svc.Submit(ctx, u, "good", s1.Attempt, answers(q, s1, false)); err != nil {
		t.Fatal(err)
	}
	if r := status(); r.Status != training.InProgress || r.Attempts != 1 || *r.BestScore != 0 {
		t.Errorf("failed once: %+v", r)
	}
	s2, _ := svc.Start(ctx, u, "good")
	g, err := svc.Submit(ctx, u, "good", s2.Attempt, answers(q, s2, true))
	if err != nil || !g.Passed {
		t.Fatal(g, err)
	}
	r := status()
	if r.Status != training.Completed || r.Attempts != 2 || r.Certificate == "" || r.ValidUntil == nil || *r.BestScore != 100 || r.PassedAt == nil {
		t.Errorf("passed: %+v", r)
	}
	// A later failure does not undo a pass.
	s3, _ := svc.Start(ctx, u, "good")
	svc.Submit(ctx, u, "good", s3.Attempt, answers(q, s3, false))
	if r2 := status(); r2.Status != training.Completed || r2.Certificate != r.Certificate || !r2.PassedAt.Equal(*r.PassedAt) || r2.Attempts != 3 {
		t.Errorf("after a later failure: %+v", r2)
	}
	if _, err := svc.Start(ctx, u, "missing"); !errors.Is(err, training.ErrNoQuiz) {
		t.Errorf("missing quiz: %v", err)
	}
}

// TestSubmitAgain: a graded attempt keeps its first grade and certificate
// whatever a repeat sends, even answers that would be refused on a first
// submission; nobody else can submit it.
func TestSubmitAgain(t *testing.T) {
	ctx := context.Background()
	svc, u, q := setup(t)
	s, err := svc.Start(ctx, u, "good")
	if err != nil {
		t.Fatal(err)
	}
	first, err := svc.Submit(ctx, u, "good", s.Attempt, answers(q, s, true))
	if err != nil || !first.Passed || first.Certificate == "" {
		t.Fatal(first, err)
	}
	for name, sent := range map[string]map[string][]string{
		"wrong answers":       answers(q, s, false),
		"an undrawn question": {"no-such-question": {"a"}},
		"the file's ids":      {q.Questions[0].ID: {"a"}},
	} {
		again, err := svc.Submit(ctx, u, "good", s.Attempt, sent)
		if err != nil || again.Score != first.Score || !again.Passed || again.Certificate != first.Certificate {
			t.Errorf("again with %s: %+v %v", name, again, err)
		}
	}
	someoneElse := store.User{ID: u.ID + 100, Department: "Health", Role: store.RoleLearner}
	if _, err := svc.Submit(ctx, someoneElse, "good", s.Attempt, answers(q, s, true)); !errors.Is(err, training.ErrNoAttempt) {
		t.Errorf("someone else's attempt: %v", err)
	}
	fresh, _ := svc.Start(ctx, u, "good")
	if _, err := svc.Submit(ctx, u, "good", fresh.Attempt, map[string][]string{"no-such-question": {"a"}}); !errors.Is(err, quiz.ErrBadAnswer) {
		t.Errorf("undrawn question on a first submission: %v", err)
	}
	if _, err := svc.Submit(ctx, u, "good", "no-such-attempt", nil); !errors.Is(err, training.ErrNoAttempt) {
		t.Errorf("unknown attempt: %v", err)
	}
}
