package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"northstar/internal/store"
	"northstar/internal/store/storetest"
)

var ctx = context.Background()

func TestUsers(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, s store.Store, _ string) {
		u, err := s.CreateUser(ctx, store.User{Email: " Ana@Example.org ", Name: "Ana", Department: "311", Role: store.RoleLearner, PasswordHash: "h1"})
		if err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 || u.Email != "ana@example.org" {
			t.Errorf("created %+v", u)
		}
		if _, err := s.CreateUser(ctx, store.User{Email: "ANA@example.org", Name: "Other", Department: "311", Role: store.RoleLearner, PasswordHash: "h"}); !errors.Is(err, store.ErrDuplicate) {
			t.Errorf("duplicate email: %v", err)
		}
		if _, err := s.CreateUser(ctx, store.User{Email: "x@example.org", Name: "X", Department: "311", Role: "emperor", PasswordHash: "h"}); err == nil {
			t.Error("unknown role accepted")
		}
		got, err := s.UserByEmail(ctx, "ana@EXAMPLE.org")
		if err != nil || got.ID != u.ID || got.Name != "Ana" || got.Disabled {
			t.Errorf("by email: %+v %v", got, err)
		}
		if _, err := s.UserByEmail(ctx, "nobody@example.org"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing user: %v", err)
		}
		if n, _ := s.CountAdmins(ctx); n != 0 {
			t.Errorf("admins %d, want 0", n)
		}
		if err := s.SetRole(ctx, "ana@example.org", store.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountAdmins(ctx); n != 1 {
			t.Errorf("admins %d, want 1", n)
		}
		if err := s.SetDisabled(ctx, "ana@example.org", true); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountAdmins(ctx); n != 0 {
			t.Errorf("a disabled admin counted: %d", n)
		}
		if err := s.SetRole(ctx, "nobody@example.org", store.RoleAdmin); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("set role of missing user: %v", err)
		}
		if err := s.SetPasswordHash(ctx, u.ID, "h2"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.UserByID(ctx, u.ID); got.PasswordHash != "h2" || !got.Disabled || got.Role != store.RoleAdmin {
			t.Errorf("after updates: %+v", got)
		}
	})
}

func TestSessions(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, s store.Store, _ string) {
		u, _ := s.CreateUser(ctx, store.User{Email: "b@example.org", Name: "B", Department: "Police", Role: store.RoleLearner, PasswordHash: "h"})
		now := time.Now().UTC().Truncate(time.Millisecond)
		for _, se := range []store.Session{
			{TokenHash: "live", UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)},
			{TokenHash: "old", UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(-time.Second)},
		} {
			if err := s.CreateSession(ctx, se); err != nil {
				t.Fatal(err)
			}
		}
		se, got, err := s.SessionUser(ctx, "live", now)
		if err != nil || got.ID != u.ID || se.UserID != u.ID {
			t.Fatalf("live session: %+v %+v %v", se, got, err)
		}
		if _, _, err := s.SessionUser(ctx, "old", now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired session: %v", err)
		}
		if err := s.TouchSession(ctx, "live", now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if se, _, _ := s.SessionUser(ctx, "live", now); !se.LastSeenAt.Equal(now.Add(time.Minute)) {
			t.Errorf("last seen %v", se.LastSeenAt)
		}
		// Disabling the user ends the session at once.
		s.SetDisabled(ctx, "b@example.org", true)
		if _, _, err := s.SessionUser(ctx, "live", now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session of a disabled user: %v", err)
		}
		s.SetDisabled(ctx, "b@example.org", false)
		if err := s.DeleteUserSessions(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionUser(ctx, "live", now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session after sign-out everywhere: %v", err)
		}
	})
}

