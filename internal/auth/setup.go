package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"sync"
	"time"
)

// SetupLinkLifetime is how long the first-admin link works.
const SetupLinkLifetime = time.Hour

// SetupLink is the one-time secret that lets the first admin create their
// account when no admin exists. It is kept in memory only and works once.
type SetupLink struct {
	mu      sync.Mutex
	token   string
	expires time.Time
	used    bool
}

// NewSetupLink makes a link secret valid from now for SetupLinkLifetime.
func NewSetupLink(now time.Time) (*SetupLink, error) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("setup token: %w", err)
	}
	return &SetupLink{token: base64.RawURLEncoding.EncodeToString(b[:]), expires: now.Add(SetupLinkLifetime)}, nil
}

// Token is the secret to put in the printed URL.
func (l *SetupLink) Token() string { return l.token }

// Valid reports whether token is this link's secret, unexpired and unused.
func (l *SetupLink) Valid(token string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.validLocked(token, now)
}

func (l *SetupLink) validLocked(token string, now time.Time) bool {
	return !l.used && now.Before(l.expires) && subtle.ConstantTimeCompare([]byte(token), []byte(l.token)) == 1
}

// Use spends the link: it reports whether token was valid, and makes it
// invalid from now on.
func (l *SetupLink) Use(token string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.validLocked(token, now) {
		return false
	}
	l.used = true
	return true
}
