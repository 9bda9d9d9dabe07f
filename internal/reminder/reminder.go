// Package reminder owns reminders by email: which are due (a new
// assignment, due in 7 days, overdue, a certificate expiring in 30 days),
// what each says, that each is sent once, and staff's choice to get them.
// Who stands where on a module is training's (training.Roster), the same
// as My training shows; sending is email's.
package reminder

import (
	"fmt"
	"slices"
	"time"

	"northstar/internal/training"
)

// Kinds of reminder, as the log of those sent keeps them.
const (
	// Assigned: a module was assigned (or the person joined a department
	// it was assigned to). Once per assignment.
	Assigned = "assigned"
	// DueSoon: an assigned module is due within DueSoonDays. Once per due
	// date.
	DueSoon = "due-7"
	// Overdue: an assigned module is past due and not completed. Once per
	// week overdue, counted from the due date.
	Overdue = "overdue"
	// Expiring: the certificate that holds expires within ExpiringDays.
	// Once per certificate.
	Expiring = "expiring-30"
)

// The rules' spans.
const (
	DueSoonDays  = 7
	ExpiringDays = 30
	// NewFor is how long after an assignment (or the account that it
	// applies to) its notice is still sent: a run missed for a few days
	// still sends it, and switching reminders on does not announce every
	// assignment ever made.
	NewFor = 7 * 24 * time.Hour
)

// Mark is one line of the log of reminders sent: a kind and the occasion
// it is about (an assignment, a due date, a week overdue, a certificate).
type Mark struct {
	Kind, About string
}

// Reminder is one email due to one person about one module.
type Reminder struct {
	User   *training.User
	Module *training.Module
	Kind   string
	// Due is when the module is due (Assigned, DueSoon, Overdue) or when
	// the certificate expires (Expiring).
	Due time.Time
	// Days is how many Minneapolis days until Due (DueSoon, Expiring) or
	// since it (Overdue).
	Days int
	// Marks are what the log records once it is sent; the first is its
	// own, the one that says it was sent. A new assignment's notice that
	// also says the module is due soon marks that reminder too, so it is
	// not sent again the same week.
	Marks []Mark
}

// Due lists the reminders the rules call for at now: rows are where each
// person stands on each module (training.Roster), assignments every
// assignment. Which of them were sent already is the log's to say (Run).
// In order of the rows; at most one reminder per person and module.
func Due(now time.Time, rows []training.Row, assignments []training.Assignment) []Reminder {
	var out []Reminder
	today := cityDay(now)
	for _, row := range rows {
		st := row.Standing
		r := Reminder{User: row.User, Module: row.Module}
		switch st.Status {
		case training.Completed:
			r.Kind, r.Due, r.Days = Expiring, st.Holding.ValidUntil, days(today, cityDay(st.Holding.ValidUntil))
			if r.Days > ExpiringDays {
				continue
			}
			r.Marks = []Mark{{Expiring, "certificate/" + st.Holding.Code}}
		case training.Overdue:
			late := days(cityDay(st.Due), today)
			week := 1
			if late > 0 {
				week = (late-1)/7 + 1
			}
			r.Kind, r.Due, r.Days = Overdue, st.Due, late
			r.Marks = []Mark{{Overdue, fmt.Sprintf("%s/%s/week-%d", row.Module.Slug, dayString(st.Due), week)}}
		default:
			var ok bool
			if r, ok = notice(now, row, assignments); !ok {
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

// notice is the reminder of an assignment not yet completed, overdue or
// past: a new assignment's notice (also telling the due date when it is
// soon), or else the due-soon reminder.
func notice(now time.Time, row training.Row, assignments []training.Assignment) (Reminder, bool) {
	st, u, m := row.Standing, row.User, row.Module
	r := Reminder{User: u, Module: m}
	today := cityDay(now)
	// Expired: due again since the certificate ran out; st.Due is that
	// day, not an assignment's, so only a new assignment is told.
	dueSoon := st.Assigned && st.Status != training.Expired && days(today, cityDay(st.Due)) <= DueSoonDays
	var fresh []training.Assignment
	for _, a := range assignments {
		start := a.CreatedAt
		if u.CreatedAt.After(start) {
			start = u.CreatedAt
		}
		if a.Module == m.Slug && training.Applies(a, *u) && now.Sub(start) <= NewFor && now.Before(training.DueFor(a, *u)) {
			fresh = append(fresh, a)
		}
	}
	if len(fresh) > 0 {
		slices.SortFunc(fresh, func(a, b training.Assignment) int { return training.DueFor(a, *u).Compare(training.DueFor(b, *u)) })
		r.Kind, r.Due = Assigned, training.DueFor(fresh[0], *u)
		r.Days = days(today, cityDay(r.Due))
		for _, a := range fresh {
			r.Marks = append(r.Marks, Mark{Assigned, fmt.Sprintf("assignment/%d", a.ID)})
		}
		if dueSoon && dayString(r.Due) == dayString(st.Due) {
			r.Marks = append(r.Marks, Mark{DueSoon, dueSoonAbout(m, st.Due)})
		}
		return r, true
	}
	if !dueSoon {
		return r, false
	}
	r.Kind, r.Due, r.Days = DueSoon, st.Due, days(today, cityDay(st.Due))
	r.Marks = []Mark{{DueSoon, dueSoonAbout(m, st.Due)}}
	return r, true
}

func dueSoonAbout(m *training.Module, due time.Time) string {
	return m.Slug + "/" + dayString(due)
}

// cityDay is t's date in Minneapolis, at midnight UTC: days between two
// are whole, daylight saving or not.
func cityDay(t time.Time) time.Time {
	y, mo, d := t.In(training.CityTime).Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

// days is how many days from day a to day b (cityDay).
func days(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }

// dayString is t's Minneapolis date as 2006-01-02.
func dayString(t time.Time) string { return t.In(training.CityTime).Format("2006-01-02") }
