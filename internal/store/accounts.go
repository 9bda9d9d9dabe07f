package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Roles a user can have.
const (
	RoleLearner = "learner"
	RoleTrainer = "trainer"
	RoleAdmin   = "admin"
	// RoleAnalyst reads referral reports, nothing personal.
	RoleAnalyst = "analyst"
)

// User is a staff account. PasswordHash is an argon2id hash, never a password.
type User struct {
	ID           int64
	Email        string
	Name         string
	Department   string
	Role         string
	PasswordHash string
	Disabled     bool
	CreatedAt    time.Time
}

// Accounts are staff accounts.
type Accounts interface {
	CreateUser(ctx context.Context, u User) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	UserByID(ctx context.Context, id int64) (User, error)
	SetRole(ctx context.Context, email, role string) error
	// SetRoleAndDepartment sets both at once (a sign-in through the City's
	// identity provider brings both).
	SetRoleAndDepartment(ctx context.Context, userID int64, role, department string) error
	SetDisabled(ctx context.Context, email string, disabled bool) error
	SetPasswordHash(ctx context.Context, userID int64, hash string) error
	CountAdmins(ctx context.Context) (int, error)
	Users(ctx context.Context) ([]User, error)
	// The admin's changes, each with its line of the account's history
	// (user_changes.go).
	CreateUserLogged(ctx context.Context, u User, by int64, how string) (User, error)
	UpdateUser(ctx context.Context, id int64, upd UserUpdate, changes []UserChange) error
	UserChanges(ctx context.Context, id int64) ([]UserChange, error)
	FindUsers(ctx context.Context, f UserFilter) ([]User, int, error)
	// FirstNonceUse keeps the City sign-in's used nonces (nonces.go).
	FirstNonceUse(ctx context.Context, nonce string, now time.Time) (bool, error)
}

const userColumns = `id, email, name, department, role, password_hash, disabled, created_at`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Department, &u.Role, &u.PasswordHash, &u.Disabled, &u.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	return u, err
}

func normEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

func (s *sqlStore) CreateUser(ctx context.Context, u User) (User, error) {
	u.Email = normEmail(u.Email)
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC()
	}
	err := s.db.QueryRowContext(ctx, s.q(`INSERT INTO users (email, name, department, role, password_hash, disabled, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		u.Email, u.Name, u.Department, u.Role, u.PasswordHash, u.Disabled, u.CreatedAt).Scan(&u.ID)
	if isDuplicate(err) {
		return User{}, fmt.Errorf("create user %q: %w", u.Email, ErrDuplicate)
	}
	if err != nil {
		return User{}, fmt.Errorf("create user %q: %w", u.Email, err)
	}
	return u, nil
}

func (s *sqlStore) UserByEmail(ctx context.Context, email string) (User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, s.q(`SELECT `+userColumns+` FROM users WHERE email = ?`), normEmail(email)))
	if err != nil {
		return u, fmt.Errorf("user by email: %w", err)
	}
	return u, nil
}

func (s *sqlStore) UserByID(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, s.q(`SELECT `+userColumns+` FROM users WHERE id = ?`), id))
	if err != nil {
		return u, fmt.Errorf("user %d: %w", id, err)
	}
	return u, nil
}

func (s *sqlStore) SetRole(ctx context.Context, email, role string) error {
	return s.execOne(ctx, "set role", `UPDATE users SET role = ? WHERE email = ?`, role, normEmail(email))
}

func (s *sqlStore) SetRoleAndDepartment(ctx context.Context, userID int64, role, department string) error {
	return s.execOne(ctx, "set role and department", `UPDATE users SET role = ?, department = ? WHERE id = ?`, role, department, userID)
}

func (s *sqlStore) SetDisabled(ctx context.Context, email string, disabled bool) error {
	return s.execOne(ctx, "disable user", `UPDATE users SET disabled = ? WHERE email = ?`, disabled, normEmail(email))
}

func (s *sqlStore) SetPasswordHash(ctx context.Context, userID int64, hash string) error {
	return s.execOne(ctx, "set password", `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID)
}

func (s *sqlStore) CountAdmins(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM users WHERE role = ? AND disabled = ?`), RoleAdmin, false).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count admins: %w", err)
	}
	return n, nil
}

func (s *sqlStore) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return collect(s, rows, "list users", scanUser)
}
