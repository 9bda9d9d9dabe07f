package release_test

import (
	"sync"
	"sync/atomic"
	"testing"

	"northstar/internal/release"
)

func closed(r *release.Release) bool {
	select {
	case <-r.Closed():
		return true
	default:
		return false
	}
}

// TestRequestHoldsRelease: a retired release stays open while a request
// holds it, closes when that request is done, and cannot be held again.
func TestRequestHoldsRelease(t *testing.T) {
	a := release.New(release.Parts{SiteDir: "a"})
	if !a.Acquire() {
		t.Fatal("a new release could not be held")
	}
	a.Retire()
	a.Retire() // a second retire must not drop the request's hold
	if closed(a) {
		t.Fatal("closed while a request holds it")
	}
	if a.Err() == nil {
		t.Error("Err is nil before the release closed")
	}
	a.Done()
	if !closed(a) || a.Err() != nil {
		t.Fatalf("not closed after its last request: closed %v, err %v", closed(a), a.Err())
	}
	if a.Acquire() {
		t.Error("a closed release was held")
	}
}

// TestReplaceUnderLoad: requests hold the current release while releases
// are replaced, the way the server swaps them; each request gets an open
// release, and every replaced one closes once its requests are done.
func TestReplaceUnderLoad(t *testing.T) {
	var cur atomic.Pointer[release.Release]
	acquire := func() *release.Release {
		for {
			if r := cur.Load(); r.Acquire() {
				return r
			}
		}
	}
	cur.Store(release.New(release.Parts{}))
	var all []*release.Release
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				r := acquire()
				if closed(r) {
					t.Error("held a closed release")
				}
				r.Done()
			}
		}()
	}
	for i := 0; i < 200; i++ {
		r := release.New(release.Parts{})
		all = append(all, r)
		cur.Swap(r).Retire()
	}
	close(stop)
	wg.Wait()
	for i, r := range all[:len(all)-1] {
		if !closed(r) {
			t.Fatalf("release %d replaced but not closed", i)
		}
	}
	if closed(all[len(all)-1]) {
		t.Error("the current release is closed")
	}
}
