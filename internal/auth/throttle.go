package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"time"
)

// Rule is how many tries a subject (an account, an address) gets in a
// window. The zero Rule allows none: a limit left out by mistake locks
// sign-in rather than opening it.
type Rule struct {
	Max    int
	Window time.Duration
}

// Limits are the sign-in limits. A try is counted before the password is
// checked, so a flood of tries at once cannot all be checked.
type Limits struct {
	// Account and Address bound sign-in tries per email and per client
	// address; Password the current-password check of a signed-in
	// account; Setup the first-admin form per address.
	Account, Address, Password, Setup Rule
}

// DefaultLimits are the limits serve uses.
var DefaultLimits = Limits{
	Account:  Rule{Max: 5, Window: 15 * time.Minute},
	Address:  Rule{Max: 30, Window: 15 * time.Minute},
	Password: Rule{Max: 5, Window: 15 * time.Minute},
	Setup:    Rule{Max: 10, Window: 15 * time.Minute},
}

// LimitedError says a subject has used its tries until Until.
type LimitedError struct{ Until time.Time }

func (e *LimitedError) Error() string {
	return "too many tries until " + e.Until.UTC().Format(time.RFC3339)
}

// RetryAfter is the whole seconds to wait from now, at least 1.
func (e *LimitedError) RetryAfter(now time.Time) int {
	return max(1, int(math.Ceil(e.Until.Sub(now).Seconds())))
}

// tryStore is where tries are counted: the database every instance shares.
type tryStore interface {
	TakeTry(ctx context.Context, subject string, max int, window time.Duration, now time.Time) (bool, time.Time, error)
	ReturnTry(ctx context.Context, subject string) error
	ForgetTries(ctx context.Context, subject string) error
	SweepTries(ctx context.Context, now time.Time) error
}

// subject is what the store keeps of a key: a hash, never the email or the
// address typed (a password typed in the email field must not reach disk).
func subject(kind, key string) string {
	sum := sha256.Sum256([]byte("northstar tries\x00" + kind + "\x00" + key))
	return hex.EncodeToString(sum[:])
}

// sweepEvery is how often ended windows are deleted.
const sweepEvery = time.Minute

// tries counts tries in st.
type tries struct {
	st        tryStore
	now       func() time.Time
	lastSweep atomic.Int64
}

// take counts a try by key under rule, or says why not: *LimitedError.
func (t *tries) take(ctx context.Context, kind string, r Rule, key string) error {
	now := t.now()
	if last := t.lastSweep.Load(); now.UnixNano()-last > int64(sweepEvery) && t.lastSweep.CompareAndSwap(last, now.UnixNano()) {
		if err := t.st.SweepTries(ctx, now); err != nil {
			return err
		}
	}
	if r.Max <= 0 {
		return &LimitedError{Until: now.Add(r.Window)}
	}
	ok, until, err := t.st.TakeTry(ctx, subject(kind, key), r.Max, r.Window, now)
	switch {
	case err != nil:
		return fmt.Errorf("count %s try: %w", kind, err)
	case !ok:
		return &LimitedError{Until: until}
	}
	return nil
}

func (t *tries) giveBack(ctx context.Context, kind, key string) error {
	return t.st.ReturnTry(ctx, subject(kind, key))
}

func (t *tries) forget(ctx context.Context, kind, key string) error {
	return t.st.ForgetTries(ctx, subject(kind, key))
}

// IsLimited tells whether err is a *LimitedError, and returns it.
func IsLimited(err error) (*LimitedError, bool) {
	var le *LimitedError
	ok := errors.As(err, &le)
	return le, ok
}
