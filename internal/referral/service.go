package referral

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"slices"
	"time"

	"northstar/internal/store"
)

// Store is what referrals keep in the database.
type Store interface {
	// CreateReferral records r with its services and a "recorded" change,
	// all committed together.
	CreateReferral(ctx context.Context, r Referral) error
	// ReferralsBy lists the referrals userID recorded, newest first.
	ReferralsBy(ctx context.Context, userID int64) ([]Referral, error)
	ReferralChanges(ctx context.Context, id string) ([]Change, error)
	// SetReferralOutcome sets the outcome of a referral by recordedBy,
	// recorded after openSince, and appends the change; ErrNotFound
	// when there is none such.
	SetReferralOutcome(ctx context.Context, id string, recordedBy int64, outcome string, at, openSince time.Time) error
	ReferralFigures(ctx context.Context, fromDay string, trainedAt time.Time) (Figures, error)
	// PurgeReferrals deletes referrals that happened before day, with
	// their services and history, and says how many.
	PurgeReferrals(ctx context.Context, beforeDay string) (int64, error)
}

// Service records referrals and reports on them.
type Service struct {
	Store    Store
	Settings Settings
	// Directory is the services a referral may name.
	Directory []Resource
	// Departments are the configured ones, the report's rows.
	Departments []string
	Now         func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Recorder is who records: the account's id and department.
type Recorder struct {
	ID         int64
	Department string
}

// Record parses and records a referral by a member of staff; a
// *FieldError names the field that breaks a rule.
func (s *Service) Record(ctx context.Context, by Recorder, f Form) (Referral, error) {
	r, err := Parse(f, s.now(), s.Settings, s.Directory)
	if err != nil {
		return r, err
	}
	var id [10]byte
	if _, err := rand.Read(id[:]); err != nil {
		return r, fmt.Errorf("referral id: %w", err)
	}
	r.ID, r.RecordedBy, r.Department = base32.StdEncoding.EncodeToString(id[:]), by.ID, by.Department
	if err := s.Store.CreateReferral(ctx, r); err != nil {
		return r, fmt.Errorf("record referral: %w", err)
	}
	return r, nil
}

// Mine lists the referrals userID recorded, newest first.
func (s *Service) Mine(ctx context.Context, userID int64) ([]Referral, error) {
	list, err := s.Store.ReferralsBy(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("list referrals: %w", err)
	}
	return list, nil
}

// History is a referral's changes, oldest first, for its recorder only.
func (s *Service) History(ctx context.Context, userID int64, id string) ([]Change, error) {
	mine, err := s.Mine(ctx, userID)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(mine, func(r Referral) bool { return r.ID == id }) {
		return nil, ErrNoReferral
	}
	list, err := s.Store.ReferralChanges(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("referral history: %w", err)
	}
	return list, nil
}

// SetOutcome records what became of a referral, by its recorder, within
// FollowUpDays of recording: ErrNoReferral when it is not theirs,
// ErrFollowUpClosed after, a *FieldError for an outcome not listed or a
// field the follow-up form does not have.
func (s *Service) SetOutcome(ctx context.Context, userID int64, id string, f Form) error {
	for field := range f {
		if field != "outcome" {
			return &FieldError{field, "this form has no such field"}
		}
	}
	outcome, err := f.choice("outcome", Outcomes)
	if err != nil {
		return &FieldError{"outcome", "choose one of the listed outcomes"}
	}
	now := s.now()
	err = s.Store.SetReferralOutcome(ctx, id, userID, outcome, now, now.Add(-FollowUpDays*24*time.Hour))
	if !errors.Is(err, store.ErrNotFound) {
		if err != nil {
			return fmt.Errorf("set referral outcome: %w", err)
		}
		return nil
	}
	// Not theirs, or too late: tell which only to its recorder.
	mine, lerr := s.Mine(ctx, userID)
	if lerr != nil {
		return lerr
	}
	if slices.ContainsFunc(mine, func(r Referral) bool { return r.ID == id }) {
		return ErrFollowUpClosed
	}
	return ErrNoReferral
}

// Report is the report of the ReportMonths up to now.
func (s *Service) Report(ctx context.Context) (Report, error) {
	now := s.now()
	months := Months(now)
	f, err := s.Store.ReferralFigures(ctx, months[0]+"-01", now)
	if err != nil {
		return Report{}, fmt.Errorf("referral figures: %w", err)
	}
	return Build(f, months, s.Departments, s.Directory, s.Settings), nil
}

// Purge deletes the referrals older than the retention period and says
// how many.
func (s *Service) Purge(ctx context.Context) (int64, error) {
	n, err := s.Store.PurgeReferrals(ctx, PurgeBefore(s.now(), s.Settings))
	if err != nil {
		return n, fmt.Errorf("purge referrals: %w", err)
	}
	return n, nil
}

// Clock is the service's now.
func (s *Service) Clock() time.Time { return s.now() }
