package store_test

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"northstar/internal/store"
	"northstar/internal/store/storetest"
)

// TestTries: a subject's tries are counted in its window up to max, the
// window ends when it says, and two stores on one database share the count
// even when many take at once.
func TestTries(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, s store.Store, dsn string) {
		now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
		window := 15 * time.Minute
		for i := 0; i < 3; i++ {
			if ok, _, err := s.TakeTry(ctx, "subj", 3, window, now.Add(time.Duration(i)*time.Second)); !ok || err != nil {
				t.Fatalf("try %d: %v %v", i+1, ok, err)
			}
		}
		ok, ends, err := s.TakeTry(ctx, "subj", 3, window, now.Add(time.Minute))
		if ok || err != nil || !ends.Equal(now.Add(window)) {
			t.Errorf("fourth try: taken %v, window ends %v (want %v), %v", ok, ends, now.Add(window), err)
		}
		if ok, _, _ := s.TakeTry(ctx, "other", 3, window, now); !ok {
			t.Error("another subject is not limited by this one")
		}
		// A try given back can be taken again; forgotten, all can.
		if err := s.ReturnTry(ctx, "subj"); err != nil {
			t.Fatal(err)
		}
		if ok, _, _ := s.TakeTry(ctx, "subj", 3, window, now.Add(2*time.Minute)); !ok {
			t.Error("a returned try was not given again")
		}
		if ok, _, _ := s.TakeTry(ctx, "subj", 3, window, now.Add(2*time.Minute)); ok {
			t.Error("more than max after a return")
		}
		if err := s.ForgetTries(ctx, "subj"); err != nil {
			t.Fatal(err)
		}
		if ok, _, _ := s.TakeTry(ctx, "subj", 3, window, now.Add(3*time.Minute)); !ok {
			t.Error("forgotten tries still count")
		}
		// A new window once the old one ended.
		for i := 0; i < 2; i++ {
			s.TakeTry(ctx, "subj", 3, window, now.Add(3*time.Minute))
		}
		if ok, _, _ := s.TakeTry(ctx, "subj", 3, window, now.Add(3*time.Minute+window)); !ok {
			t.Error("no new window after the last one ended")
		}
		if err := s.SweepTries(ctx, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}

		// Forty at once on two instances, limit five: five are taken.
		other := storetest.Open(t, dsn)
		var taken atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func(st store.Store) {
				defer wg.Done()
				ok, _, err := st.TakeTry(ctx, "flood", 5, window, now)
				if err != nil {
					t.Error(err)
				}
				if ok {
					taken.Add(1)
				}
			}([]store.Store{s, other}[i%2])
		}
		wg.Wait()
		if taken.Load() != 5 {
			t.Errorf("%d of 40 concurrent tries taken, want 5", taken.Load())
		}
	})
}

// TestOpenAttempt: the latest unsubmitted attempt since a time, with its
// seed, and how many were started since.
func TestOpenAttempt(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, s store.Store, _ string) {
		u, _ := s.CreateUser(ctx, store.User{Email: "o@example.org", Name: "O", Department: "Health", Role: store.RoleLearner, PasswordHash: "h"})
		start := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
		if _, _, err := s.OpenAttempt(ctx, u.ID, "basics", start); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("no attempts yet: %v", err)
		}
		for i, id := range []string{"old", "open1", "open2", "done"} {
			at := start.Add(time.Duration(i-1) * time.Hour) // "old" is before since
			if err := s.CreateAttempt(ctx, store.Attempt{ID: id, UserID: u.ID, QuizID: "basics", Drawn: []string{"q1"}, Seed: "seed-" + id, StartedAt: at}); err != nil {
				t.Fatal(err)
			}
		}
		s.CreateAttempt(ctx, store.Attempt{ID: "elsewhere", UserID: u.ID, QuizID: "other", Drawn: []string{"q1"}, StartedAt: start.Add(5 * time.Hour)})
		sub := start.Add(3 * time.Hour)
		s.SubmitAttempt(ctx, store.Attempt{ID: "done", SubmittedAt: &sub, Results: []byte("[]")}, nil)
		a, n, err := s.OpenAttempt(ctx, u.ID, "basics", start)
		if err != nil || a.ID != "open2" || a.Seed != "seed-open2" || n != 3 {
			t.Errorf("open attempt: %s (seed %q), %d started since, %v; want open2, 3", a.ID, a.Seed, n, err)
		}
		if got, _ := s.StartedAttempt(ctx, "open1"); got.Seed != "seed-open1" {
			t.Errorf("started attempt lost its seed: %+v", got)
		}
		if _, n, err := s.OpenAttempt(ctx, u.ID, "basics", start.Add(90*time.Minute)); !errors.Is(err, store.ErrNotFound) || n != 1 {
			t.Errorf("only a submitted one since: %d %v", n, err)
		}
	})
}

// TestUnreadableRowsSkipped: a row whose dates cannot be read back (here
// written behind the store's back) is logged and left out of every list;
// the store itself refuses to write such a date.
func TestUnreadableRowsSkipped(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, _ store.Store, dsn string) {
		var logs bytes.Buffer
		s, err := store.Open(ctx, dsn, store.WithLog(slog.New(slog.NewTextHandler(&logs, nil))))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		u, _ := s.CreateUser(ctx, store.User{Email: "d@example.org", Name: "D", Department: "Health", Role: store.RoleTrainer, PasswordHash: "h"})
		now := time.Now().UTC()
		if _, err := s.CreateAssignment(ctx, store.Assignment{Module: "m", Department: "Health", DueAt: now.AddDate(0, 1, 0), AssignedBy: u.ID, CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
		far := time.Date(9999, 12, 31, 23, 59, 59, 0, time.FixedZone("CST", -6*3600))
		if _, err := s.CreateAssignment(ctx, store.Assignment{Module: "m", Department: "Health", DueAt: far, AssignedBy: u.ID, CreatedAt: now}); !errors.Is(err, store.ErrOutOfRange) {
			t.Errorf("a due date in year 10000 (UTC) was written: %v", err)
		}
		driver, raw := "sqlite", store.SQLiteDSN(dsn)
		if strings.HasPrefix(dsn, "postgres") {
			driver, raw = "pgx", dsn
		}
		db, err := sql.Open(driver, raw)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ph := "?, ?, ?, ?"
		if driver == "pgx" {
			ph = "$1, $2, $3, $4"
		}
		if _, err := db.Exec(fmt.Sprintf(`INSERT INTO assignments (module, department, due_at, assigned_by, created_at) VALUES (%s, CURRENT_TIMESTAMP)`, ph),
			"m", "Health", "10000-01-01 05:59:59+00:00", u.ID); err != nil {
			t.Fatal(err)
		}
		list, err := s.Assignments(ctx)
		if err != nil || len(list) != 1 {
			t.Errorf("assignments with one bad row: %d listed, %v; want the 1 good one", len(list), err)
		}
		if mine, err := s.AssignmentsFor(ctx, 0, "Health"); err != nil || len(mine) != 1 {
			t.Errorf("a department's assignments with one bad row: %d, %v", len(mine), err)
		}
		if !strings.Contains(logs.String(), "skip a row that cannot be read") {
			t.Errorf("the bad row was not logged: %s", logs.String())
		}
	})
}
