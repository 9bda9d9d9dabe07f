package training_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"northstar/internal/quiz"
	"northstar/internal/store"
	"northstar/internal/store/storetest"
	"northstar/internal/training"
)

// onEachEngine runs test against a fresh store on each engine.
func onEachEngine(t *testing.T, test func(t *testing.T, st store.Store)) {
	storetest.EachEngine(t, func(t *testing.T, st store.Store, _ string) { test(t, st) })
}

var reportNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

var reportModules = []training.Module{
	{Slug: "m1", Title: "Module one", URL: "/training/m1/", Quiz: "q1", ValidMonths: 12},
	{Slug: "m2", Title: "Module two", URL: "/training/m2/", Quiz: "q2", ValidMonths: 6},
}

// seedReport makes a small organisation whose figures are worked out by hand
// in TestReports.
func seedReport(t *testing.T, st store.Store) map[string]store.User {
	ctx := context.Background()
	users := map[string]store.User{}
	add := func(name, dept string, joined time.Time, disabled bool) {
		u, err := st.CreateUser(ctx, store.User{Email: name + "@example.org", Name: name, Department: dept, Role: store.RoleLearner, PasswordHash: "h", CreatedAt: joined})
		if err != nil {
			t.Fatal(err)
		}
		if disabled {
			st.SetDisabled(ctx, u.Email, true)
		}
		users[name] = u
	}
	longAgo := reportNow.AddDate(-1, 0, 0)
	add("trainer", "Other", longAgo, false)
	add("ana", "311", longAgo, false)
	add("ben", "311", longAgo, false)
	add("cy", "311", reportNow.Add(-day), false) // joined yesterday
	add("dee", "Fire", longAgo, false)
	add("eve", "Fire", longAgo, false)
	add("fay", "Fire", longAgo, true) // disabled: not counted
	n := 0
	attempt := func(user, quizID string, passedAt time.Time, passed bool, module string, months int) string {
		n++
		id := fmt.Sprintf("att-%d", n)
		u := users[user]
		if err := st.CreateAttempt(ctx, store.Attempt{ID: id, UserID: u.ID, QuizID: quizID, Drawn: []string{"x"}, StartedAt: passedAt.Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
		var cert *store.Certificate
		if passed {
			cert = &store.Certificate{Code: fmt.Sprintf("CODE%08d", n), UserID: u.ID, Module: module, AttemptID: id, Score: 90, PassedAt: passedAt, ValidUntil: training.ValidUntil(passedAt, months)}
		}
		score := 40
		if passed {
			score = 90
		}
		if _, err := st.SubmitAttempt(ctx, store.Attempt{ID: id, SubmittedAt: &passedAt, Results: []byte(`[]`), Score: score, Passed: passed}, cert); err != nil {
			t.Fatal(err)
		}
		return id
	}
	trainer := users["trainer"].ID
	assign := func(a store.Assignment) {
		a.AssignedBy = trainer
		if _, err := st.CreateAssignment(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	assign(store.Assignment{Module: "m1", Department: "311", CreatedAt: reportNow.Add(-20 * day), DueAt: reportNow.Add(10 * day)})
	assign(store.Assignment{Module: "m2", Department: "Fire", CreatedAt: reportNow.Add(-30 * day), DueAt: reportNow.Add(-day)})
	assign(store.Assignment{Module: "m2", UserID: users["ana"].ID, CreatedAt: reportNow.Add(-2 * day), DueAt: reportNow.Add(5 * day)})

	attempt("ana", "q1", reportNow.Add(-30*day), true, "m1", 12) // completed m1
	attempt("ana", "q2", reportNow.Add(-day), false, "", 0)      // m2 in progress
	// dee passed m2 (6 months) on 1 May: expired on 1 November, 21 days ago.
	attempt("dee", "q2", time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC), true, "m2", 6)
	// eve's m1 certificate was revoked: she is back to "in progress".
	id := attempt("eve", "q1", reportNow.Add(-50*day), true, "m1", 12)
	c, _ := st.CertificateByAttempt(ctx, id)
	if err := st.RevokeCertificate(ctx, c.Code, trainer, "issued in error", reportNow.Add(-day)); err != nil {
		t.Fatal(err)
	}
	// fay, disabled, passed both: her certificates count for no department.
	attempt("fay", "q1", reportNow.Add(-day), true, "m1", 12)
	return users
}

func TestReports(t *testing.T) {
	onEachEngine(t, func(t *testing.T, st store.Store) {
		users := seedReport(t, st)
		svc := &training.Service{Store: st, Modules: reportModules, Now: func() time.Time { return reportNow }}
		rows, err := svc.Roster(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		status := map[string]string{}
		for _, r := range rows {
			status[r.User.Name+"/"+r.Module.Slug] = r.Status
		}
		wantStatus := map[string]string{
			"trainer/m1": training.NotStarted, "trainer/m2": training.NotStarted,
			"ana/m1": training.Completed, "ana/m2": training.InProgress,
			"ben/m1": training.Assigned, "ben/m2": training.NotStarted,
			"cy/m1": training.Assigned, "cy/m2": training.NotStarted,
			"dee/m1": training.NotStarted, "dee/m2": training.Expired,
			"eve/m1": training.InProgress, "eve/m2": training.Overdue,
		}
		if !reflect.DeepEqual(status, wantStatus) {
			t.Errorf("statuses:\n got %v\nwant %v", status, wantStatus)
		}
		for _, r := range rows {
			// cy joined a day ago; 311 had 30 days for m1, so cy has 30 days from joining.
			if r.User.Name == "cy" && r.Module.Slug == "m1" && !r.Due.Equal(users["cy"].CreatedAt.Add(30*day)) {
				t.Errorf("new staff due %v", r.Due)
			}
		}

		rep := training.CompletionReport(rows, []string{"311", "Fire", "Police"}, reportModules)
		if !reflect.DeepEqual(rep.Departments, []string{"311", "Fire", "Police", "Other"}) {
			t.Errorf("departments %v", rep.Departments)
		}
		want := [][]training.Cell{
			{{Staff: 3, Assigned: 3, Completed: 1}, {Staff: 3, Assigned: 1}}, // 311
			{{Staff: 2}, {Staff: 2, Assigned: 2, Overdue: 2}},                // Fire
			{{}, {}},                 // Police: nobody
			{{Staff: 1}, {Staff: 1}}, // Other: the trainer
		}
		if !reflect.DeepEqual(rep.Cells, want) {
			t.Errorf("cells:\n got %+v\nwant %+v", rep.Cells, want)
		}
		if tot := rep.Totals; tot[0] != (training.Cell{Staff: 6, Assigned: 3, Completed: 1}) || tot[1] != (training.Cell{Staff: 6, Assigned: 3, Overdue: 2}) {
			t.Errorf("totals %+v", tot)
		}
		if p := rep.Cells[0][0].Percent(); p != 33 {
			t.Errorf("311 × m1: %d%%, want 33%%", p)
		}

		over := training.OverdueList(rows, reportNow, "", "")
		if len(over) != 2 || over[0].User.Name != "dee" || over[0].Status != training.Expired || over[0].DaysLate != 21 ||
			over[1].User.Name != "eve" || over[1].Status != training.Overdue || over[1].DaysLate != 1 {
			t.Errorf("overdue list: %+v", over)
		}
		if got := training.OverdueList(rows, reportNow, "Fire", "m2"); len(got) != 2 {
			t.Errorf("Fire × m2: %d rows", len(got))
		}
		if got := training.OverdueList(rows, reportNow, "311", ""); len(got) != 0 {
			t.Errorf("311: %d rows", len(got))
		}
		if got := training.OverdueList(rows, reportNow, "", "m1"); len(got) != 0 {
			t.Errorf("m1: %d rows", len(got))
		}
	})
}

// TestItemAnalysis: 20 graded attempts scored 0…19, three questions whose
// figures are worked out by hand. The top and bottom groups are 5 attempts
// each (27% of 20, rounded).
func TestItemAnalysis(t *testing.T) {
	onEachEngine(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		u, _ := st.CreateUser(ctx, store.User{Email: "x@example.org", Name: "X", Department: "311", Role: store.RoleLearner, PasswordHash: "h"})
		for i := 0; i < 20; i++ {
			answers := []training.Answer{
				{Question: "easy", Correct: true, Chosen: []string{"a"}},
				{Question: "hard", Correct: i >= 16, Chosen: []string{map[bool]string{true: "a", false: "b"}[i >= 16]}},
				{Question: "mislead", Correct: i < 10, Chosen: []string{map[bool]string{true: "a", false: "x"}[i < 10]}},
			}
			raw, _ := json.Marshal(answers)
			id := fmt.Sprintf("a%02d", i)
			at := reportNow.Add(time.Duration(i) * time.Minute)
			st.CreateAttempt(ctx, store.Attempt{ID: id, UserID: u.ID, QuizID: "iq", Drawn: []string{"easy", "hard", "mislead"}, StartedAt: at})
			if _, err := st.SubmitAttempt(ctx, store.Attempt{ID: id, SubmittedAt: &at, Results: []byte(`[]`), Answers: raw, Score: i}, nil); err != nil {
				t.Fatal(err)
			}
		}
		q := &quiz.Quiz{ID: "iq", Questions: []quiz.Question{
			{ID: "easy", Kind: quiz.Single, Options: []quiz.Option{{ID: "a", Correct: true}, {ID: "b"}}},
			{ID: "mislead", Kind: quiz.Single, Options: []quiz.Option{{ID: "a", Correct: true}, {ID: "x"}}},
			{ID: "hard", Kind: quiz.Single, Options: []quiz.Option{{ID: "a", Correct: true}, {ID: "b"}}},
		}}
		svc := &training.Service{Store: st, Quizzes: map[string]*quiz.Quiz{"iq": q}}
		items, n, err := svc.ItemAnalysis(ctx, "iq")
		if err != nil || n != 20 || len(items) != 3 {
			t.Fatalf("%d attempts, %+v, %v", n, items, err)
		}
		want := []training.Item{
			{Question: "easy", Answers: 20, Right: 20, Facility: 1, Discrimination: 0, Flags: []string{training.FlagTooEasy, training.FlagWeak}},
			{Question: "mislead", Answers: 20, Right: 10, Facility: 0.5, Discrimination: -1, CommonWrong: "x", CommonWrongCount: 10, Flags: []string{training.FlagMisleading}},
			{Question: "hard", Answers: 20, Right: 4, Facility: 0.2, Discrimination: 0.8, CommonWrong: "b", CommonWrongCount: 16, Flags: []string{training.FlagTooHard}},
		}
		if !reflect.DeepEqual(items, want) {
			t.Errorf("items:\n got %+v\nwant %+v", items, want)
		}
	})
}
