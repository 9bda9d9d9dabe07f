package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Session is a signed-in browser. Only the hash of its token is stored.
type Session struct {
	TokenHash  string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// Sessions are signed-in browsers.
type Sessions interface {
	CreateSession(ctx context.Context, s Session) error
	// SessionUser returns a live session and its enabled user, or ErrNotFound.
	SessionUser(ctx context.Context, tokenHash string, now time.Time) (Session, User, error)
	TouchSession(ctx context.Context, tokenHash string, seen time.Time) error
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteUserSessions(ctx context.Context, userID int64) error
}

func (s *sqlStore) CreateSession(ctx context.Context, se Session) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)`),
		se.TokenHash, se.UserID, se.CreatedAt.UTC(), se.LastSeenAt.UTC(), se.ExpiresAt.UTC())
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

func (s *sqlStore) SessionUser(ctx context.Context, tokenHash string, now time.Time) (Session, User, error) {
	var se Session
	var u User
	err := s.queryRowPrepared(ctx, `SELECT s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at,
		u.id, u.email, u.name, u.department, u.role, u.password_hash, u.disabled, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = ?`, []any{tokenHash, now.UTC(), false},
		func(row *sql.Row) error {
			return row.Scan(&se.TokenHash, &se.UserID, &se.CreatedAt, &se.LastSeenAt, &se.ExpiresAt,
				&u.ID, &u.Email, &u.Name, &u.Department, &u.Role, &u.PasswordHash, &u.Disabled, &u.CreatedAt)
		})
	if errors.Is(err, sql.ErrNoRows) {
		return se, u, fmt.Errorf("session: %w", ErrNotFound)
	}
	if err != nil {
		return se, u, fmt.Errorf("session: %w", err)
	}
	return se, u, nil
}

func (s *sqlStore) TouchSession(ctx context.Context, tokenHash string, seen time.Time) error {
	return s.execOne(ctx, "touch session", `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`, seen.UTC(), tokenHash)
}

func (s *sqlStore) DeleteSession(ctx context.Context, tokenHash string) error {
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE token_hash = ?`), tokenHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

func (s *sqlStore) DeleteUserSessions(ctx context.Context, userID int64) error {
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE user_id = ?`), userID); err != nil {
		return fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return nil
}
