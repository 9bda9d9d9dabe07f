package training

import (
	"time"
)

// A module's status for one member of staff. One vocabulary for My training
// and the reports.
const (
	// NotStarted: not assigned, no attempt, no certificate.
	NotStarted = "not started"
	// Assigned: assigned and due, not yet attempted.
	Assigned = "assigned"
	// InProgress: attempted (an open attempt or only failed ones), no
	// certificate that holds, not yet due.
	InProgress = "in progress"
	// Completed: a certificate that holds today.
	Completed = "completed"
	// Overdue: assigned, past its due date, no certificate that holds.
	Overdue = "overdue"
	// Expired: the last certificate has run past its recertification period
	// (and none holds): the module is due again.
	Expired = "expired"
)

// DefaultValidMonths is the recertification period of a module that names none.
const DefaultValidMonths = 12

// Standing is where one person stands on one module.
type Standing struct {
	Status string
	// Due is when the module is (or was) due: the assignment's due date, or
	// for a certificate the day it expires. Zero when nothing is due.
	Due      time.Time
	Assigned bool
	// Holding is the certificate valid today, Last the latest not revoked.
	Holding, Last *Certificate
}

// Holds reports whether c is valid at now: not revoked, not expired.
func Holds(c Certificate, now time.Time) bool {
	return c.RevokedAt == nil && now.Before(c.ValidUntil)
}

// CertificateStatus is what the public verification page says of c.
func CertificateStatus(c Certificate, now time.Time) string {
	switch {
	case c.RevokedAt != nil:
		return "revoked"
	case !now.Before(c.ValidUntil):
		return "expired"
	}
	return "valid"
}

// ValidUntil is when a certificate for a pass at passed expires.
func ValidUntil(passed time.Time, months int) time.Time {
	if months <= 0 {
		months = DefaultValidMonths
	}
	return passed.AddDate(0, months, 0)
}

// DueFor is when assignment a falls due for u. Staff who join a department
// after it was assigned a module get as long as the others had: the
// assignment's window counted from the day their account was made.
func DueFor(a Assignment, u User) time.Time {
	if a.UserID != 0 || !u.CreatedAt.After(a.CreatedAt) {
		return a.DueAt
	}
	return u.CreatedAt.Add(a.DueAt.Sub(a.CreatedAt))
}

// Applies reports whether assignment a is for u.
func Applies(a Assignment, u User) bool {
	if a.UserID != 0 {
		return a.UserID == u.ID
	}
	return a.Department == u.Department
}

// Evaluate applies the rules to one person and one module: assignments are
// those for u and this module, certs u's certificates for it, attempts how
// many attempts u started on its quiz.
//
// In order: a certificate that holds → completed; the latest certificate
// expired → expired (due again since it expired); assigned and past due →
// overdue; attempted → in progress; assigned → assigned; else not started.
func Evaluate(now time.Time, u User, assignments []Assignment, certs []Certificate, attempts int) Standing {
	var st Standing
	for _, a := range assignments {
		due := DueFor(a, u)
		if !st.Assigned || due.Before(st.Due) {
			st.Due = due
		}
		st.Assigned = true
	}
	for i := range certs {
		c := &certs[i]
		if c.RevokedAt != nil {
			continue
		}
		if st.Last == nil || c.PassedAt.After(st.Last.PassedAt) {
			st.Last = c
		}
		if Holds(*c, now) && (st.Holding == nil || c.ValidUntil.After(st.Holding.ValidUntil)) {
			st.Holding = c
		}
	}
	switch {
	case st.Holding != nil:
		st.Status, st.Due = Completed, st.Holding.ValidUntil
	case st.Last != nil:
		st.Status, st.Due = Expired, st.Last.ValidUntil
	case st.Assigned && !now.Before(st.Due):
		st.Status = Overdue
	case attempts > 0:
		st.Status = InProgress
	case st.Assigned:
		st.Status = Assigned
	default:
		st.Status = NotStarted
	}
	return st
}
