package store_test

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"northstar/internal/store"
	"northstar/internal/store/storetest"
)

// TestReminderPreferences: reminders are wanted until a user says no, the
// choice can be changed back, and the refusals are listed.
func TestReminderPreferences(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, s store.Store, dsn string) {
		ana, _ := s.CreateUser(ctx, store.User{Email: "ana@example.org", Name: "Ana", Department: "311", Role: store.RoleLearner, PasswordHash: "h"})
		bo, _ := s.CreateUser(ctx, store.User{Email: "bo@example.org", Name: "Bo", Department: "311", Role: store.RoleLearner, PasswordHash: "h"})
		at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
		if on, err := s.RemindersWanted(ctx, ana.ID); !on || err != nil {
			t.Errorf("before any choice: wanted %v, %v; want on by default", on, err)
		}
		if err := s.SetRemindersWanted(ctx, ana.ID, false, at); err != nil {
			t.Fatal(err)
		}
		if on, err := s.RemindersWanted(ctx, ana.ID); on || err != nil {
			t.Errorf("after saying no: wanted %v, %v", on, err)
		}
		if off, err := s.RemindersRefused(ctx); err != nil || !slices.Equal(off, []int64{ana.ID}) {
			t.Errorf("refused: %v %v, want [%d]", off, err, ana.ID)
		}
		// A second store on the database (another instance, a restart) sees it.
		if on, _ := storetest.Open(t, dsn).RemindersWanted(ctx, ana.ID); on {
			t.Error("another store on the database does not see the refusal")
		}
		if err := s.SetRemindersWanted(ctx, ana.ID, true, at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		s.SetRemindersWanted(ctx, bo.ID, false, at)
		if on, _ := s.RemindersWanted(ctx, ana.ID); !on {
			t.Error("saying yes again is not kept")
		}
		if off, _ := s.RemindersRefused(ctx); !slices.Equal(off, []int64{bo.ID}) {
			t.Errorf("refused: %v, want only [%d]", off, bo.ID)
		}
		if err := s.SetRemindersWanted(ctx, 999, false, at); err == nil {
			t.Error("a preference of no account was stored")
		}
	})
}

// TestRemindersSent: a reminder recorded is sent for that user, kind and
// occasion only, and recording it again is no error and no second row.
func TestRemindersSent(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, s store.Store, dsn string) {
		ana, _ := s.CreateUser(ctx, store.User{Email: "ana@example.org", Name: "Ana", Department: "311", Role: store.RoleLearner, PasswordHash: "h"})
		bo, _ := s.CreateUser(ctx, store.User{Email: "bo@example.org", Name: "Bo", Department: "311", Role: store.RoleLearner, PasswordHash: "h"})
		r := store.SentReminder{UserID: ana.ID, Kind: "due-7", About: "basics/2026-05-08", SentAt: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
		if sent, err := s.ReminderSent(ctx, r.UserID, r.Kind, r.About); sent || err != nil {
			t.Fatalf("before: sent %v %v", sent, err)
		}
		for range 2 {
			if err := s.RecordReminderSent(ctx, r); err != nil {
				t.Fatalf("record: %v", err)
			}
		}
		for _, c := range []struct {
			user        int64
			kind, about string
			want        bool
		}{
			{ana.ID, "due-7", "basics/2026-05-08", true},
			{ana.ID, "due-7", "basics/2026-05-15", false},
			{ana.ID, "overdue", "basics/2026-05-08", false},
			{bo.ID, "due-7", "basics/2026-05-08", false},
		} {
			if sent, err := storetest.Open(t, dsn).ReminderSent(ctx, c.user, c.kind, c.about); sent != c.want || err != nil {
				t.Errorf("sent to %d %s %s: %v %v, want %v", c.user, c.kind, c.about, sent, err, c.want)
			}
		}
		if err := s.RecordReminderSent(ctx, store.SentReminder{UserID: 999, Kind: "due-7", About: "x", SentAt: r.SentAt}); err == nil {
			t.Error("a reminder to no account was recorded")
		}
	})
}

// TestReminderLease: one holder at a time, across stores on one database,
// even when many try at once; the holder extends it; it is free again when
// released or expired.
func TestReminderLease(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, s store.Store, dsn string) {
		now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
		until := now.Add(10 * time.Minute)
		other := storetest.Open(t, dsn)
		var taken atomic.Int32
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st := s
				if i%2 == 1 {
					st = other
				}
				ok, err := st.TakeReminderLease(ctx, string(rune('a'+i)), now, until)
				if err != nil {
					t.Error(err)
				}
				if ok {
					taken.Add(1)
				}
			}()
		}
		wg.Wait()
		if n := taken.Load(); n != 1 {
			t.Fatalf("%d runs took the lease at once, want 1", n)
		}
		for i := range 8 {
			s.ReleaseReminderLease(ctx, string(rune('a'+i)))
		}

		if ok, _ := s.TakeReminderLease(ctx, "run-1", now, until); !ok {
			t.Fatal("a free lease was not taken")
		}
		if ok, _ := other.TakeReminderLease(ctx, "run-2", now.Add(time.Minute), now.Add(11*time.Minute)); ok {
			t.Error("a second run took a lease that is held")
		}
		if ok, _ := s.TakeReminderLease(ctx, "run-1", now.Add(9*time.Minute), now.Add(19*time.Minute)); !ok {
			t.Error("the holder could not extend its lease")
		}
		if ok, _ := other.TakeReminderLease(ctx, "run-2", until, until.Add(10*time.Minute)); ok {
			t.Error("a second run took the lease while it was extended")
		}
		// Released by another: nothing happens.
		other.ReleaseReminderLease(ctx, "run-2")
		if ok, _ := other.TakeReminderLease(ctx, "run-2", now.Add(10*time.Minute), now.Add(20*time.Minute)); ok {
			t.Error("a release by a run that did not hold it freed the lease")
		}
		// Expired: anyone may take it; then released: free again.
		if ok, _ := other.TakeReminderLease(ctx, "run-2", now.Add(19*time.Minute), now.Add(29*time.Minute)); !ok {
			t.Error("an expired lease was not taken")
		}
		if ok, _ := s.TakeReminderLease(ctx, "run-1", now.Add(20*time.Minute), now.Add(30*time.Minute)); ok {
			t.Error("the holder of an expired lease took it back from the new holder")
		}
		if err := other.ReleaseReminderLease(ctx, "run-2"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.TakeReminderLease(ctx, "run-3", now.Add(20*time.Minute), now.Add(30*time.Minute)); !ok {
			t.Error("a released lease was not free")
		}
	})
}
