package referral

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"northstar/internal/store"
	"northstar/internal/store/storetest"
)

// seedReferrals records, through the service, a small organisation's
// referrals whose figures TestReportOnBothEngines works out by hand.
func seedReferrals(t *testing.T, st store.Store) (*Service, map[string]Recorder) {
	ctx := context.Background()
	people := map[string]Recorder{}
	for _, p := range []struct{ name, dept string }{{"p1", "Police"}, {"p2", "Police"}, {"p3", "Police"}, {"l1", "Library"}} {
		u, err := st.CreateUser(ctx, store.User{Email: p.name + "@example.org", Name: p.name, Department: p.dept, Role: store.RoleLearner, PasswordHash: "h"})
		if err != nil {
			t.Fatal(err)
		}
		people[p.name] = Recorder{ID: u.ID, Department: p.dept}
	}
	// Trained now: p1 and p2 (p3's certificate expired, l1's is revoked).
	for i, c := range []struct {
		who     string
		until   time.Time
		revoked bool
	}{{"p1", now.AddDate(1, 0, 0), false}, {"p2", now.AddDate(0, 1, 0), false}, {"p3", now.AddDate(0, 0, -1), false}, {"l1", now.AddDate(1, 0, 0), true}} {
		id := "att" + string(rune('a'+i))
		passed := now.AddDate(-1, 0, 0)
		if err := st.CreateAttempt(ctx, store.Attempt{ID: id, UserID: people[c.who].ID, QuizID: "q", Drawn: []string{"x"}, StartedAt: passed}); err != nil {
			t.Fatal(err)
		}
		code := "CODE0000000" + string(rune('A'+i))
		if _, err := st.SubmitAttempt(ctx, store.Attempt{ID: id, SubmittedAt: &passed, Results: []byte(`[]`), Score: 90, Passed: true},
			&store.Certificate{Code: code, UserID: people[c.who].ID, Module: "m", AttemptID: id, Score: 90, PassedAt: passed, ValidUntil: c.until}); err != nil {
			t.Fatal(err)
		}
		if c.revoked {
			st.RevokeCertificate(ctx, code, people["p1"].ID, "test", now)
		}
	}
	svc := &Service{Store: st, Settings: testSettings, Directory: testDirectory, Departments: []string{"Police", "Library"}}
	record := func(who string, at time.Time, n int, change func(url.Values)) {
		svc.Now = func() time.Time { return at }
		for range n {
			f := goodForm()
			f.Set("date", Today(at).Format("2006-01-02"))
			change(f)
			if _, err := svc.Record(ctx, people[who], Form(f)); err != nil {
				t.Fatal(err)
			}
		}
	}
	// 6 by p1 in December: labor, adults, with a qualified interpreter.
	record("p1", now, 6, func(url.Values) {})
	// 5 by p2 in November: sex trafficking of children, child protection
	// called, no interpreter needed, two services each.
	record("p2", time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC), 5, func(f url.Values) {
		f.Set("suspected", "sex")
		f.Set("age", "under-18")
		f.Set("child_protection", "yes")
		f.Set("interpreter", "not-needed")
		f["services"] = []string{"national-human-trafficking-hotline", "hennepin-child-protection"}
	})
	// 2 by l1 in November: unsure, 18-24, a family member interpreted.
	record("l1", time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC), 2, func(f url.Values) {
		f.Set("suspected", "unsure")
		f.Set("age", "18-24")
		f.Set("interpreter", "family")
	})
	svc.Now = func() time.Time { return now }
	return svc, people
}

