package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SentReminder is a reminder an SMTP server accepted: to whom, of which
// kind, about which occasion (see internal/reminder), and when.
type SentReminder struct {
	UserID int64
	Kind   string
	About  string
	SentAt time.Time
}

// Reminders are what reminders by email keep: who turned them off, what
// was sent, and which run is sending.
type Reminders interface {
	// RemindersWanted reports whether userID wants reminders by email:
	// yes unless they said no.
	RemindersWanted(ctx context.Context, userID int64) (bool, error)
	SetRemindersWanted(ctx context.Context, userID int64, wanted bool, at time.Time) error
	// RemindersRefused lists the users who said no.
	RemindersRefused(ctx context.Context) ([]int64, error)
	// ReminderSent reports whether a reminder of kind about about was sent
	// to userID; RecordReminderSent records one (again is no error).
	ReminderSent(ctx context.Context, userID int64, kind, about string) (bool, error)
	RecordReminderSent(ctx context.Context, r SentReminder) error
	// TakeReminderLease makes holder the one run that sends reminders
	// until until, when no other holds the lease at now (or holder holds
	// it already: it is extended), and reports whether it did.
	TakeReminderLease(ctx context.Context, holder string, now, until time.Time) (bool, error)
	// ReleaseReminderLease ends holder's lease, if it still has it.
	ReleaseReminderLease(ctx context.Context, holder string) error
}

func (s *sqlStore) RemindersWanted(ctx context.Context, userID int64) (bool, error) {
	var wanted bool
	err := s.db.QueryRowContext(ctx, s.q(`SELECT email FROM reminder_preferences WHERE user_id = ?`), userID).Scan(&wanted)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("reminder preference of user %d: %w", userID, err)
	}
	return wanted, nil
}

func (s *sqlStore) SetRemindersWanted(ctx context.Context, userID int64, wanted bool, at time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO reminder_preferences (user_id, email, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, updated_at = excluded.updated_at`), userID, wanted, at.UTC())
	if err != nil {
		return fmt.Errorf("set reminder preference of user %d: %w", userID, err)
	}
	return nil
}

func (s *sqlStore) RemindersRefused(ctx context.Context) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT user_id FROM reminder_preferences WHERE email = ? ORDER BY user_id`), false)
	if err != nil {
		return nil, fmt.Errorf("list reminder refusals: %w", err)
	}
	return collect(s, rows, "list reminder refusals", func(row interface{ Scan(...any) error }) (int64, error) {
		var id int64
		err := row.Scan(&id)
		return id, err
	})
}

func (s *sqlStore) ReminderSent(ctx context.Context, userID int64, kind, about string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM reminders_sent WHERE user_id = ? AND kind = ? AND about = ?`), userID, kind, about).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("reminder sent to user %d: %w", userID, err)
	}
	return n > 0, nil
}

func (s *sqlStore) RecordReminderSent(ctx context.Context, r SentReminder) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO reminders_sent (user_id, kind, about, sent_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, kind, about) DO NOTHING`), r.UserID, r.Kind, r.About, r.SentAt.UTC())
	if err != nil {
		return fmt.Errorf("record reminder sent to user %d: %w", r.UserID, err)
	}
	return nil
}

// reminderLease names the lease's one row.
const reminderLease = "reminders"

func (s *sqlStore) TakeReminderLease(ctx context.Context, holder string, now, until time.Time) (bool, error) {
	// One statement, so that two runs cannot both take it: the row is
	// inserted, or updated only when it expired or is the holder's own.
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO reminder_lease (name, holder, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE reminder_lease.holder = excluded.holder OR reminder_lease.expires_at <= ?`),
		reminderLease, holder, until.UnixMilli(), now.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("take reminder lease: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("take reminder lease: %w", err)
	}
	return n > 0, nil
}

func (s *sqlStore) ReleaseReminderLease(ctx context.Context, holder string) error {
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM reminder_lease WHERE name = ? AND holder = ?`), reminderLease, holder); err != nil {
		return fmt.Errorf("release reminder lease: %w", err)
	}
	return nil
}
