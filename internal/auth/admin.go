package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"northstar/internal/store"
)

// Admin makes the changes an admin makes to staff accounts, from
// /admin/users/ or the command line, under one set of rules; each change
// is written with its line in the account's history (who, when, what).
type Admin struct {
	Store AdminStore
	// Departments are config.toml's; an account must be in one.
	Departments []string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// AdminStore is what Admin needs of the database.
type AdminStore interface {
	UserByID(ctx context.Context, id int64) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	CountAdmins(ctx context.Context) (int, error)
	CreateUserLogged(ctx context.Context, u User, by int64, how string) (User, error)
	UpdateUser(ctx context.Context, id int64, upd store.UserUpdate, changes []store.UserChange) error
	UserChanges(ctx context.Context, id int64) ([]store.UserChange, error)
	FindUsers(ctx context.Context, f store.UserFilter) ([]User, int, error)
}

// UserChange is one line of an account's history; UserFilter selects
// accounts for the admin's list (as the store keeps them).
type (
	UserChange = store.UserChange
	UserFilter = store.UserFilter
)

// CommandLine is the actor of a change made with northstar users: no
// account, and every rule but the ones about one's own account.
var CommandLine = User{}

// Why a change is refused.
var (
	ErrLastAdmin  = errors.New("this is the only active admin: make another account admin first")
	ErrOwnAccount = errors.New("you cannot disable your own account or give up your own admin role: ask another admin")
	ErrHasAccount = errors.New("this email already has an account")
)

func (a *Admin) now() time.Time {
	if a.Now != nil {
		return a.Now().UTC()
	}
	return time.Now().UTC()
}

// Added is an account just made, and its temporary password when it was
// given none (shown once, to whoever made it).
type Added struct {
	User              User
	TemporaryPassword string
}

// Add makes one account (how: "added" or "imported") after CheckAccount
// and, when one is given, CheckNewPassword.
func (a *Admin) Add(ctx context.Context, by User, acc Account, how string) (Added, error) {
	if err := CheckAccount(acc, a.Departments); err != nil {
		return Added{}, err
	}
	pw, temporary := acc.Password, ""
	if pw == "" {
		pw = TemporaryPassword()
		temporary = pw
	} else if err := CheckNewPassword(pw); err != nil {
		return Added{}, err
	}
	hash, err := HashPassword(pw)
	if err != nil {
		return Added{}, err
	}
	u, err := a.Store.CreateUserLogged(ctx, User{Email: acc.Email, Name: acc.Name, Department: acc.Department, Role: acc.Role,
		PasswordHash: hash, CreatedAt: a.now()}, by.ID, how)
	if errors.Is(err, store.ErrDuplicate) {
		return Added{}, ErrHasAccount
	}
	if err != nil {
		return Added{}, err
	}
	return Added{User: u, TemporaryPassword: temporary}, nil
}

// Change sets account id's role and department.
func (a *Admin) Change(ctx context.Context, by User, id int64, role, department string) (User, error) {
	u, err := a.account(ctx, id)
	if err != nil {
		return User{}, err
	}
	if !ValidRole(role) {
		return User{}, roleError(role)
	}
	if department != u.Department && !slices.Contains(a.Departments, department) {
		return User{}, &UnknownDepartmentError{Department: department, Known: a.Departments}
	}
	var upd store.UserUpdate
	var changes []store.UserChange
	at := a.now()
	if role != u.Role {
		if u.Role == RoleAdmin {
			if err := a.keepAnAdmin(ctx, by, u); err != nil {
				return User{}, err
			}
		}
		upd.Role = &role
		changes = append(changes, store.UserChange{At: at, By: by.ID, What: "role", Value: u.Role + " → " + role})
	}
	if department != u.Department {
		upd.Department = &department
		changes = append(changes, store.UserChange{At: at, By: by.ID, What: "department", Value: u.Department + " → " + department})
	}
	if len(changes) == 0 {
		return u, nil
	}
	if err := a.Store.UpdateUser(ctx, id, upd, changes); err != nil {
		return User{}, err
	}
	u.Role, u.Department = role, department
	return u, nil
}

// SetDisabled disables account id (its sessions end) or enables it again.
func (a *Admin) SetDisabled(ctx context.Context, by User, id int64, disabled bool) (User, error) {
	u, err := a.account(ctx, id)
	if err != nil {
		return User{}, err
	}
	if u.Disabled == disabled {
		return u, nil
	}
	what := "enabled"
	if disabled {
		what = "disabled"
		if by.ID == u.ID {
			return User{}, ErrOwnAccount
		}
		if u.Role == RoleAdmin {
			if err := a.keepAnAdmin(ctx, by, u); err != nil {
				return User{}, err
			}
		}
	}
	if err := a.Store.UpdateUser(ctx, id, store.UserUpdate{Disabled: &disabled},
		[]store.UserChange{{At: a.now(), By: by.ID, What: what, Value: ""}}); err != nil {
		return User{}, err
	}
	u.Disabled = disabled
	return u, nil
}

// keepAnAdmin refuses to take admin u away (by role or by disabling) when
// u is by's own account or the last active admin.
func (a *Admin) keepAnAdmin(ctx context.Context, by, u User) error {
	if by.ID != 0 && by.ID == u.ID {
		return ErrOwnAccount
	}
	if u.Disabled {
		return nil
	}
	n, err := a.Store.CountAdmins(ctx)
	if err != nil {
		return err
	}
	if n <= 1 {
		return ErrLastAdmin
	}
	return nil
}

func (a *Admin) account(ctx context.Context, id int64) (User, error) {
	u, err := a.Store.UserByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return User{}, ErrNoAccount
	}
	return u, err
}

