package auth

import (
	"context"
	"errors"
)

// ErrSetupGone means the setup link has expired, was used, or an admin
// exists: the first-admin form is closed.
var ErrSetupGone = errors.New("setup link no longer works")

// ErrEmailTaken means an account with the email exists.
var ErrEmailTaken = errors.New("an account with this email exists")

// InvalidError is an account or password that breaks one of the rules
// (CheckAccount, CheckNewPassword); Err says which.
type InvalidError struct{ Err error }

func (e *InvalidError) Error() string { return e.Err.Error() }
func (e *InvalidError) Unwrap() error { return e.Err }

// SetupOpen reports whether token opens the first-admin form: link is set,
// token is its secret, unexpired and unused, and no admin exists yet.
func (s *Sessions) SetupOpen(ctx context.Context, link *SetupLink, token string) bool {
	if link == nil || !link.Valid(token, s.now()) {
		return false
	}
	n, err := s.Store.CountAdmins(ctx)
	return err == nil && n == 0
}

// CreateFirstAdmin makes the first admin account through link, signs it in
// and returns the session token. The try counts against address's setup
// limit first (*LimitedError); then ErrSetupGone, *InvalidError or
// ErrEmailTaken, all checked before the link is spent, so a mistake can be
// corrected; ErrBusy while too many passwords are being hashed.
func (s *Sessions) CreateFirstAdmin(ctx context.Context, link *SetupLink, token string, a Account, password string, departments []string, address string) (string, User, error) {
	if err := s.try().take(ctx, "setup", s.Limits.Setup, address); err != nil {
		return "", User{}, err
	}
	if !s.SetupOpen(ctx, link, token) {
		return "", User{}, ErrSetupGone
	}
	a.Role = RoleAdmin
	err := CheckAccount(a, departments)
	if err == nil {
		err = CheckNewPassword(password)
	}
	if err != nil {
		return "", User{}, &InvalidError{Err: err}
	}
	if _, err := s.Store.UserByEmail(ctx, a.Email); err == nil {
		return "", User{}, ErrEmailTaken
	}
	hash, err := HashPassword(password)
	if err != nil {
		return "", User{}, err
	}
	if !link.Use(token, s.now()) {
		return "", User{}, ErrSetupGone
	}
	u, err := s.Store.CreateUser(ctx, User{Email: a.Email, Name: a.Name, Department: a.Department, Role: RoleAdmin, PasswordHash: hash})
	if err != nil {
		return "", User{}, err
	}
	session, err := s.Start(ctx, u.ID)
	return session, u, err
}
