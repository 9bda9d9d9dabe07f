package web

import (
	"context"
	"errors"
	"net/http"
	"northstar/internal/auth"
	"time"

	"northstar/internal/referral"
	"northstar/internal/release"
	"northstar/internal/training"
)

// generation is a release as the server serves it: the release, its built
// site with the server's caches of it, and the staff side over its
// quizzes and modules, made once when it is installed.
type generation struct {
	rel  *release.Release
	site *siteRoot
	// staff is nil on a server without the staff side.
	staff *staffRelease
}

// staffRelease is the staff side of one request: the long-lived Staff with
// the quizzes, modules and departments of the request's release.
type staffRelease struct {
	*Staff
	*release.Release
	svc       *training.Service
	referrals *referral.Service
}

func (t *staffRelease) service() *training.Service { return t.svc }

// admin changes accounts under the rules the command line keeps too.
func (t *staffRelease) admin() *auth.Admin {
	return &auth.Admin{Store: t.Store, Departments: t.Departments}
}

// Install serves rel from now on. Requests already running finish on the
// release they started with; the one replaced closes when its last
// request is done. Set the staff side (SetStaff) before the first Install.
func (s *Server) Install(rel *release.Release) error {
	root, err := openSiteRoot(rel.SiteDir)
	if err != nil {
		return err
	}
	g := &generation{rel: rel, site: root}
	if s.staffSide != nil {
		g.staff = &staffRelease{Staff: s.staffSide, Release: rel,
			svc:       &training.Service{Store: s.staffSide.Store, Quizzes: rel.Quizzes, Modules: rel.Modules, Departments: rel.Departments},
			referrals: &referral.Service{Store: s.staffSide.Store, Settings: rel.Referrals, Directory: rel.Directory, Departments: rel.Departments}}
	}
	if old := s.gen.Swap(g); old != nil {
		old.rel.Retire()
	}
	s.metrics.ReleaseServed(time.Now())
	return nil
}

// Close stops serving the current release; it closes when its last
// request is done.
func (s *Server) Close() error {
	if old := s.gen.Swap(nil); old != nil {
		old.rel.Retire()
	}
	return nil
}

// acquire holds the current generation for one request, nil before the
// first Install. Call rel.Done when the request ends.
func (s *Server) acquire() *generation {
	for {
		g := s.gen.Load()
		if g == nil || g.rel.Acquire() {
			return g
		}
		// Replaced and closed between Load and Acquire: load its successor.
	}
}

type generationKey struct{}

// withRelease holds one release for the whole request, so everything the
// request reads (pages, search hits, quizzes, modules) comes from one build.
func (s *Server) withRelease(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		noteRoute(r)
		g := s.acquire()
		if g == nil {
			next.ServeHTTP(w, r)
			return
		}
		defer g.rel.Done()
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), generationKey{}, g)))
	})
}

// generationOf is the request's generation, nil before the first build.
func generationOf(r *http.Request) *generation {
	g, _ := r.Context().Value(generationKey{}).(*generation)
	return g
}

// staffOf is the staff side of the request, nil on a server without it
// or before the first build.
func staffOf(r *http.Request) *staffRelease {
	if g := generationOf(r); g != nil {
		return g.staff
	}
	return nil
}

var errNoSite = errors.New("site not built yet")

// siteOf is the built site of the request's release.
func siteOf(r *http.Request) (*siteRoot, error) {
	if g := generationOf(r); g != nil {
		return g.site, nil
	}
	return nil, errNoSite
}
