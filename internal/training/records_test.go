package training_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"northstar/internal/store"
	"northstar/internal/training"
)

// recordsService is a service on st at reportNow, with reportModules and
// two departments.
func recordsService(st store.Store) *training.Service {
	return &training.Service{Store: st, Modules: reportModules, Departments: []string{"311", "Fire"},
		Now: func() time.Time { return reportNow }}
}

func TestAssign(t *testing.T) {
	onEachEngine(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		users := seedReport(t, st)
		svc := recordsService(st)
		before, err := svc.AssignmentList(ctx)
		if err != nil {
			t.Fatal(err)
		}
		trainer := users["trainer"]
		for _, c := range []struct {
			name string
			req  training.AssignRequest
			want error
		}{
			{"unknown module", training.AssignRequest{Module: "m9", Department: "311", Due: "2026-12-31"}, training.ErrNoModule},
			{"not a date", training.AssignRequest{Module: "m1", Department: "311", Due: "31/12/2026"}, training.ErrBadDate},
			{"day passed", training.AssignRequest{Module: "m1", Department: "311", Due: "2026-11-21"}, training.ErrBadDate},
			{"both", training.AssignRequest{Module: "m1", Department: "311", Email: "ana@example.org", Due: "2026-12-31"}, training.ErrTwoAssignees},
			{"neither", training.AssignRequest{Module: "m1", Due: "2026-12-31"}, training.ErrNoAssignee},
			{"unknown department", training.AssignRequest{Module: "m1", Department: "Mars", Due: "2026-12-31"}, training.ErrNoDepartment},
			{"unknown person", training.AssignRequest{Module: "m1", Email: "nobody@example.org", Due: "2026-12-31"}, training.ErrNoPerson},
		} {
			if _, err := svc.Assign(ctx, trainer, c.req); !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %v", c.name, err, c.want)
			}
		}
		if after, _ := svc.AssignmentList(ctx); len(after) != len(before) {
			t.Fatalf("refused assignments were saved: %d before, %d after", len(before), len(after))
		}
		// Due on the day typed, at its end in Minneapolis (CST in December).
		a, err := svc.Assign(ctx, trainer, training.AssignRequest{Module: "m2", Email: " ana@example.org ", Due: "2026-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2027, 1, 1, 5, 59, 59, 0, time.UTC); !a.DueAt.Equal(want) || a.UserID != users["ana"].ID || a.AssignedBy != trainer.ID {
			t.Errorf("assignment saved as %+v; want ana's, due %v, by the trainer", a, want)
		}
		list, err := svc.AssignmentList(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got *training.AssignmentLine
		for i := range list {
			if list[i].ID == a.ID {
				got = &list[i]
			}
		}
		if got == nil || got.Person.Email != "ana@example.org" || got.AssignedBy.Name != "trainer" || got.Module.Title != "Module two" {
			t.Errorf("listed as %+v", got)
		}
		if err := svc.Unassign(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if err := svc.Unassign(ctx, a.ID); !errors.Is(err, training.ErrNoAssignment) {
			t.Errorf("removing twice: %v", err)
		}
	})
}

func TestCertificateRules(t *testing.T) {
	onEachEngine(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		users := seedReport(t, st)
		svc := recordsService(st)
		ledger, err := svc.Ledger(ctx)
		if err != nil || len(ledger) < 2 {
			t.Fatalf("ledger: %d certificates, %v", len(ledger), err)
		}
		for i := 1; i < len(ledger); i++ {
			if ledger[i].PassedAt.Before(ledger[i-1].PassedAt) {
				t.Errorf("ledger not oldest first at %d", i)
			}
		}
		c := ledger[0]
		if c.Holder.ID != c.UserID || c.Holder.Email == "" || c.Status == "" {
			t.Errorf("ledger line without its holder or status: %+v", c)
		}
		holder := *c.Holder
		var other store.User
		for _, u := range users {
			if u.ID != holder.ID {
				other = u
				break
			}
		}
		if h, err := svc.CertificateFor(ctx, holder, c.Code); err != nil || h.Code != c.Code {
			t.Errorf("the holder's own certificate: %v", err)
		}
		if _, err := svc.CertificateFor(ctx, other, c.Code); !errors.Is(err, training.ErrNoCertificate) {
			t.Errorf("someone else's certificate, to a learner: %v; want ErrNoCertificate", err)
		}
		admin := other
		admin.Role = store.RoleAdmin
		if _, err := svc.CertificateFor(ctx, admin, c.Code); err != nil {
			t.Errorf("any certificate, to an admin: %v", err)
		}
		if _, err := svc.Certificate(ctx, "NOSUCHCODE00"); !errors.Is(err, training.ErrNoCertificate) {
			t.Errorf("unknown code: %v", err)
		}
		if _, err := svc.FindCertificates(ctx, "nobody@example.org"); !errors.Is(err, training.ErrNoPerson) {
			t.Errorf("unknown email: %v", err)
		}
		found, err := svc.FindCertificates(ctx, " "+holder.Email+" ")
		if err != nil || len(found) == 0 {
			t.Fatalf("by the holder's email: %d, %v", len(found), err)
		}
		for i := 1; i < len(found); i++ {
			if found[i].PassedAt.After(found[i-1].PassedAt) {
				t.Errorf("found not newest first at %d", i)
			}
		}
		for _, reason := range []string{"", "   ", strings.Repeat("é", training.MaxReasonLen+1)} {
			if err := svc.Revoke(ctx, admin, c.Code, reason); !errors.Is(err, training.ErrNoReason) {
				t.Errorf("revoke with reason of %d letters: %v", len(reason), err)
			}
		}
		if err := svc.Revoke(ctx, admin, c.Code, strings.Repeat("é", training.MaxReasonLen)); err != nil {
			t.Fatal(err)
		}
		if err := svc.Revoke(ctx, admin, c.Code, "again"); !errors.Is(err, training.ErrNoCertificate) {
			t.Errorf("revoking twice: %v", err)
		}
		h, err := svc.Certificate(ctx, c.Code)
		if err != nil || h.Status != "revoked" || h.RevokedBy.ID != admin.ID {
			t.Errorf("after revoking: %+v, %v", h, err)
		}
	})
}
