package auth

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestGate: at most slots run at once; a few wait for a slot; past them a
// caller is turned away at once, and so is a waiter after maxWait.
func TestGate(t *testing.T) {
	g := newGate(2, 2, 200*time.Millisecond)
	release := make(chan struct{})
	var running, most atomic.Int32
	var busy atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := g.run(func() {
				n := running.Add(1)
				for {
					m := most.Load()
					if n <= m || most.CompareAndSwap(m, n) {
						break
					}
				}
				<-release
				running.Add(-1)
			})
			if errors.Is(err, ErrBusy) {
				busy.Add(1)
			}
		}()
	}
	// Six are turned away at once, while two run and two wait.
	deadline := time.Now().Add(5 * time.Second)
	for busy.Load() < 6 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if busy.Load() != 6 {
		t.Fatalf("%d turned away at once, want 6", busy.Load())
	}
	// The two waiters give up after maxWait.
	for busy.Load() < 8 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if busy.Load() != 8 || most.Load() != 2 {
		t.Errorf("%d busy (want 8), at most %d at once (want 2)", busy.Load(), most.Load())
	}
	// Freed, it runs again.
	if err := g.run(func() {}); err != nil {
		t.Error(err)
	}
}
