package store_test

import (
	"errors"
	"testing"
	"time"

	"northstar/internal/store"
	"northstar/internal/store/storetest"
)

// TestCertificates: a passing submission issues its certificate in the same
// transaction, once; a repeat submission issues nothing; revocation is
// recorded with who and why, once.
func TestCertificates(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, s store.Store, dsn string) {
		u, _ := s.CreateUser(ctx, store.User{Email: "p@example.org", Name: "Pa Nhia Xiong", Department: "Library", Role: store.RoleLearner, PasswordHash: "h"})
		admin, _ := s.CreateUser(ctx, store.User{Email: "adm@example.org", Name: "Admin", Department: "Other", Role: store.RoleAdmin, PasswordHash: "h"})
		start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		if err := s.CreateAttempt(ctx, store.Attempt{ID: "a1", UserID: u.ID, QuizID: "basics", Drawn: []string{"q1"}, StartedAt: start}); err != nil {
			t.Fatal(err)
		}
		at := start.Add(10 * time.Minute)
		cert := store.Certificate{Code: "ABCDEFGHJKLM", UserID: u.ID, Module: "trafficking-basics", AttemptID: "a1", Score: 90, PassedAt: at, ValidUntil: at.AddDate(1, 0, 0)}
		sub := store.Attempt{ID: "a1", SubmittedAt: &at, Results: []byte(`[]`), Answers: []byte(`[{"q":"q1","ok":true}]`), Score: 90, Passed: true}
		if _, err := s.SubmitAttempt(ctx, sub, &cert); err != nil {
			t.Fatal(err)
		}
		// A repeat (say, a retried request) issues no second certificate.
		again := cert
		again.Code = "ZZZZZZZZZZZZ"
		if _, err := s.SubmitAttempt(ctx, sub, &again); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CertificateByCode(ctx, "ZZZZZZZZZZZZ"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("repeat submission issued a certificate: %v", err)
		}
		got, err := s.CertificateByCode(ctx, cert.Code)
		if err != nil || got.UserID != u.ID || got.Module != cert.Module || !got.PassedAt.Equal(at) || !got.ValidUntil.Equal(cert.ValidUntil) || got.RevokedAt != nil {
			t.Fatalf("certificate: %+v %v", got, err)
		}
		if byAttempt, err := s.CertificateByAttempt(ctx, "a1"); err != nil || byAttempt.Code != cert.Code {
			t.Errorf("by attempt: %+v %v", byAttempt, err)
		}
		if a, _ := s.Attempt(ctx, "a1"); string(a.Answers) != string(sub.Answers) {
			t.Errorf("answers stored as %q", a.Answers)
		}
		revokedAt := at.Add(24 * time.Hour)
		if err := s.RevokeCertificate(ctx, cert.Code, admin.ID, "issued in error", revokedAt); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeCertificate(ctx, cert.Code, admin.ID, "again", revokedAt); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("second revocation: %v", err)
		}
		if err := s.RevokeCertificate(ctx, "NOSUCHCODE22", admin.ID, "x", revokedAt); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoking a missing code: %v", err)
		}
		s.Close()
		s = storetest.Open(t, dsn)
		list, err := s.CertificatesByUser(ctx, u.ID)
		if err != nil || len(list) != 1 || list[0].RevokedAt == nil || !list[0].RevokedAt.Equal(revokedAt) || list[0].RevokedBy != admin.ID || list[0].RevokeReason != "issued in error" {
			t.Fatalf("after revocation and reopening: %+v %v", list, err)
		}
		if all, err := s.Certificates(ctx); err != nil || len(all) != 1 {
			t.Errorf("all certificates: %d %v", len(all), err)
		}
		// Revoked: no latest certificate. Two later passes: the latest counts.
		if latest, err := s.LatestCertificates(ctx); err != nil || len(latest) != 0 {
			t.Errorf("latest with only a revoked one: %+v %v", latest, err)
		}
		for i, code := range []string{"SECONDPASS22", "THIRDPASS222"} {
			id := "later" + code
			s.CreateAttempt(ctx, store.Attempt{ID: id, UserID: u.ID, QuizID: "basics", Drawn: []string{"q1"}, StartedAt: at})
			passed := at.AddDate(0, 0, 10-5*i) // the second one passed earlier than the first
			c := store.Certificate{Code: code, UserID: u.ID, Module: cert.Module, AttemptID: id, Score: 80, PassedAt: passed, ValidUntil: passed.AddDate(1, 0, 0)}
			if _, err := s.SubmitAttempt(ctx, store.Attempt{ID: id, SubmittedAt: &passed, Results: []byte("[]"), Score: 80, Passed: true}, &c); err != nil {
				t.Fatal(err)
			}
		}
		latest, err := s.LatestCertificates(ctx)
		if err != nil || len(latest) != 1 || latest[0].Code != "SECONDPASS22" || !latest[0].PassedAt.Equal(at.AddDate(0, 0, 10)) || !latest[0].ValidUntil.Equal(at.AddDate(1, 0, 10)) || latest[0].UserID != u.ID {
			t.Errorf("latest: %+v %v", latest, err)
		}
		var graded []string
		err = s.EachGradedAttempt(ctx, store.GradedQuery{QuizID: "basics", Answers: true}, func(a store.Attempt) error { graded = append(graded, a.ID); return nil })
		if err != nil || len(graded) != 3 {
			t.Errorf("graded attempts: %v %v", graded, err)
		}
		if err := s.EachGradedAttempt(ctx, store.GradedQuery{QuizID: "other"}, func(store.Attempt) error { t.Error("attempt of another quiz"); return nil }); err != nil {
			t.Error(err)
		}
		counts, err := s.AttemptCounts(ctx)
		if err != nil || len(counts) != 1 || counts[0] != (store.AttemptCount{UserID: u.ID, QuizID: "basics", Count: 3}) {
			t.Errorf("attempt counts: %+v %v", counts, err)
		}
	})
}

