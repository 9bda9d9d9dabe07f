package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// UserChange is one line of an account's history: who changed what, when.
type UserChange struct {
	UserID int64
	At     time.Time
	// By is the account that made the change; 0 is the command line.
	By int64
	// ByName is By's name as it is now (read, not stored).
	ByName string
	// What changed: created, role, department, disabled or enabled; Value
	// what it became.
	What, Value string
}

// UserUpdate changes an account; nil fields stay as they are.
type UserUpdate struct {
	Role, Department *string
	Disabled         *bool
}

// UserFilter selects accounts for the admin's list; empty fields select
// all. Query is part of a name or an email.
type UserFilter struct {
	Department, Role string
	// Disabled: nil for both, else only disabled or only active accounts.
	Disabled      *bool
	Query         string
	Offset, Limit int
}

func changedBy(by int64) any {
	if by == 0 {
		return nil
	}
	return by
}

// CreateUserLogged creates u and its "created" history line (by whom;
// value says how: "added", "imported") in one transaction.
func (s *sqlStore) CreateUserLogged(ctx context.Context, u User, by int64, how string) (User, error) {
	u.Email = normEmail(u.Email)
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC()
	}
	_, err := s.grouped(ctx,
		statement{`INSERT INTO users (email, name, department, role, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			[]any{u.Email, u.Name, u.Department, u.Role, u.PasswordHash, u.Disabled, u.CreatedAt}},
		statement{`INSERT INTO user_changes (user_id, changed_at, changed_by, what, value) SELECT id, ?, ?, 'created', ? FROM users WHERE email = ?`,
			[]any{u.CreatedAt, changedBy(by), how, u.Email}})
	if isDuplicate(err) {
		return User{}, fmt.Errorf("create user %q: %w", u.Email, ErrDuplicate)
	}
	if err != nil {
		return User{}, fmt.Errorf("create user %q: %w", u.Email, err)
	}
	return s.UserByEmail(ctx, u.Email)
}

// UpdateUser applies upd to account id with its history lines, in one
// transaction; disabling an account also ends its sessions.
func (s *sqlStore) UpdateUser(ctx context.Context, id int64, upd UserUpdate, changes []UserChange) error {
	var sets []string
	var args []any
	if upd.Role != nil {
		sets, args = append(sets, "role = ?"), append(args, *upd.Role)
	}
	if upd.Department != nil {
		sets, args = append(sets, "department = ?"), append(args, *upd.Department)
	}
	if upd.Disabled != nil {
		sets, args = append(sets, "disabled = ?"), append(args, *upd.Disabled)
	}
	if len(sets) == 0 {
		return nil
	}
	stmts := []statement{{`UPDATE users SET ` + strings.Join(sets, ", ") + ` WHERE id = ?`, append(args, id)}}
	if upd.Disabled != nil && *upd.Disabled {
		stmts = append(stmts, statement{`DELETE FROM sessions WHERE user_id = ?`, []any{id}})
	}
	for _, c := range changes {
		stmts = append(stmts, statement{`INSERT INTO user_changes (user_id, changed_at, changed_by, what, value) VALUES (?, ?, ?, ?, ?)`,
			[]any{id, c.At.UTC(), changedBy(c.By), c.What, c.Value}})
	}
	affected, err := s.grouped(ctx, stmts...)
	if err != nil {
		return fmt.Errorf("update user %d: %w", id, err)
	}
	if affected[0] == 0 {
		return fmt.Errorf("update user %d: %w", id, ErrNotFound)
	}
	return nil
}

// UserChanges is account id's history, oldest first.
func (s *sqlStore) UserChanges(ctx context.Context, id int64) ([]UserChange, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT c.user_id, c.changed_at, COALESCE(c.changed_by, 0), COALESCE(u.name, ''), c.what, c.value
		FROM user_changes c LEFT JOIN users u ON u.id = c.changed_by WHERE c.user_id = ? ORDER BY c.id`), id)
	if err != nil {
		return nil, fmt.Errorf("user %d history: %w", id, err)
	}
	return collect(s, rows, "user history", func(row interface{ Scan(...any) error }) (UserChange, error) {
		var c UserChange
		err := row.Scan(&c.UserID, &c.At, &c.By, &c.ByName, &c.What, &c.Value)
		return c, err
	})
}

// FindUsers returns one page of the accounts f selects, by name, and how
// many it selects in all.
func (s *sqlStore) FindUsers(ctx context.Context, f UserFilter) ([]User, int, error) {
	var where []string
	var args []any
	if f.Department != "" {
		where, args = append(where, "department = ?"), append(args, f.Department)
	}
	if f.Role != "" {
		where, args = append(where, "role = ?"), append(args, f.Role)
	}
	if f.Disabled != nil {
		where, args = append(where, "disabled = ?"), append(args, *f.Disabled)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + likeEscaper.Replace(strings.ToLower(q)) + "%"
		where, args = append(where, `(LOWER(name) LIKE ? ESCAPE '\' OR email LIKE ? ESCAPE '\')`), append(args, like, like)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM users`+cond), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+userColumns+` FROM users`+cond+` ORDER BY LOWER(name), id LIMIT ? OFFSET ?`),
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("find users: %w", err)
	}
	users, err := collect(s, rows, "find users", scanUser)
	return users, total, err
}

// likeEscaper makes a search's % and _ mean themselves in a LIKE pattern.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
