// Package release is one build of the sources as the server serves it: the
// built site, its search index and setup, the quizzes, the modules and the
// departments, made together by publish.Build and never changed after.
//
// A server serves one release at a time. Each request holds the release it
// started on until it ends (Acquire, Done), so it sees one build from start
// to end: a search hit's page is in the site it is served from, a module's
// quiz is in the quizzes beside it. A release replaced by a newer one closes
// when its last request is done; Closed tells the builder its folders may
// be written again.
package release

import (
	"errors"
	"sync"
	"sync/atomic"

	"northstar/internal/quiz"
	"northstar/internal/referral"
	"northstar/internal/search"
	"northstar/internal/training"
)

// Parts are what a release is made of.
type Parts struct {
	// SiteDir is the folder of the built site.
	SiteDir string
	// Search is the site's index; Setup what searches need besides it.
	Search *search.Index
	Setup  search.Setup
	// Quizzes by id, and the modules that use them, in the curriculum's order.
	Quizzes     map[string]*quiz.Quiz
	Modules     []training.Module
	Departments []string
	// Directory is the service directory's entries a referral may name,
	// and Referrals the City's referral settings.
	Directory []referral.Resource
	Referrals referral.Settings
}

// Release is one build. Its parts are read-only once it is served.
type Release struct {
	Parts

	// refs counts the requests on the release, plus one for being current.
	refs      atomic.Int64
	retire    sync.Once
	closed    chan struct{}
	closeErr  error
	closeOnce sync.Once
}

// New returns a release of its parts, held once: by whoever serves it,
// until Retire.
func New(p Parts) *Release {
	rel := &Release{Parts: p, closed: make(chan struct{})}
	rel.refs.Store(1)
	return rel
}

// Acquire holds the release for one request, false if it is already
// closed (a newer one has replaced it and its last request ended): load
// the current release again.
func (r *Release) Acquire() bool {
	for {
		n := r.refs.Load()
		if n <= 0 {
			return false
		}
		if r.refs.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// Done ends one hold; the last closes the release.
func (r *Release) Done() {
	if r.refs.Add(-1) == 0 {
		r.closeOnce.Do(func() {
			if r.Search != nil {
				r.closeErr = r.Search.Close()
			}
			close(r.closed)
		})
	}
}

// Retire ends the server's hold, once, when a newer release replaces this
// one or the server stops: the release closes when its last request is done.
func (r *Release) Retire() { r.retire.Do(r.Done) }

// Closed is closed once the release is: no request uses it, its index is
// closed, and its folders may be reused.
func (r *Release) Closed() <-chan struct{} { return r.closed }

// Err is what closing the release's index returned, once Closed.
func (r *Release) Err() error {
	select {
	case <-r.closed:
		return r.closeErr
	default:
		return errOpen
	}
}

var errOpen = errors.New("release still open")

// Module is the release's module slug.
func (r *Release) Module(slug string) (training.Module, bool) {
	return training.FindModule(r.Modules, slug)
}