// TestPassingRepeatOfFailedAttempt: a certificate goes with the submission
// that is recorded, so a passing repeat of an attempt first recorded as
// failed issues none.
func TestPassingRepeatOfFailedAttempt(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, s store.Store, _ string) {
		start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		at := start.Add(10 * time.Minute)
		other, _ := s.CreateUser(ctx, store.User{Email: "o@example.org", Name: "O", Department: "Library", Role: store.RoleLearner, PasswordHash: "h"})
		s.CreateAttempt(ctx, store.Attempt{ID: "a-failed", UserID: other.ID, QuizID: "basics", Drawn: []string{"q1"}, StartedAt: start})
		failed := store.Attempt{ID: "a-failed", SubmittedAt: &at, Results: []byte(`[]`), Score: 10}
		if _, err := s.SubmitAttempt(ctx, failed, nil); err != nil {
			t.Fatal(err)
		}
		later := at.Add(time.Minute)
		retry := store.Attempt{ID: "a-failed", SubmittedAt: &later, Results: []byte(`[]`), Score: 100, Passed: true}
		late := store.Certificate{Code: "YYYYYYYYYYYY", UserID: other.ID, Module: "trafficking-basics", AttemptID: "a-failed", Score: 100, PassedAt: later, ValidUntil: later.AddDate(1, 0, 0)}
		rec, err := s.SubmitAttempt(ctx, retry, &late)
		if err != nil || rec.Passed || rec.Score != 10 || !rec.SubmittedAt.Equal(at) {
			t.Errorf("passing repeat of a failed attempt: %+v %v", rec, err)
		}
		if _, err := s.CertificateByAttempt(ctx, "a-failed"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("passing repeat of a failed attempt issued a certificate: %v", err)
		}
	})
}

func TestAssignments(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, s store.Store, _ string) {
		tr, _ := s.CreateUser(ctx, store.User{Email: "t@example.org", Name: "T", Department: "Other", Role: store.RoleTrainer, PasswordHash: "h"})
		u, _ := s.CreateUser(ctx, store.User{Email: "u@example.org", Name: "U", Department: "311", Role: store.RoleLearner, PasswordHash: "h"})
		now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
		dept, err := s.CreateAssignment(ctx, store.Assignment{Module: "basics", Department: "311", DueAt: now.AddDate(0, 1, 0), AssignedBy: tr.ID, CreatedAt: now})
		if err != nil || dept.ID == 0 {
			t.Fatalf("department assignment: %+v %v", dept, err)
		}
		person, err := s.CreateAssignment(ctx, store.Assignment{Module: "signs", UserID: u.ID, DueAt: now.AddDate(0, 0, 14), AssignedBy: tr.ID, CreatedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateAssignment(ctx, store.Assignment{Module: "x", Department: "Fire", UserID: u.ID, DueAt: now, AssignedBy: tr.ID, CreatedAt: now}); err == nil {
			t.Error("an assignment to both a department and a person was accepted")
		}
		s.CreateAssignment(ctx, store.Assignment{Module: "basics", Department: "Fire", DueAt: now, AssignedBy: tr.ID, CreatedAt: now})
		mine, err := s.AssignmentsFor(ctx, u.ID, "311")
		// Ordered by due date: the personal one (14 days) first.
		if err != nil || len(mine) != 2 || mine[0].ID != person.ID || mine[0].UserID != u.ID || mine[1].Department != "311" || !mine[1].DueAt.Equal(now.AddDate(0, 1, 0)) {
			t.Fatalf("assignments for the user: %+v %v", mine, err)
		}
		if err := s.DeleteAssignment(ctx, dept.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteAssignment(ctx, dept.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleting twice: %v", err)
		}
		all, err := s.Assignments(ctx)
		if err != nil || len(all) != 2 {
			t.Errorf("all assignments: %+v %v", all, err)
		}
		users, err := s.Users(ctx)
		if err != nil || len(users) != 2 || users[0].ID != tr.ID {
			t.Errorf("users: %+v %v", users, err)
		}
	})
}
