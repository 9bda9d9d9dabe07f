package auth_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
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
	ss := auth.NewSessions(s)
	ss.Now = c.now
	return ss, s, c, u
}

func TestSignInAndTimeouts(t *testing.T) {
	ctx := context.Background()
	ss, st, c, u := newSessions(t)
	if _, _, err := ss.SignIn(ctx, "d@example.org", "wrong password!", "192.0.2.1"); !errors.Is(err, auth.ErrBadCredentials) {
		t.Errorf("wrong password: %v", err)
	}
	if _, _, err := ss.SignIn(ctx, "nobody@example.org", "a long enough passphrase", "192.0.2.1"); !errors.Is(err, auth.ErrBadCredentials) {
		t.Errorf("unknown email: %v", err)
	}
	token, got, err := ss.SignIn(ctx, "D@example.org", "a long enough passphrase", "192.0.2.1")
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
	token, _, _ = ss.SignIn(ctx, "d@example.org", "a long enough passphrase", "192.0.2.1")
	for elapsed := time.Duration(0); elapsed < auth.AbsoluteTimeout; elapsed += 20 * time.Minute {
		c.t = c.t.Add(20 * time.Minute)
		ss.User(ctx, token)
	}
	c.t = c.t.Add(20 * time.Minute)
	if _, err := ss.User(ctx, token); !errors.Is(err, auth.ErrNoSession) {
		t.Errorf("session older than the absolute timeout: %v", err)
	}
	// Disabling an account ends its sessions at once and blocks sign-in.
	token, _, _ = ss.SignIn(ctx, "d@example.org", "a long enough passphrase", "192.0.2.1")
	st.SetDisabled(ctx, "d@example.org", true)
	if _, err := ss.User(ctx, token); !errors.Is(err, auth.ErrNoSession) {
		t.Errorf("disabled account's session: %v", err)
	}
	if _, _, err := ss.SignIn(ctx, "d@example.org", "a long enough passphrase", "192.0.2.1"); !errors.Is(err, auth.ErrBadCredentials) {
		t.Errorf("disabled account signed in: %v", err)
	}
	st.SetDisabled(ctx, "d@example.org", false)
	// Sign-out ends the session.
	token, _, _ = ss.SignIn(ctx, "d@example.org", "a long enough passphrase", "192.0.2.1")
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
	token, u, _ := ss.SignIn(ctx, "d@example.org", "a long enough passphrase", "192.0.2.1")
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
	if _, _, err := ss.SignIn(ctx, "d@example.org", "a brand new passphrase", "192.0.2.1"); err != nil {
		t.Errorf("new password: %v", err)
	}
	stored, _ := st.UserByEmail(ctx, "d@example.org")
	if strings.Contains(stored.PasswordHash, "passphrase") {
		t.Error("password stored in the clear")
	}
}

// TestSignInLimits: tries are counted before the password is checked, so
// of forty wrong passwords sent at once for one account only the limit's
// five are checked; the rest are refused at once until the window ends. A
// good sign-in gives the address its try back, so an office behind one
// address is not locked out by its own staff.
func TestSignInLimits(t *testing.T) {
	ctx := context.Background()
	ss, _, c, u := newSessions(t)
	var wg sync.WaitGroup
	var checked, limited atomic.Int32
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := ss.SignIn(ctx, "d@example.org", "wrong password!", fmt.Sprintf("192.0.2.%d", i))
			if errors.Is(err, auth.ErrBadCredentials) {
				checked.Add(1)
			} else if le, ok := auth.IsLimited(err); ok && le.Until.Equal(c.t.Add(15*time.Minute)) {
				limited.Add(1)
			} else {
				t.Errorf("sign-in: %v", err)
			}
		}()
	}
	wg.Wait()
	if checked.Load() != 5 || limited.Load() != 35 {
		t.Errorf("%d passwords checked and %d refused, want 5 and 35", checked.Load(), limited.Load())
	}
	if _, _, err := ss.SignIn(ctx, "D@example.org ", "a long enough passphrase", "192.0.2.200"); err == nil {
		t.Error("the right password got through a used-up account limit")
	} else if le, _ := auth.IsLimited(err); le.RetryAfter(c.t) != 900 {
		t.Errorf("retry after %d s, want 900", le.RetryAfter(c.t))
	}
	c.t = c.t.Add(15 * time.Minute)
	if _, _, err := ss.SignIn(ctx, "d@example.org", "a long enough passphrase", "192.0.2.200"); err != nil {
		t.Errorf("after the window: %v", err)
	}
	// The address limit is 30: forty good sign-ins from one address pass.
	for i := 0; i < 40; i++ {
		if _, _, err := ss.SignIn(ctx, "d@example.org", "a long enough passphrase", "198.51.100.7"); err != nil {
			t.Fatalf("good sign-in %d from one address: %v", i+1, err)
		}
	}
	// Thirty wrong ones for different accounts from one address use it up.
	for i := 0; i < 30; i++ {
		ss.SignIn(ctx, fmt.Sprintf("x%d@example.org", i), "wrong password!", "198.51.100.8")
	}
	if _, _, err := ss.SignIn(ctx, "d@example.org", "a long enough passphrase", "198.51.100.8"); err == nil {
		t.Error("an address past its limit signed in")
	}
	// The current-password check of a signed-in account is limited too.
	for i := 0; i < 5; i++ {
		if err := ss.ChangePassword(ctx, u, "wrong current pw", "a brand new passphrase"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("wrong current password %d: %v", i+1, err)
		}
	}
	if err := ss.ChangePassword(ctx, u, "a long enough passphrase", "a brand new passphrase"); err == nil {
		t.Error("the current-password check is not limited")
	} else if _, ok := auth.IsLimited(err); !ok {
		t.Errorf("sixth current-password check: %v", err)
	}
	// A zero limit refuses: a limit left out locks, it does not open.
	closed := auth.NewSessions(ss.Store)
	closed.Limits.Account = auth.Rule{}
	if _, _, err := closed.SignIn(ctx, "d@example.org", "a long enough passphrase", "203.0.113.1"); err == nil {
		t.Error("a zero account limit let a sign-in through")
	}
}

