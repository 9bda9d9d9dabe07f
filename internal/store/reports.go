package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// This file holds what certificates, assignments and reports need.

func (s *sqlStore) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return collect(s, rows, "list users", scanUser)
}

func (s *sqlStore) AttemptCounts(ctx context.Context) ([]AttemptCount, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT user_id, quiz_id, COUNT(*) FROM attempts GROUP BY user_id, quiz_id`)
	if err != nil {
		return nil, fmt.Errorf("count attempts: %w", err)
	}
	defer rows.Close()
	var out []AttemptCount
	for rows.Next() {
		var c AttemptCount
		if err := rows.Scan(&c.UserID, &c.QuizID, &c.Count); err != nil {
			return nil, fmt.Errorf("count attempts: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *sqlStore) EachGradedAttempt(ctx context.Context, q GradedQuery, fn func(Attempt) error) error {
	// Reports read many attempts: leave out the drawn questions, and the
	// answers unless asked. No ORDER BY: sorting 100,000s of rows spills
	// to disk, and no caller needs an order.
	// (modernc's SQLite pays for every column of every row, NULL or not.)
	query := `SELECT id, user_id, quiz_id, submitted_at, score, passed`
	if q.Answers {
		query += `, answers, CASE WHEN answers IS NULL THEN results END`
	}
	query += ` FROM attempts WHERE submitted_at IS NOT NULL`
	var args []any
	if q.QuizID != "" {
		query += ` AND quiz_id = ?`
		args = append(args, q.QuizID)
	}
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return fmt.Errorf("graded attempts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a Attempt
		var submitted time.Time
		var answers, results sql.NullString
		dest := []any{&a.ID, &a.UserID, &a.QuizID, &submitted, &a.Score, &a.Passed}
		if q.Answers {
			dest = append(dest, &answers, &results)
		}
		if err := rows.Scan(dest...); err != nil {
			s.log.Error("skip a row that cannot be read", "what", "graded attempts", "err", err)
			continue
		}
		a.SubmittedAt = &submitted
		if answers.Valid {
			a.Answers = []byte(answers.String)
		}
		if results.Valid {
			a.Results = []byte(results.String)
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return rows.Err()
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
	if s.eng.dollar {
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

const assignmentColumns = `id, module, department, user_id, due_at, assigned_by, created_at`

func scanAssignment(row interface{ Scan(...any) error }) (Assignment, error) {
	var a Assignment
	var dept sql.NullString
	var user sql.NullInt64
	err := row.Scan(&a.ID, &a.Module, &dept, &user, &a.DueAt, &a.AssignedBy, &a.CreatedAt)
	a.Department, a.UserID = dept.String, user.Int64
	if err == nil {
		// PostgreSQL keeps years past 9999, which Go cannot write as JSON.
		err = storable(a.DueAt, a.CreatedAt)
	}
	return a, err
}

func (s *sqlStore) CreateAssignment(ctx context.Context, a Assignment) (Assignment, error) {
	if (a.Department == "") == (a.UserID == 0) {
		return a, fmt.Errorf("create assignment: name a department or a person, not both")
	}
	if err := storable(a.DueAt, a.CreatedAt); err != nil {
		return a, fmt.Errorf("create assignment: %w", err)
	}
	dept := sql.NullString{String: a.Department, Valid: a.Department != ""}
	user := sql.NullInt64{Int64: a.UserID, Valid: a.UserID != 0}
	err := s.db.QueryRowContext(ctx, s.q(`INSERT INTO assignments (module, department, user_id, due_at, assigned_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
		a.Module, dept, user, a.DueAt.UTC(), a.AssignedBy, a.CreatedAt.UTC()).Scan(&a.ID)
	if err != nil {
		return a, fmt.Errorf("create assignment: %w", err)
	}
	return a, nil
}

func (s *sqlStore) DeleteAssignment(ctx context.Context, id int64) error {
	return s.execOne(ctx, "delete assignment", `DELETE FROM assignments WHERE id = ?`, id)
}

func (s *sqlStore) assignments(ctx context.Context, where string, args ...any) ([]Assignment, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+assignmentColumns+` FROM assignments `+where+` ORDER BY due_at, id`), args...)
	if err != nil {
		return nil, fmt.Errorf("list assignments: %w", err)
	}
	return collect(s, rows, "list assignments", scanAssignment)
}

func (s *sqlStore) Assignments(ctx context.Context) ([]Assignment, error) {
	return s.assignments(ctx, ``)
}

func (s *sqlStore) AssignmentsFor(ctx context.Context, userID int64, department string) ([]Assignment, error) {
	return s.assignments(ctx, `WHERE user_id = ? OR department = ?`, userID, department)
}