func TestAttempts(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, s store.Store, dsn string) {
		u, _ := s.CreateUser(ctx, store.User{Email: "c@example.org", Name: "C", Department: "Health", Role: store.RoleLearner, PasswordHash: "h"})
		start := time.Now().UTC().Truncate(time.Millisecond)
		a := store.Attempt{ID: "att-1", UserID: u.ID, QuizID: "basics", Drawn: []string{"q3", "q1"}, StartedAt: start}
		if err := s.CreateAttempt(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateAttempt(ctx, a); !errors.Is(err, store.ErrDuplicate) {
			t.Errorf("same attempt id twice: %v", err)
		}
		got, err := s.Attempt(ctx, "att-1")
		if err != nil || got.SubmittedAt != nil || len(got.Drawn) != 2 || got.Drawn[0] != "q3" {
			t.Fatalf("attempt: %+v %v", got, err)
		}
		at := start.Add(time.Minute)
		first := a
		first.SubmittedAt, first.Results, first.Score, first.Passed = &at, []byte(`[{"question":"q3","correct":true}]`), 50, false
		rec, err := s.SubmitAttempt(ctx, first, nil)
		if err != nil || rec.SubmittedAt == nil || rec.Score != 50 || string(rec.Results) != string(first.Results) {
			t.Fatalf("submit: %+v %v", rec, err)
		}
		later := at.Add(time.Hour)
		second := first
		second.SubmittedAt, second.Score, second.Passed = &later, 100, true
		rec2, err := s.SubmitAttempt(ctx, second, nil)
		if err != nil || rec2.Score != 50 || rec2.Passed || !rec2.SubmittedAt.Equal(at) {
			t.Errorf("a second submission changed the record: %+v %v", rec2, err)
		}
		// Graded before compact answers were kept: reports get the full results.
		s.EachGradedAttempt(ctx, store.GradedQuery{QuizID: "basics", Answers: true}, func(a store.Attempt) error {
			if a.ID != "att-1" || a.Answers != nil || string(a.Results) != string(first.Results) || a.Score != 50 {
				t.Errorf("graded attempt without answers: %+v", a)
			}
			return nil
		})
		if _, err := s.Attempt(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing attempt: %v", err)
		}
		s.CreateAttempt(ctx, store.Attempt{ID: "att-2", UserID: u.ID, QuizID: "basics", Drawn: []string{"q2"}, StartedAt: start.Add(time.Second)})
		list, err := s.AttemptsByUser(ctx, u.ID)
		if err != nil || len(list) != 2 || list[0].ID != "att-1" || list[1].SubmittedAt != nil {
			t.Errorf("attempts by user: %+v %v", list, err)
		}
		// Everything committed survives closing and reopening the store.
		s.Close()
		again := storetest.Open(t, dsn)
		if got, err := again.Attempt(ctx, "att-1"); err != nil || got.Score != 50 {
			t.Errorf("after reopening: %+v %v", got, err)
		}
	})
}

// TestLatestGradedAttempts: a quiz's graded attempts a page at a time, the
// latest submission first, ties in id order; open attempts and other
// quizzes' are left out, and the total counts every graded one.
func TestLatestGradedAttempts(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, s store.Store, _ string) {
		u, _ := s.CreateUser(ctx, store.User{Email: "g@example.org", Name: "G", Department: "Health", Role: store.RoleLearner, PasswordHash: "h"})
		start := time.Now().UTC().Truncate(time.Millisecond).Add(-time.Hour)
		// Submitted at minute: e 1, c 2, a 3, b 3, d 5; f is open; x is another quiz's.
		for i, c := range []struct {
			id, quiz string
			minute   int
		}{{"a", "basics", 3}, {"b", "basics", 3}, {"c", "basics", 2}, {"d", "basics", 5}, {"e", "basics", 1}, {"f", "basics", 0}, {"x", "other", 9}} {
			a := store.Attempt{ID: c.id, UserID: u.ID, QuizID: c.quiz, Drawn: []string{"q"}, StartedAt: start.Add(time.Duration(i) * time.Second)}
			if err := s.CreateAttempt(ctx, a); err != nil {
				t.Fatal(err)
			}
			if c.minute == 0 {
				continue
			}
			at := start.Add(time.Duration(c.minute) * time.Minute)
			a.SubmittedAt, a.Results, a.Answers, a.Score, a.Passed = &at, []byte("[]"), []byte("[]"), 10*c.minute, c.minute > 2
			if _, err := s.SubmitAttempt(ctx, a, nil); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			offset, limit int
			want          string
		}{{0, 10, "d a b c e"}, {0, 2, "d a"}, {2, 2, "b c"}, {4, 2, "e"}, {5, 2, ""}} {
			page, total, err := s.LatestGradedAttempts(ctx, "basics", c.offset, c.limit)
			var ids []string
			for _, a := range page {
				ids = append(ids, a.ID)
				if a.SubmittedAt == nil || a.UserID != u.ID || a.QuizID != "basics" || a.Score != int(a.SubmittedAt.Sub(start)/time.Minute)*10 ||
					a.Passed != (a.Score > 20) || a.StartedAt.IsZero() || a.Results != nil || a.Answers != nil {
					t.Errorf("attempt %s read as %+v", a.ID, a)
				}
			}
			if err != nil || total != 5 || strings.Join(ids, " ") != c.want {
				t.Errorf("page at %d of %d: %q of %d, %v; want %q of 5", c.offset, c.limit, ids, total, err, c.want)
			}
		}
		if page, total, err := s.LatestGradedAttempts(ctx, "none", 0, 10); err != nil || total != 0 || len(page) != 0 {
			t.Errorf("a quiz without attempts: %v %d %v", page, total, err)
		}
	})
}

