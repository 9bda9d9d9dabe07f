package reminder_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"northstar/internal/reminder"
	"northstar/internal/training"
)

// day is the end of a Minneapolis day, as an assignment is due.
func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := training.ParseDay(s, start)
	if err != nil {
		t.Fatal(err)
	}
	return d.AddDate(0, 0, 1).Add(-time.Second).UTC()
}

// TestDue: the rules, at the first run's clock (Friday 1 May 2026, 07:00
// in Minneapolis), for one person and the first module.
func TestDue(t *testing.T) {
	old := start.AddDate(0, 0, -30)
	person := func(a training.Assignment) training.Assignment { a.Module, a.UserID, a.ID = "basics", 7, 1; return a }
	dept := func(a training.Assignment) training.Assignment {
		a.Module, a.Department, a.ID = "basics", "311", 2
		return a
	}
	cert := func(until time.Time) training.Certificate {
		return training.Certificate{Code: "CODE", UserID: 7, Module: "basics", PassedAt: until.AddDate(-1, 0, 0), ValidUntil: until}
	}
	for _, c := range []struct {
		name        string
		now         time.Time
		joined      time.Time
		assignments []training.Assignment
		certs       []training.Certificate
		// want is kind, days and marks, "" for none.
		want string
	}{
		{name: "due in 8 days", assignments: []training.Assignment{person(training.Assignment{DueAt: day(t, "2026-05-09"), CreatedAt: old})}},
		{name: "due in 7 days", assignments: []training.Assignment{person(training.Assignment{DueAt: day(t, "2026-05-08"), CreatedAt: old})},
			want: "due-7 7 [due-7 basics/2026-05-08]"},
		{name: "due tonight", assignments: []training.Assignment{person(training.Assignment{DueAt: day(t, "2026-05-01"), CreatedAt: old})},
			want: "due-7 0 [due-7 basics/2026-05-01]"},
		{name: "due yesterday", assignments: []training.Assignment{person(training.Assignment{DueAt: day(t, "2026-04-30"), CreatedAt: old})},
			want: "overdue 1 [overdue basics/2026-04-30/week-1]"},
		{name: "7 days late", assignments: []training.Assignment{person(training.Assignment{DueAt: day(t, "2026-04-24"), CreatedAt: old})},
			want: "overdue 7 [overdue basics/2026-04-24/week-1]"},
		{name: "8 days late", assignments: []training.Assignment{person(training.Assignment{DueAt: day(t, "2026-04-23"), CreatedAt: old})},
			want: "overdue 8 [overdue basics/2026-04-23/week-2]"},
		{name: "late, two assignments: the earlier decides",
			assignments: []training.Assignment{person(training.Assignment{DueAt: day(t, "2026-04-23"), CreatedAt: old}), dept(training.Assignment{DueAt: day(t, "2026-06-01"), CreatedAt: old})},
			want:        "overdue 8 [overdue basics/2026-04-23/week-2]"},
		{name: "certificate expires in 30 days", certs: []training.Certificate{cert(start.AddDate(0, 0, 30))},
			want: "expiring-30 30 [expiring-30 certificate/CODE]"},
		{name: "certificate expires in 31 days", certs: []training.Certificate{cert(start.AddDate(0, 0, 31))}},
		{name: "certificate expired", certs: []training.Certificate{cert(start.AddDate(0, 0, -1))}},
		{name: "completed, and assigned again", certs: []training.Certificate{cert(start.AddDate(0, 6, 0))},
			assignments: []training.Assignment{person(training.Assignment{DueAt: day(t, "2026-05-20"), CreatedAt: start.Add(-time.Hour)})}},
		{name: "assigned 6 days ago", assignments: []training.Assignment{person(training.Assignment{DueAt: day(t, "2026-06-01"), CreatedAt: start.AddDate(0, 0, -6)})},
			want: "assigned 31 [assigned assignment/1]"},
		{name: "assigned 8 days ago", assignments: []training.Assignment{person(training.Assignment{DueAt: day(t, "2026-06-01"), CreatedAt: start.AddDate(0, 0, -8)})}},
		{name: "assigned, due in 3 days: one email for both", assignments: []training.Assignment{person(training.Assignment{DueAt: day(t, "2026-05-04"), CreatedAt: start.Add(-time.Hour)})},
			want: "assigned 3 [assigned assignment/1 due-7 basics/2026-05-04]"},
		{name: "assigned again after the certificate expired", certs: []training.Certificate{cert(start.AddDate(0, -1, 0))},
			assignments: []training.Assignment{person(training.Assignment{DueAt: day(t, "2026-05-04"), CreatedAt: start.Add(-time.Hour)})},
			want:        "assigned 3 [assigned assignment/1]"},
		{name: "joined a department assigned long ago", joined: start.AddDate(0, 0, -1),
			assignments: []training.Assignment{dept(training.Assignment{DueAt: old.AddDate(0, 0, 30), CreatedAt: old})},
			want:        "assigned 29 [assigned assignment/2]"},
		{name: "across the change to daylight saving", now: time.Date(2026, 3, 1, 13, 0, 0, 0, time.UTC),
			assignments: []training.Assignment{person(training.Assignment{DueAt: day(t, "2026-03-08"), CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})},
			want:        "due-7 7 [due-7 basics/2026-03-08]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			now := c.now
			if now.IsZero() {
				now = start
			}
			joined := c.joined
			if joined.IsZero() {
				joined = start.AddDate(-1, 0, 0)
			}
			u := &training.User{ID: 7, Department: "311", Email: "a@example.org", CreatedAt: joined}
			row := training.Row{User: u, Module: &modules[0], Standing: training.Evaluate(now, *u, c.assignments, c.certs, 0)}
			var got []string
			for _, r := range reminder.Due(now, []training.Row{row}, c.assignments) {
				var marks []string
				for _, m := range r.Marks {
					marks = append(marks, m.Kind+" "+m.About)
				}
				got = append(got, r.Kind+" "+strconv.Itoa(r.Days)+" ["+strings.Join(marks, " ")+"]")
			}
			if strings.Join(got, "; ") != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// TestMessage: what each kind says, escaped in HTML, with links on the
// public address even when it has a path.
func TestMessage(t *testing.T) {
	m := training.Module{Slug: "basics", Title: `Signs <b>&</b> "answers"`, URL: "/training/basics/"}
	u := &training.User{Name: "Pa Nhia Xiong", Email: "pa@example.org"}
	due := day(t, "2026-05-08")
	for kind, subject := range map[string]string{
		reminder.Assigned: "New training assigned: ",
		reminder.DueSoon:  "Training due in 7 days: ",
		reminder.Overdue:  "Training overdue: ",
		reminder.Expiring: "Certificate expires in 7 days: ",
	} {
		r := reminder.Reminder{User: u, Module: &m, Kind: kind, Due: due, Days: 7}
		msg, err := reminder.Message(r, "https://city.example/northstar/")
		if err != nil {
			t.Fatal(err)
		}
		if msg.Subject != subject+m.Title || msg.To.Address != u.Email || msg.To.Name != u.Name {
			t.Errorf("%s: subject %q to %v", kind, msg.Subject, msg.To)
		}
		if !strings.Contains(msg.HTML, "Signs &lt;b&gt;&amp;&lt;/b&gt; &#34;answers&#34;") || strings.Contains(msg.HTML, "<b>&") {
			t.Errorf("%s: the title is not escaped in HTML:\n%s", kind, msg.HTML)
		}
		if !strings.Contains(msg.Text, `Signs <b>&</b> "answers"`) {
			t.Errorf("%s: the text does not name the module as it is:\n%s", kind, msg.Text)
		}
		for _, want := range []string{"https://city.example/northstar/training/basics/", "https://city.example/northstar/training/my/", "Friday, May 8, 2026", "Hello Pa Nhia Xiong,"} {
			if !strings.Contains(msg.Text, want) || !strings.Contains(msg.HTML, want) {
				t.Errorf("%s: no %q in both parts:\n%s\n%s", kind, want, msg.Text, msg.HTML)
			}
		}
	}
	for days, want := range map[int]string{0: "Training due today: x", 1: "Training due tomorrow: x", 2: "Training due in 2 days: x"} {
		if got := reminder.Subject(reminder.Reminder{Module: &training.Module{Title: "x"}, Kind: reminder.DueSoon, Days: days}); got != want {
			t.Errorf("%d days: %q, want %q", days, got, want)
		}
	}
	if _, err := reminder.Message(reminder.Reminder{User: u, Module: &m, Kind: reminder.Overdue}, "/relative"); err == nil {
		t.Error("a relative public URL made links")
	}
}

// TestNextRun: the next 07:00 in Minneapolis, through both changes of the
// clocks.
func TestNextRun(t *testing.T) {
	chicago := training.CityTime
	for _, c := range []struct{ now, want time.Time }{
		{time.Date(2026, 5, 1, 6, 59, 0, 0, chicago), time.Date(2026, 5, 1, 7, 0, 0, 0, chicago)},
		{time.Date(2026, 5, 1, 7, 0, 0, 0, chicago), time.Date(2026, 5, 2, 7, 0, 0, 0, chicago)},
		{time.Date(2026, 12, 31, 23, 0, 0, 0, chicago), time.Date(2027, 1, 1, 7, 0, 0, 0, chicago)},
		// 2026-03-08: clocks go forward; 2026-11-01: back.
		{time.Date(2026, 3, 7, 8, 0, 0, 0, chicago), time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC)},
		{time.Date(2026, 10, 31, 8, 0, 0, 0, chicago), time.Date(2026, 11, 1, 13, 0, 0, 0, time.UTC)},
	} {
		if got := reminder.NextRun(c.now.UTC(), 7, 0); !got.Equal(c.want) {
			t.Errorf("after %s: %s, want %s", c.now, got, c.want)
		}
	}
	for s, ok := range map[string]bool{"07:00": true, "23:59": true, "7:00": false, "24:00": false, "07:00:00": false, "": false, "7am": false} {
		h, m, err := reminder.ParseAt(s)
		if (err == nil) != ok {
			t.Errorf("ParseAt(%q) = %d:%d %v", s, h, m, err)
		}
	}
}
