package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"

	"northstar/internal/store"
)

// External is a person the City's identity provider signed in, as its
// claims map them (package sso).
type External struct {
	Email, Name, Department, Role string
}

// Errors of a sign-in through the identity provider.
var (
	// ErrNoAccount: no account has the email, and its domain may not make one.
	ErrNoAccount = errors.New("no staff account has this email")
	// ErrAccountDisabled: the account is disabled here, whatever the
	// provider says.
	ErrAccountDisabled = errors.New("this staff account is disabled")
)

// SignInExternal starts a session for a person the identity provider
// signed in. An existing account takes the role the provider's groups
// give and, when it is a configured one, the department: group changes
// take effect at each sign-in. A disabled account stays disabled. Without
// an account, one is made when create is true (the email's domain is
// allowed), with a password nobody knows; its department must be one of
// departments.
func (s *Sessions) SignInExternal(ctx context.Context, e External, create bool, departments []string) (string, User, error) {
	e.Email = strings.ToLower(strings.TrimSpace(e.Email))
	if !ValidRole(e.Role) {
		e.Role = RoleLearner
	}
	u, err := s.Store.UserByEmail(ctx, e.Email)
	switch {
	case errors.Is(err, store.ErrNotFound) && !create:
		return "", User{}, ErrNoAccount
	case errors.Is(err, store.ErrNotFound):
		if u, err = s.createExternal(ctx, e, departments); err != nil {
			return "", User{}, err
		}
	case err != nil:
		return "", User{}, err
	case u.Disabled:
		return "", User{}, ErrAccountDisabled
	default:
		dept := u.Department
		if slices.Contains(departments, e.Department) {
			dept = e.Department
		}
		if dept != u.Department || e.Role != u.Role {
			if err := s.Store.SetRoleAndDepartment(ctx, u.ID, e.Role, dept); err != nil {
				return "", User{}, err
			}
			u.Role, u.Department = e.Role, dept
		}
	}
	token, err := s.Start(ctx, u.ID)
	return token, u, err
}

func (s *Sessions) createExternal(ctx context.Context, e External, departments []string) (User, error) {
	name := e.Name
	if name == "" {
		name = e.Email
	}
	if err := CheckAccount(Account{Email: e.Email, Name: name, Department: e.Department, Role: e.Role}, departments); err != nil {
		return User{}, err
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return User{}, fmt.Errorf("account password: %w", err)
	}
	hash, err := HashPassword(base64.RawURLEncoding.EncodeToString(b[:]))
	if err != nil {
		return User{}, err
	}
	return s.Store.CreateUser(ctx, User{Email: e.Email, Name: name, Department: e.Department, Role: e.Role, PasswordHash: hash})
}