// TestStartedAttempt: what an attempt was when started, the same from the
// store that started it (kept in memory) and from another instance on the
// same database (read), before and after submission, and never with the
// submission in it.
func TestStartedAttempt(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, s store.Store, dsn string) {
		u, _ := s.CreateUser(ctx, store.User{Email: "s@example.org", Name: "S", Department: "Health", Role: store.RoleLearner, PasswordHash: "h"})
		start := time.Now().UTC().Truncate(time.Millisecond)
		a := store.Attempt{ID: "att-s", UserID: u.ID, QuizID: "basics", Drawn: []string{"q2", "q5"}, StartedAt: start}
		if err := s.CreateAttempt(ctx, a); err != nil {
			t.Fatal(err)
		}
		other := storetest.Open(t, dsn)
		same := func(when string, got store.Attempt, err error) {
			t.Helper()
			if err != nil || got.ID != a.ID || got.UserID != u.ID || got.QuizID != "basics" || strings.Join(got.Drawn, ",") != "q2,q5" ||
				!got.StartedAt.Equal(start) || got.SubmittedAt != nil || got.Results != nil || got.Score != 0 {
				t.Errorf("%s: %+v %v", when, got, err)
			}
		}
		got, err := s.StartedAttempt(ctx, a.ID)
		same("from the store that started it", got, err)
		got, err = other.StartedAttempt(ctx, a.ID)
		same("from another instance", got, err)
		at := start.Add(time.Minute)
		sub := a
		sub.SubmittedAt, sub.Results, sub.Score, sub.Passed = &at, []byte("[]"), 70, true
		if _, err := other.SubmitAttempt(ctx, sub, nil); err != nil {
			t.Fatal(err)
		}
		got, err = s.StartedAttempt(ctx, a.ID)
		same("after submission elsewhere", got, err)
		got, err = other.StartedAttempt(ctx, a.ID)
		same("after submission", got, err)
		// The store that started it still leaves the verdict to the database.
		again := sub
		later := at.Add(time.Hour)
		again.SubmittedAt, again.Score = &later, 10
		if rec, err := s.SubmitAttempt(ctx, again, nil); err != nil || rec.Score != 70 || !rec.SubmittedAt.Equal(at) {
			t.Errorf("second submission, on the starting store: %+v %v", rec, err)
		}
		if _, err := s.StartedAttempt(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown attempt: %v", err)
		}
	})
}

// TestConcurrentAttempts writes from many goroutines at once (batched into
// shared commits on SQLite), some duplicates among them: each write gets its
// own answer, and every acknowledged one is there.
func TestConcurrentAttempts(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, s store.Store, _ string) {
		u, _ := s.CreateUser(ctx, store.User{Email: "e@example.org", Name: "E", Department: "Fire", Role: store.RoleLearner, PasswordHash: "h"})
		now := time.Now().UTC()
		errs := make(chan error, 100)
		for i := 0; i < 100; i++ {
			go func(i int) {
				id := fmt.Sprintf("a%d", i%80) // 20 duplicate ids
				err := s.CreateAttempt(ctx, store.Attempt{ID: id, UserID: u.ID, QuizID: "q", Drawn: []string{"x"}, StartedAt: now})
				if err == nil {
					at := now.Add(time.Second)
					_, err = s.SubmitAttempt(ctx, store.Attempt{ID: id, SubmittedAt: &at, Results: []byte("[]"), Score: i % 80, Passed: true}, nil)
				}
				errs <- err
			}(i)
		}
		dups := 0
		for i := 0; i < 100; i++ {
			err := <-errs
			switch {
			case errors.Is(err, store.ErrDuplicate):
				dups++
			case err != nil:
				t.Errorf("write: %v", err)
			}
		}
		if dups != 20 {
			t.Errorf("%d duplicates reported, want 20", dups)
		}
		list, err := s.AttemptsByUser(ctx, u.ID)
		if err != nil || len(list) != 80 {
			t.Fatalf("%d attempts, want 80: %v", len(list), err)
		}
		for _, a := range list {
			if a.SubmittedAt == nil || fmt.Sprintf("a%d", a.Score) != a.ID {
				t.Errorf("attempt %+v", a)
			}
		}
	})
}