// AccountByEmail is the account with email, for the command line.
func (a *Admin) AccountByEmail(ctx context.Context, email string) (User, error) {
	u, err := a.Store.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return User{}, ErrNoAccount
	}
	return u, err
}

// History is account id's changes, oldest first.
func (a *Admin) History(ctx context.Context, id int64) (User, []store.UserChange, error) {
	u, err := a.account(ctx, id)
	if err != nil {
		return User{}, nil, err
	}
	changes, err := a.Store.UserChanges(ctx, id)
	return u, changes, err
}

// Find lists one page of accounts.
func (a *Admin) Find(ctx context.Context, f store.UserFilter) ([]User, int, error) {
	return a.Store.FindUsers(ctx, f)
}

// PreviewImport checks an import file uploaded by an admin (no passwords
// in it) line by line, and marks the emails that have an account already.
// Nothing is written.
func (a *Admin) PreviewImport(ctx context.Context, r io.Reader) ([]ImportRow, error) {
	rows, err := CheckImport(r, a.Departments, false)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		if rows[i].Problem != "" {
			continue
		}
		_, err := a.Store.UserByEmail(ctx, rows[i].Account.Email)
		switch {
		case err == nil:
			rows[i].Exists = true
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
	}
	return rows, nil
}

// ErrImportProblems: a file with a problem on any line adds nobody.
var ErrImportProblems = errors.New("the file has lines that cannot be added: correct them and upload it again")

// Import adds the accounts of a previewed file when no line has a
// problem, skipping those that exist (by then or since the preview).
func (a *Admin) Import(ctx context.Context, by User, rows []ImportRow) ([]Added, error) {
	if slices.ContainsFunc(rows, func(r ImportRow) bool { return r.Problem != "" }) {
		return nil, ErrImportProblems
	}
	var out []Added
	for _, row := range rows {
		if row.Exists {
			continue
		}
		added, err := a.Add(ctx, by, row.Account, "imported")
		if errors.Is(err, ErrHasAccount) {
			continue
		}
		if err != nil {
			return out, fmt.Errorf("line %d: %w", row.Line, err)
		}
		out = append(out, added)
	}
	return out, nil
}