// TestLimitsStoreNoEmail: what the store keeps of a try names neither the
// email nor the address (someone may type a password into the email field).
func TestLimitsStoreNoEmail(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	ss := auth.NewSessions(st)
	ss.SignIn(ctx, "my-secret-passphrase@typed.here", "x", "203.0.113.99")
	st.Close()
	for _, name := range []string{"northstar.db", "northstar.db-wal"} {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		if bytes.Contains(b, []byte("my-secret-passphrase")) || bytes.Contains(b, []byte("203.0.113.99")) {
			t.Errorf("%s holds the typed email or the address", name)
		}
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

// TestCreateFirstAdmin: the setup link makes one admin, only while none
// exists; a mistake does not spend it.
func TestCreateFirstAdmin(t *testing.T) {
	ctx := context.Background()
	ss, st, c, _ := newSessions(t)
	link, err := auth.NewSetupLink(c.now())
	if err != nil {
		t.Fatal(err)
	}
	depts := []string{"Library", "Health"}
	ok := auth.Account{Email: "first@example.org", Name: "First Admin", Department: "Health"}
	const pw = "a long enough passphrase"
	var invalid *auth.InvalidError
	var dept *auth.UnknownDepartmentError
	if _, _, err := ss.CreateFirstAdmin(ctx, link, "guess", ok, pw, depts, "192.0.2.9"); !errors.Is(err, auth.ErrSetupGone) {
		t.Errorf("wrong token: %v", err)
	}
	if _, _, err := ss.CreateFirstAdmin(ctx, link, link.Token(), auth.Account{Email: "x@example.org", Name: "X", Department: "Mars"}, pw, depts, "192.0.2.9"); !errors.As(err, &dept) {
		t.Errorf("unknown department: %v", err)
	}
	if _, _, err := ss.CreateFirstAdmin(ctx, link, link.Token(), ok, "short", depts, "192.0.2.9"); !errors.As(err, &invalid) {
		t.Errorf("short password: %v", err)
	}
	if _, _, err := ss.CreateFirstAdmin(ctx, link, link.Token(), auth.Account{Email: "d@example.org", Name: "D", Department: "Library"}, pw, depts, "192.0.2.9"); !errors.Is(err, auth.ErrEmailTaken) {
		t.Errorf("taken email: %v", err)
	}
	if !ss.SetupOpen(ctx, link, link.Token()) {
		t.Fatal("a mistake spent the link")
	}
	token, u, err := ss.CreateFirstAdmin(ctx, link, link.Token(), ok, pw, depts, "192.0.2.9")
	if err != nil {
		t.Fatal(err)
	}
	if u.Role != auth.RoleAdmin || u.Email != ok.Email {
		t.Errorf("created %+v; want an admin with the email given", u)
	}
	if signed, err := ss.User(ctx, token); err != nil || signed.ID != u.ID {
		t.Errorf("the new admin is not signed in: %v", err)
	}
	if n, _ := st.CountAdmins(ctx); n != 1 {
		t.Errorf("%d admins; want 1", n)
	}
	if _, _, err := ss.CreateFirstAdmin(ctx, link, link.Token(), auth.Account{Email: "second@example.org", Name: "S", Department: "Health"}, pw, depts, "192.0.2.9"); !errors.Is(err, auth.ErrSetupGone) {
		t.Errorf("the link worked twice: %v", err)
	}
	// A fresh link does not open the form once an admin exists.
	again, _ := auth.NewSetupLink(c.now())
	if ss.SetupOpen(ctx, again, again.Token()) {
		t.Error("setup open with an admin")
	}
}
