package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Assignment asks a department (Department set, UserID 0) or one person
// (UserID set, Department empty) to complete a module by DueAt.
type Assignment struct {
	ID         int64
	Module     string
	Department string
	UserID     int64
	DueAt      time.Time
	AssignedBy int64
	CreatedAt  time.Time
}

// Assignments ask departments or people to complete modules.
type Assignments interface {
	CreateAssignment(ctx context.Context, a Assignment) (Assignment, error)
	DeleteAssignment(ctx context.Context, id int64) error
	Assignments(ctx context.Context) ([]Assignment, error)
	// AssignmentsFor lists the assignments to userID or to department.
	AssignmentsFor(ctx context.Context, userID int64, department string) ([]Assignment, error)
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
