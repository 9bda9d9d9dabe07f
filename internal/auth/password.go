// Package auth owns who someone is: password hashes (argon2id), sessions
// (random tokens of which only a hash is stored), sign-in throttling and the
// one-time link that creates the first admin.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's baseline (19 MiB, 2 passes, 1 lane), so a
// 2-core server can check several sign-ins at once without running out of
// memory. They are stored in each hash, so raising them later keeps old
// hashes valid.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// MinPasswordLen and MaxPasswordLen bound a new password, in characters.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// ErrWeakPassword means a new password does not meet the rules; its message
// says which.
var ErrWeakPassword = errors.New("password does not meet the rules")

// CheckNewPassword tells a person why a password will not do, or nil.
func CheckNewPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return fmt.Errorf("%w: use at least %d characters", ErrWeakPassword, MinPasswordLen)
	case n > MaxPasswordLen:
		return fmt.Errorf("%w: use at most %d characters", ErrWeakPassword, MaxPasswordLen)
	case strings.TrimSpace(pw) == "":
		return fmt.Errorf("%w: it cannot be only spaces", ErrWeakPassword)
	}
	return nil
}

// ErrBusy means too many passwords are being hashed at once: the caller
// asks again in a moment (a 429 with Retry-After).
var ErrBusy = errors.New("too many password checks at once")

// Each argon2id hash holds argonMemory KiB (19 MiB) while it runs, so how
// many run at once bounds the memory sign-ins can take, however many
// arrive. A few more may wait a short while; the rest are turned away at
// once. Every hash in the process goes through this one gate.
var hashing = newGate(max(1, runtime.GOMAXPROCS(0)/2), 16, 2*time.Second)

type gate struct {
	slots      chan struct{}
	waiting    atomic.Int32
	maxWaiting int32
	maxWait    time.Duration
	hashed     atomic.Int64
}

func newGate(slots, waiting int, wait time.Duration) *gate {
	return &gate{slots: make(chan struct{}, slots), maxWaiting: int32(waiting), maxWait: wait}
}

// run runs f when a slot is free: at once, or after waiting at most
// maxWait among at most maxWaiting others; else ErrBusy.
func (g *gate) run(f func()) error {
	select {
	case g.slots <- struct{}{}:
	default:
		if g.waiting.Add(1) > g.maxWaiting {
			g.waiting.Add(-1)
			return ErrBusy
		}
		timer := time.NewTimer(g.maxWait)
		select {
		case g.slots <- struct{}{}:
			timer.Stop()
			g.waiting.Add(-1)
		case <-timer.C:
			g.waiting.Add(-1)
			return ErrBusy
		}
	}
	defer func() { <-g.slots }()
	f()
	// Each hash leaves argonMemory KiB of garbage; with the server's GC
	// target (GOGC 400) a stream of sign-ins would pile up hundreds of MiB
	// before a collection. Collect after every gcEvery of them instead:
	// the blocks hold no pointers, so a cycle is cheap.
	if g.hashed.Add(1)%gcEvery == 0 {
		runtime.GC()
	}
	return nil
}

// gcEvery is how many hashes may leave their memory behind before one
// garbage collection (see gate.run).
const gcEvery = 2

// HashPassword returns an argon2id hash in the PHC string format, or
// ErrBusy.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	var key []byte
	if err := hashing.run(func() { key = argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen) }); err != nil {
		return "", err
	}
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrBadHash means a stored hash is not one this package wrote.
var ErrBadHash = errors.New("unrecognised password hash")

// VerifyPassword reports whether pw matches hash, in constant time, or
// ErrBusy.
func VerifyPassword(hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrBadHash
	}
	var version int
	var mem, passes uint32
	var lanes uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &passes, &lanes); err != nil || lanes == 0 || passes == 0 {
		return false, ErrBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, ErrBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 64 {
		return false, ErrBadHash
	}
	// A stored hash states its own cost: refuse one that would cost more
	// than the gate was sized for.
	if mem > argonMemory || passes > 4*argonTime || lanes > 4 {
		return false, ErrBadHash
	}
	var got []byte
	if err := hashing.run(func() { got = argon2.IDKey([]byte(pw), salt, passes, mem, lanes, uint32(len(want))) }); err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when an email is unknown, so a sign-in takes
// as long whether or not the account exists.
var dummyHash = func() string {
	h, err := HashPassword("northstar timing equaliser")
	if err != nil {
		panic(err) // nothing else hashes before main: the gate is free
	}
	return h
}()
