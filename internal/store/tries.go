package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Tries count sign-in attempts against limits. They are counted in the
// database so that every instance sharing it shares the limit, and a
// restart does not forget. A window is a fixed span starting with the
// first try after the previous window ended.
type Tries interface {
	// TakeTry counts a try by subject (a hash: see auth.Limit) in its
	// current window, when it has had fewer than max there, and reports
	// whether it did; a window of length window starts with the first try
	// after the last one ended. Instances sharing the database share the
	// count. Not taken, it also says when the window ends.
	TakeTry(ctx context.Context, subject string, max int, window time.Duration, now time.Time) (bool, time.Time, error)
	// ReturnTry gives back one try taken, ForgetTries all of them.
	ReturnTry(ctx context.Context, subject string) error
	ForgetTries(ctx context.Context, subject string) error
	// SweepTries deletes windows that ended before now.
	SweepTries(ctx context.Context, now time.Time) error
}

func (s *sqlStore) TakeTry(ctx context.Context, subject string, max int, window time.Duration, now time.Time) (bool, time.Time, error) {
	nowMS, endsMS := now.UnixMilli(), now.Add(window).UnixMilli()
	// One statement, so two instances cannot both take the last try: the
	// row is inserted, or updated only while under max (or when its window
	// has ended, starting a new one); otherwise nothing is returned.
	var tries int
	err := s.db.QueryRowContext(ctx, s.q(`INSERT INTO sign_in_tries (subject_hash, tries, window_ends) VALUES (?, 1, ?)
		ON CONFLICT (subject_hash) DO UPDATE SET
			tries = CASE WHEN sign_in_tries.window_ends <= ? THEN 1 ELSE sign_in_tries.tries + 1 END,
			window_ends = CASE WHEN sign_in_tries.window_ends <= ? THEN ? ELSE sign_in_tries.window_ends END
		WHERE sign_in_tries.window_ends <= ? OR sign_in_tries.tries < ?
		RETURNING tries`), subject, endsMS, nowMS, nowMS, endsMS, nowMS, max).Scan(&tries)
	if err == nil {
		return true, time.Time{}, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, time.Time{}, fmt.Errorf("take try: %w", err)
	}
	var ends int64
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT window_ends FROM sign_in_tries WHERE subject_hash = ?`), subject).Scan(&ends); err != nil {
		return false, time.Time{}, fmt.Errorf("take try: window: %w", err)
	}
	return false, time.UnixMilli(ends).UTC(), nil
}

func (s *sqlStore) ReturnTry(ctx context.Context, subject string) error {
	if _, err := s.db.ExecContext(ctx, s.q(`UPDATE sign_in_tries SET tries = tries - 1 WHERE subject_hash = ? AND tries > 0`), subject); err != nil {
		return fmt.Errorf("return try: %w", err)
	}
	return nil
}

func (s *sqlStore) ForgetTries(ctx context.Context, subject string) error {
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM sign_in_tries WHERE subject_hash = ?`), subject); err != nil {
		return fmt.Errorf("forget tries: %w", err)
	}
	return nil
}

func (s *sqlStore) SweepTries(ctx context.Context, now time.Time) error {
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM sign_in_tries WHERE window_ends <= ?`), now.UnixMilli()); err != nil {
		return fmt.Errorf("sweep tries: %w", err)
	}
	return nil
}