func TestReportOnBothEngines(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, st store.Store, _ string) {
		ctx := context.Background()
		svc, people := seedReferrals(t, st)
		rep, err := svc.Report(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tb := rep.ByMonth
		// Police: November 5, December 6; Library: November 2. The 2 and
		// Library's total are small; Police's November (November's column)
		// and Police's total (the column of department totals) hide beside
		// them. Police's November stays between 3 and 6.
		months := strings.Join(tb.Cols[10:], " ")
		got := strings.TrimSpace(shown(tb.Cells[0][10:]...)) + " | " + tb.RowTotals[0].String() + " ; " +
			strings.TrimSpace(shown(tb.Cells[1][10:]...)) + " | " + tb.RowTotals[1].String() + " ; " +
			strings.TrimSpace(shown(tb.ColTotals[10:]...)) + " | " + tb.Total.String()
		if want := "hidden 6 | hidden ; <5 0 | <5 ; 7 6 | 13"; months != "2026-11 2026-12" || got != want {
			t.Errorf("by month (%s): %s\nwant               %s", months, got, want)
		}
		for j := range 10 {
			if tb.Cells[0][j].String() != "0" || tb.Cells[1][j].String() != "0" {
				t.Errorf("month %s is not empty", tb.Cols[j])
			}
		}
		susp := ""
		for _, l := range rep.BySuspected {
			susp += l.String() + " "
		}
		if want := "6 hidden 0 0 <5 "; susp != want || rep.SuspectedTotal.String() != "13" {
			t.Errorf("by suspected %q total %s; want %q total 13", susp, rep.SuspectedTotal, want)
		}
		svcs := ""
		for _, l := range rep.ByService {
			svcs += l.Key + "=" + l.String() + " "
		}
		if want := "national-human-trafficking-hotline=13 hennepin-child-protection=5 "; svcs != want {
			t.Errorf("by service %q, want %q", svcs, want)
		}
		// Interpreter needed 8 (6 qualified + 2 family): the rest, 2, is
		// small. Under 18: 5, all with child protection. No outcome yet.
		if rep.Interpreter != (Share{6, 8, false}) || rep.ChildProtection != (Share{5, 5, true}) ||
			rep.OutcomeKnown != (Share{0, 13, true}) || rep.Connected != (Share{0, 0, false}) {
			t.Errorf("shares %+v %+v %+v %+v", rep.Interpreter, rep.ChildProtection, rep.OutcomeKnown, rep.Connected)
		}
		if r := rep.PerTrained[0]; r.Department != "Police" || r.Trained != 2 || r.Shown {
			t.Errorf("police per trained: %+v (its count is hidden, so is its rate)", r)
		}
		if r := rep.PerTrained[1]; r.Department != "Library" || r.Trained != 0 || r.Shown {
			t.Errorf("library per trained: %+v", r)
		}

		// p2 follows up all five: connected.
		mine, err := svc.Mine(ctx, people["p2"].ID)
		if err != nil || len(mine) != 5 {
			t.Fatalf("p2's referrals: %d, %v", len(mine), err)
		}
		if len(mine[0].Services) != 2 || mine[0].Department != "Police" || mine[0].OccurredOn != "2026-11-10" {
			t.Errorf("p2's referral as listed: %+v", mine[0])
		}
		for _, r := range mine {
			if err := svc.SetOutcome(ctx, people["p2"].ID, r.ID, Form{"outcome": {Connected}}); err != nil {
				t.Fatal(err)
			}
		}
		rep, _ = svc.Report(ctx)
		if rep.OutcomeKnown != (Share{5, 13, true}) || rep.OutcomeKnown.Percent() != 38 || rep.Connected != (Share{5, 5, true}) {
			t.Errorf("after follow-up: %+v %+v", rep.OutcomeKnown, rep.Connected)
		}
	})
}

