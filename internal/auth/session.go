package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"northstar/internal/store"
)

// Session lifetimes: a session ends after IdleTimeout without a request, and
// after AbsoluteTimeout whatever happens.
const (
	IdleTimeout     = 30 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
	// touchEvery limits writes: last-seen is only updated when this old.
	touchEvery = time.Minute
)

// ErrNoSession means the token names no live session of an enabled user.
var ErrNoSession = errors.New("no live session")

// Who may sign in with a password (Sessions.Passwords).
const (
	PasswordsAll    = "all"
	PasswordsAdmins = "admins"
	PasswordsNone   = "none"
)

// ErrPasswordsOff means this account signs in through the City's identity
// provider only. It is told only after the right password.
var ErrPasswordsOff = errors.New("sign in with your City account")

// ErrBadCredentials is the one answer for a wrong email or password, so a
// sign-in form does not tell which accounts exist.
var ErrBadCredentials = errors.New("email or password is wrong")

// Sessions signs people in and out, keeping sessions in the store, and
// counts sign-in tries against Limits there.
type Sessions struct {
	Store  Store
	Now    func() time.Time
	Limits Limits
	// Passwords says who may still sign in with a password once the
	// City's identity provider is in use: PasswordsAll (the default, ""),
	// PasswordsAdmins (break-glass admins) or PasswordsNone.
	Passwords string

	tries     tries
	triesOnce sync.Once
}

// NewSessions returns Sessions on st with DefaultLimits.
func NewSessions(st Store) *Sessions {
	return &Sessions{Store: st, Limits: DefaultLimits}
}

func (s *Sessions) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Sessions) try() *tries {
	s.triesOnce.Do(func() { s.tries.st, s.tries.now = s.Store, s.now })
	return &s.tries
}

// TokenHash is what the store keeps of a session token.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// SignIn checks the password and starts a session, returning its token (for
// the cookie) and the user. Disabled accounts cannot sign in.
//
// The try is counted against the address's and the account's limits before
// the password is checked (*LimitedError when either is used up); a
// successful sign-in gives the address its try back and clears the
// account's. With too many checks running it is ErrBusy.
func (s *Sessions) SignIn(ctx context.Context, email, password, address string) (string, User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	t := s.try()
	if err := t.take(ctx, "address", s.Limits.Address, address); err != nil {
		return "", User{}, err
	}
	if err := t.take(ctx, "account", s.Limits.Account, email); err != nil {
		return "", User{}, err
	}
	u, err := s.Store.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		if _, err := VerifyPassword(dummyHash, password); err != nil {
			return "", User{}, err
		}
		return "", User{}, ErrBadCredentials
	}
	if err != nil {
		return "", User{}, err
	}
	ok, err := VerifyPassword(u.PasswordHash, password)
	if err != nil {
		return "", User{}, fmt.Errorf("verify password of user %d: %w", u.ID, err)
	}
	if !ok || u.Disabled {
		return "", User{}, ErrBadCredentials
	}
	if s.Passwords == PasswordsNone || s.Passwords == PasswordsAdmins && u.Role != RoleAdmin {
		return "", User{}, ErrPasswordsOff
	}
	if err := t.forget(ctx, "account", email); err != nil {
		return "", User{}, err
	}
	if err := t.giveBack(ctx, "address", address); err != nil {
		return "", User{}, err
	}
	token, err := s.Start(ctx, u.ID)
	return token, u, err
}

// Start opens a session for a user and returns its token.
func (s *Sessions) Start(ctx context.Context, userID int64) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("session token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	now := s.now()
	err := s.Store.CreateSession(ctx, store.Session{
		TokenHash: TokenHash(token), UserID: userID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(AbsoluteTimeout),
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// User returns the signed-in user of a token, or ErrNoSession when the token
// is unknown, the session is idle or too old, or the account is disabled.
func (s *Sessions) User(ctx context.Context, token string) (User, error) {
	if token == "" {
		return User{}, ErrNoSession
	}
	now := s.now()
	hash := TokenHash(token)
	se, u, err := s.Store.SessionUser(ctx, hash, now)
	if errors.Is(err, store.ErrNotFound) {
		return User{}, ErrNoSession
	}
	if err != nil {
		return User{}, err
	}
	if now.Sub(se.LastSeenAt) > IdleTimeout {
		s.Store.DeleteSession(ctx, hash)
		return User{}, ErrNoSession
	}
	if now.Sub(se.LastSeenAt) > touchEvery {
		if err := s.Store.TouchSession(ctx, hash, now); err != nil && !errors.Is(err, store.ErrNotFound) {
			return User{}, err
		}
	}
	return u, nil
}

// SignOut ends one session.
func (s *Sessions) SignOut(ctx context.Context, token string) error {
	return s.Store.DeleteSession(ctx, TokenHash(token))
}

// ChangePassword sets a new password after checking the current one, and ends
// every session of the user: other browsers must sign in again. The check
// of the current password is counted like a sign-in (*LimitedError).
func (s *Sessions) ChangePassword(ctx context.Context, u User, current, next string) error {
	if err := CheckNewPassword(next); err != nil {
		return err
	}
	key := fmt.Sprint(u.ID)
	if err := s.try().take(ctx, "password", s.Limits.Password, key); err != nil {
		return err
	}
	ok, err := VerifyPassword(u.PasswordHash, current)
	if err != nil {
		return err
	}
	if !ok {
		return ErrBadCredentials
	}
	if err := s.try().forget(ctx, "password", key); err != nil {
		return err
	}
	hash, err := HashPassword(next)
	if err != nil {
		return err
	}
	if err := s.Store.SetPasswordHash(ctx, u.ID, hash); err != nil {
		return err
	}
	return s.Store.DeleteUserSessions(ctx, u.ID)
}
