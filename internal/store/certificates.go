package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Certificate is the proof that a user passed a module. Code is its
// unguessable public verification code.
type Certificate struct {
	Code       string
	UserID     int64
	Module     string // module slug
	AttemptID  string
	Score      int
	PassedAt   time.Time
	ValidUntil time.Time
	// Revocation, by an admin, with who and why.
	RevokedAt    *time.Time
	RevokedBy    int64
	RevokeReason string
}

// Certificates are issued with the attempt that earned them (SubmitAttempt).
type Certificates interface {
	CertificateByCode(ctx context.Context, code string) (Certificate, error)
	CertificateByAttempt(ctx context.Context, attemptID string) (Certificate, error)
	// CertificatesByUser and Certificates list certificates in no
	// particular order, revoked ones included.
	CertificatesByUser(ctx context.Context, userID int64) ([]Certificate, error)
	Certificates(ctx context.Context) ([]Certificate, error)
	// LatestCertificates gives, per person and module, the latest
	// certificate not revoked (code, holder, module and dates only): what
	// the reports need of 100,000s of certificates.
	LatestCertificates(ctx context.Context) ([]Certificate, error)
	// RevokeCertificate revokes a certificate not yet revoked; ErrNotFound
	// when there is none such.
	RevokeCertificate(ctx context.Context, code string, by int64, reason string, at time.Time) error
}

const certificateColumns = `code, user_id, module, attempt_id, score, passed_at, valid_until, revoked_at, revoked_by, revoke_reason`

func scanCertificate(row interface{ Scan(...any) error }) (Certificate, error) {
	var c Certificate
	var revokedAt sql.NullTime
	var revokedBy sql.NullInt64
	var reason sql.NullString
	err := row.Scan(&c.Code, &c.UserID, &c.Module, &c.AttemptID, &c.Score, &c.PassedAt, &c.ValidUntil, &revokedAt, &revokedBy, &reason)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	if err == nil {
		err = storable(c.PassedAt, c.ValidUntil)
	}
	if revokedAt.Valid {
		t := revokedAt.Time
		c.RevokedAt = &t
		c.RevokedBy = revokedBy.Int64
		c.RevokeReason = reason.String
	}
	return c, err
}

func (s *sqlStore) certificates(ctx context.Context, what, where string, args ...any) ([]Certificate, error) {
	// No ORDER BY: sorting every certificate would spill to disk for the
	// reports; callers sort what they show.
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+certificateColumns+` FROM certificates `+where), args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return collect(s, rows, what, scanCertificate)
}

func (s *sqlStore) CertificateByCode(ctx context.Context, code string) (Certificate, error) {
	c, err := scanCertificate(s.db.QueryRowContext(ctx, s.q(`SELECT `+certificateColumns+` FROM certificates WHERE code = ?`), code))
	if err != nil {
		return c, fmt.Errorf("certificate: %w", err)
	}
	return c, nil
}

func (s *sqlStore) CertificateByAttempt(ctx context.Context, attemptID string) (Certificate, error) {
	c, err := scanCertificate(s.db.QueryRowContext(ctx, s.q(`SELECT `+certificateColumns+` FROM certificates WHERE attempt_id = ?`), attemptID))
	if err != nil {
		return c, fmt.Errorf("certificate of attempt %q: %w", attemptID, err)
	}
	return c, nil
}

func (s *sqlStore) CertificatesByUser(ctx context.Context, userID int64) ([]Certificate, error) {
	return s.certificates(ctx, fmt.Sprintf("certificates of user %d", userID), `WHERE user_id = ?`, userID)
}

func (s *sqlStore) Certificates(ctx context.Context) ([]Certificate, error) {
	return s.certificates(ctx, "list certificates", ``)
}

func (s *sqlStore) LatestCertificates(ctx context.Context) ([]Certificate, error) {
	// The row with the latest pass per person and module: SQLite takes bare
	// columns from the row MAX() picks; PostgreSQL has DISTINCT ON.
	query := `SELECT code, user_id, module, passed_at, valid_until, MAX(passed_at)
		FROM certificates WHERE revoked_at IS NULL GROUP BY user_id, module`
	if s.eng.distinctOn {
		query = `SELECT DISTINCT ON (user_id, module) code, user_id, module, passed_at, valid_until, passed_at
			FROM certificates WHERE revoked_at IS NULL ORDER BY user_id, module, passed_at DESC`
	}
	rows, err := s.db.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("latest certificates: %w", err)
	}
	return collect(s, rows, "latest certificates", func(row interface{ Scan(...any) error }) (Certificate, error) {
		var c Certificate
		var ignored any
		err := row.Scan(&c.Code, &c.UserID, &c.Module, &c.PassedAt, &c.ValidUntil, &ignored)
		return c, err
	})
}

func (s *sqlStore) RevokeCertificate(ctx context.Context, code string, by int64, reason string, at time.Time) error {
	return s.execOne(ctx, "revoke certificate", `UPDATE certificates SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE code = ? AND revoked_at IS NULL`,
		at.UTC(), by, reason, code)
}
