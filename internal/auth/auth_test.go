package auth_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"northstar/internal/auth"
	"northstar/internal/store"
)

func TestPasswordHash(t *testing.T) {
	h, err := auth.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(h, "correct horse") {
		t.Errorf("hash %q", h)
	}
	h2, _ := auth.HashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	for pw, want := range map[string]bool{"correct horse battery": true, "correct horse batterY": false, "": false} {
		if ok, err := auth.VerifyPassword(h, pw); ok != want || err != nil {
			t.Errorf("verify %q = %v %v, want %v", pw, ok, err, want)
		}
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=x$a$b$"} {
		if _, err := auth.VerifyPassword(bad, "x"); !errors.Is(err, auth.ErrBadHash) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if err := auth.CheckNewPassword("short"); !errors.Is(err, auth.ErrWeakPassword) {
		t.Errorf("short password: %v", err)
	}
	if err := auth.CheckNewPassword("a long enough passphrase"); err != nil {
		t.Error(err)
	}
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newSessions(t *testing.T) (*auth.Sessions, store.Store, *clock, store.User) {
	t.Helper()
	s, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	hash, _ := auth.HashPassword("a long enough passphrase")
	u, err := s.CreateUser(context.Background(), store.User{Email: "d@example.org", Name: "D", Department: "Library", Role: store.RoleLearner, PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)}
	return &auth.Sessions{Store: s, Now: c.now}, s, c, u
}

func TestSignInAndTimeouts(t *testing.T) {
	ctx := context.Background()
	ss, st, c, u := newSessions(t)
	if _, _, err := ss.SignIn(ctx, "d@example.org", "wrong password!"); !errors.Is(err, auth.ErrBadCredentials) {
		t.Errorf("wrong password: %v", err)
	}
	if _, _, err := ss.SignIn(ctx, "nobody@example.org", "a long enough passphrase"); !errors.Is(err, auth.ErrBadCredentials) {
		t.Errorf("unknown email: %v", err)
	}
	token, got, err := ss.SignIn(ctx, "D@example.org", "a long enough passphrase")
	if err != nil || got.ID != u.ID || len(token) < 40 {
		t.Fatalf("sign in: %v", err)
	}
	// Active use keeps the session alive past the idle timeout…
	for i := 0; i < 4; i++ {
		c.t = c.t.Add(20 * time.Minute)
		if _, err := ss.User(ctx, token); err != nil {
			t.Fatalf("after %d×20 min of use: %v", i+1, err)
		}
	}
	// …but not past the idle timeout without requests.
	c.t = c.t.Add(auth.IdleTimeout + time.Second)
	if _, err := ss.User(ctx, token); !errors.Is(err, auth.ErrNoSession) {
		t.Errorf("idle session: %v", err)
	}
	// The absolute timeout ends even a busy session.
	token, _, _ = ss.SignIn(ctx, "d@example.org", "a long enough passphrase")
	for elapsed := time.Duration(0); elapsed < auth.AbsoluteTimeout; elapsed += 20 * time.Minute {
		c.t = c.t.Add(20 * time.Minute)
		ss.User(ctx, token)
	}
	c.t = c.t.Add(20 * time.Minute)
	if _, err := ss.User(ctx, token); !errors.Is(err, auth.ErrNoSession) {
		t.Errorf("session older than the absolute timeout: %v", err)
	}
	// Disabling an account ends its sessions at once and blocks sign-in.
	token, _, _ = ss.SignIn(ctx, "d@example.org", "a long enough passphrase")
	st.SetDisabled(ctx, "d@example.org", true)
	if _, err := ss.User(ctx, token); !errors.Is(err, auth.ErrNoSession) {
		t.Errorf("disabled account's session: %v", err)
	}
	if _, _, err := ss.SignIn(ctx, "d@example.org", "a long enough passphrase"); !errors.Is(err, auth.ErrBadCredentials) {
		t.Errorf("disabled account signed in: %v", err)
	}
	st.SetDisabled(ctx, "d@example.org", false)
	// Sign-out ends the session.
	token, _, _ = ss.SignIn(ctx, "d@example.org", "a long enough passphrase")
	ss.SignOut(ctx, token)
	if _, err := ss.User(ctx, token); !errors.Is(err, auth.ErrNoSession) {
		t.Errorf("signed-out session: %v", err)
	}
	if _, err := ss.User(ctx, ""); !errors.Is(err, auth.ErrNoSession) {
		t.Errorf("empty token: %v", err)
	}
}

func TestChangePasswordEndsSessions(t *testing.T) {
	ctx := context.Background()
	ss, st, _, _ := newSessions(t)
	token, u, _ := ss.SignIn(ctx, "d@example.org", "a long enough passphrase")
	if err := ss.ChangePassword(ctx, u, "wrong current pw", "a brand new passphrase"); !errors.Is(err, auth.ErrBadCredentials) {
		t.Errorf("wrong current password: %v", err)
	}
	if err := ss.ChangePassword(ctx, u, "a long enough passphrase", "short"); !errors.Is(err, auth.ErrWeakPassword) {
		t.Errorf("weak new password: %v", err)
	}
	if err := ss.ChangePassword(ctx, u, "a long enough passphrase", "a brand new passphrase"); err != nil {
		t.Fatal(err)
	}
	if _, err := ss.User(ctx, token); !errors.Is(err, auth.ErrNoSession) {
		t.Errorf("old session survived a password change: %v", err)
	}
	if _, _, err := ss.SignIn(ctx, "d@example.org", "a brand new passphrase"); err != nil {
		t.Errorf("new password: %v", err)
	}
	stored, _ := st.UserByEmail(ctx, "d@example.org")
	if strings.Contains(stored.PasswordHash, "passphrase") {
		t.Error("password stored in the clear")
	}
}

func TestThrottle(t *testing.T) {
	c := &clock{t: time.Now()}
	th := &auth.Throttle{Max: 3, Window: 15 * time.Minute, Now: c.now}
	for i := 0; i < 3; i++ {
		if !th.Allow("ip:1") {
			t.Fatalf("blocked after %d failures", i)
		}
		th.Fail("ip:1")
	}
	if th.Allow("ip:1") {
		t.Error("allowed after 3 failures")
	}
	if !th.Allow("ip:2") {
		t.Error("another key blocked")
	}
	c.t = c.t.Add(16 * time.Minute)
	if !th.Allow("ip:1") {
		t.Error("still blocked after the window")
	}
	th.Fail("ip:1")
	th.Reset("ip:1")
	if !th.Allow("ip:1") {
		t.Error("blocked after reset")
	}
}

func TestSetupLink(t *testing.T) {
	now := time.Now()
	l, err := auth.NewSetupLink(now)
	if err != nil {
		t.Fatal(err)
	}
	if l.Valid("guess", now) || !l.Valid(l.Token(), now) {
		t.Error("validity wrong")
	}
	if l.Use(l.Token(), now.Add(auth.SetupLinkLifetime+time.Second)) {
		t.Error("expired link worked")
	}
	if !l.Use(l.Token(), now.Add(time.Minute)) || l.Use(l.Token(), now.Add(2*time.Minute)) {
		t.Error("link must work exactly once")
	}
}
