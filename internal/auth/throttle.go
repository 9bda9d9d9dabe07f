package auth

import (
	"sync"
	"time"
)

// Throttle counts failed sign-ins per key (an email, an IP address) and says
// when a key has failed too often lately. It lives in memory: a restart or a
// second instance forgets, which only loosens the limit, never locks anyone out.
type Throttle struct {
	Max    int
	Window time.Duration
	Now    func() time.Time

	mu    sync.Mutex
	fails map[string][]time.Time
}

// maxKeys bounds the memory a flood of distinct keys can take.
const maxKeys = 100_000

func (t *Throttle) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

// recent drops failures older than the window; the caller holds mu.
func (t *Throttle) recent(key string, now time.Time) []time.Time {
	kept := t.fails[key][:0]
	for _, at := range t.fails[key] {
		if now.Sub(at) < t.Window {
			kept = append(kept, at)
		}
	}
	if len(kept) == 0 {
		delete(t.fails, key)
		return nil
	}
	t.fails[key] = kept
	return kept
}

// Allow reports whether key may try again.
func (t *Throttle) Allow(key string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.recent(key, t.now())) < t.Max
}

// Fail records a failed try by key.
func (t *Throttle) Fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.fails == nil {
		t.fails = map[string][]time.Time{}
	}
	now := t.now()
	if len(t.fails) >= maxKeys {
		for k := range t.fails {
			t.recent(k, now)
		}
	}
	if len(t.fails) < maxKeys {
		t.fails[key] = append(t.recent(key, now), now)
	}
}

// Reset forgets key's failures, after it signs in.
func (t *Throttle) Reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.fails, key)
}