func TestFollowUpAndHistory(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, st store.Store, _ string) {
		ctx := context.Background()
		svc, people := seedReferrals(t, st)
		mine, _ := svc.Mine(ctx, people["p1"].ID)
		id := mine[0].ID
		// Someone else cannot follow it up, nor see its history.
		if err := svc.SetOutcome(ctx, people["p2"].ID, id, Form{"outcome": {Connected}}); !errors.Is(err, ErrNoReferral) {
			t.Errorf("another's referral: %v", err)
		}
		if _, err := svc.History(ctx, people["p2"].ID, id); !errors.Is(err, ErrNoReferral) {
			t.Errorf("another's history: %v", err)
		}
		var fe *FieldError
		if err := svc.SetOutcome(ctx, people["p1"].ID, id, Form{"outcome": {"moved to Texas"}}); !errors.As(err, &fe) || fe.Field != "outcome" {
			t.Errorf("an outcome not listed: %v", err)
		}
		if err := svc.SetOutcome(ctx, people["p1"].ID, id, Form{"outcome": {"unreached"}, "note": {"called her sister"}}); !errors.As(err, &fe) || fe.Field != "note" {
			t.Errorf("a field the follow-up does not have: %v", err)
		}
		if err := svc.SetOutcome(ctx, people["p1"].ID, id, Form{"outcome": {"unreached"}}); err != nil {
			t.Fatal(err)
		}
		svc.Now = func() time.Time { return now.Add(24 * time.Hour) }
		if err := svc.SetOutcome(ctx, people["p1"].ID, id, Form{"outcome": {Connected}}); err != nil {
			t.Fatal(err)
		}
		svc.Now = func() time.Time { return now.Add(FollowUpDays * 24 * time.Hour) }
		if err := svc.SetOutcome(ctx, people["p1"].ID, id, Form{"outcome": {"declined"}}); !errors.Is(err, ErrFollowUpClosed) {
			t.Errorf("after %d days: %v", FollowUpDays, err)
		}
		h, err := svc.History(ctx, people["p1"].ID, id)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, c := range h {
			got += c.What + ":" + c.Value + " "
			if c.By != people["p1"].ID {
				t.Errorf("change by %d", c.By)
			}
		}
		if want := "recorded: outcome:unreached outcome:connected "; got != want || !h[2].At.Equal(now.Add(24*time.Hour)) {
			t.Errorf("history %q, want %q (last at %v)", got, want, h[len(h)-1].At)
		}
		mine, _ = svc.Mine(ctx, people["p1"].ID)
		for _, r := range mine {
			if r.ID == id && (r.Outcome != Connected || r.OutcomeAt == nil) {
				t.Errorf("outcome now %q", r.Outcome)
			}
		}
	})
}

func TestPurge(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, st store.Store, _ string) {
		ctx := context.Background()
		svc, people := seedReferrals(t, st)
		// Two old referrals, written straight to the store (the form takes
		// only the last 90 days): one a day past retention, one on its edge.
		for _, day := range []string{"2019-12-06", "2019-12-07"} {
			r := Referral{ID: "OLD" + day, RecordedBy: people["l1"].ID, Department: "Library", OccurredOn: day,
				RecordedAt: time.Date(2019, 12, 8, 0, 0, 0, 0, time.UTC), Source: "other", Suspected: "unsure", AgeGroup: AgeUnknown,
				ChildProtection: NotAsked, Language: "unknown", Interpreter: NotNeeded, Services: []string{"national-human-trafficking-hotline"}}
			if err := st.CreateReferral(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		n, err := svc.Purge(ctx)
		if err != nil || n != 1 {
			t.Fatalf("purged %d, %v; want 1", n, err)
		}
		mine, _ := svc.Mine(ctx, people["l1"].ID)
		ids := ""
		for _, r := range mine {
			ids += r.ID + " "
		}
		if len(mine) != 3 || strings.Contains(ids, "OLD2019-12-06") || !strings.Contains(ids, "OLD2019-12-07") {
			t.Errorf("after the purge l1 has %s", ids)
		}
		if h, err := st.ReferralChanges(ctx, "OLD2019-12-06"); err != nil || len(h) != 0 {
			t.Errorf("the purged referral's history stays: %v %v", h, err)
		}
		if n, _ := svc.Purge(ctx); n != 0 {
			t.Errorf("a second purge deleted %d", n)
		}
	})
}
