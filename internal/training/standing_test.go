package training_test

import (
	"testing"
	"time"

	"northstar/internal/store"
	"northstar/internal/training"
)

var day = 24 * time.Hour

func TestEvaluate(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	joined := now.AddDate(-2, 0, 0)
	u := store.User{ID: 7, Department: "311", CreatedAt: joined}
	dept := store.Assignment{Module: "m", Department: "311", CreatedAt: now.Add(-30 * day), DueAt: now.Add(10 * day)}
	pastDue := store.Assignment{Module: "m", Department: "311", CreatedAt: now.Add(-60 * day), DueAt: now.Add(-1 * day)}
	personal := store.Assignment{Module: "m", UserID: 7, CreatedAt: now.Add(-5 * day), DueAt: now.Add(3 * day)}
	cert := func(passedDaysAgo, months int) store.Certificate {
		p := now.Add(-time.Duration(passedDaysAgo) * day)
		return store.Certificate{Code: "C", PassedAt: p, ValidUntil: training.ValidUntil(p, months)}
	}
	revoked := cert(10, 12)
	revokedAt := now.Add(-day)
	revoked.RevokedAt = &revokedAt
	expired := cert(400, 12) // passed 400 days ago, 12-month validity: expired
	current := cert(100, 12)
	short := cert(100, 3) // a 3-month module passed 100 days ago: expired

	tests := []struct {
		name        string
		assignments []store.Assignment
		certs       []store.Certificate
		attempts    int
		want        string
		wantDue     time.Time
	}{
		{"nothing", nil, nil, 0, training.NotStarted, time.Time{}},
		{"attempted, not assigned", nil, nil, 2, training.InProgress, time.Time{}},
		{"assigned", []store.Assignment{dept}, nil, 0, training.Assigned, dept.DueAt},
		{"assigned and attempted", []store.Assignment{dept}, nil, 1, training.InProgress, dept.DueAt},
		{"past due", []store.Assignment{pastDue}, nil, 0, training.Overdue, pastDue.DueAt},
		{"past due though attempted", []store.Assignment{pastDue}, nil, 3, training.Overdue, pastDue.DueAt},
		{"two assignments: the sooner counts", []store.Assignment{dept, personal}, nil, 0, training.Assigned, personal.DueAt},
		{"completed", []store.Assignment{pastDue}, []store.Certificate{current}, 1, training.Completed, current.ValidUntil},
		{"completed without assignment", nil, []store.Certificate{current}, 1, training.Completed, current.ValidUntil},
		{"recertification period over", []store.Assignment{dept}, []store.Certificate{expired}, 1, training.Expired, expired.ValidUntil},
		{"expired, not assigned: due again", nil, []store.Certificate{expired}, 1, training.Expired, expired.ValidUntil},
		{"module with a short period", nil, []store.Certificate{short}, 1, training.Expired, short.ValidUntil},
		{"recertified after expiry", nil, []store.Certificate{expired, current}, 2, training.Completed, current.ValidUntil},
		{"revoked counts for nothing", []store.Assignment{pastDue}, []store.Certificate{revoked}, 1, training.Overdue, pastDue.DueAt},
		{"revoked, not assigned", nil, []store.Certificate{revoked}, 1, training.InProgress, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := training.Evaluate(now, u, tt.assignments, tt.certs, tt.attempts)
			if st.Status != tt.want || !st.Due.Equal(tt.wantDue) {
				t.Errorf("got %q due %v, want %q due %v", st.Status, st.Due, tt.want, tt.wantDue)
			}
		})
	}
}

// TestDueForNewStaff: someone who joins a department after it was assigned a
// module gets the same window the others had, counted from joining; a
// personal assignment keeps its date.
func TestDueForNewStaff(t *testing.T) {
	assigned := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a := store.Assignment{Module: "m", Department: "Fire", CreatedAt: assigned, DueAt: assigned.Add(30 * day)}
	veteran := store.User{Department: "Fire", CreatedAt: assigned.AddDate(-3, 0, 0)}
	newHire := store.User{ID: 9, Department: "Fire", CreatedAt: assigned.Add(100 * day)}
	if got := training.DueFor(a, veteran); !got.Equal(a.DueAt) {
		t.Errorf("staff already there: due %v, want %v", got, a.DueAt)
	}
	if got, want := training.DueFor(a, newHire), newHire.CreatedAt.Add(30*day); !got.Equal(want) {
		t.Errorf("new staff: due %v, want %v", got, want)
	}
	p := store.Assignment{Module: "m", UserID: 9, CreatedAt: assigned, DueAt: assigned.Add(7 * day)}
	if got := training.DueFor(p, newHire); !got.Equal(p.DueAt) {
		t.Errorf("personal assignment moved: %v", got)
	}
	if !training.Applies(a, newHire) || training.Applies(a, store.User{Department: "Police"}) || !training.Applies(p, newHire) || training.Applies(p, veteran) {
		t.Error("Applies")
	}
}

func TestCertificateStatus(t *testing.T) {
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	c := store.Certificate{PassedAt: now.AddDate(0, -1, 0), ValidUntil: now.AddDate(0, 11, 0)}
	if got := training.CertificateStatus(c, now); got != "valid" {
		t.Errorf("valid: %q", got)
	}
	if got := training.CertificateStatus(c, c.ValidUntil); got != "expired" {
		t.Errorf("on its last instant: %q", got)
	}
	c.RevokedAt = &now
	if got := training.CertificateStatus(c, now); got != "revoked" {
		t.Errorf("revoked: %q", got)
	}
	if got := training.ValidUntil(now, 0); !got.Equal(now.AddDate(0, training.DefaultValidMonths, 0)) {
		t.Errorf("default period: %v", got)
	}
}
