// Package web is Northstar's HTTP side: the router, the middleware every response
// passes through, and the handlers. It serves the built site and, in later
// issues, the API, on one port.
package web

import (
	"log/slog"
	"net/http"
	"sync/atomic"

	"github.com/gorilla/mux"

	"northstar/internal/store"
)

// Server holds the handlers' dependencies.
type Server struct {
	log      *slog.Logger
	site     *siteFiles
	search   searchState
	training atomic.Pointer[Training]
	live     *LiveReload // serve --watch only
}

// New returns a server with no site yet: /readyz answers 503 until SetSiteDir.
func New(log *slog.Logger) *Server {
	return &Server{log: log, site: newSiteFiles()}
}

// SetSiteDir points the server at a built site. It is safe to call while serving:
// requests in flight finish on the old directory, new ones use the new one.
func (s *Server) SetSiteDir(dir string) error {
	return s.site.swap(dir)
}

// Handler returns the router wrapped in the middleware chain.
func (s *Server) Handler() http.Handler {
	r := mux.NewRouter()
	r.HandleFunc("/healthz", s.healthShow).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/readyz", s.readyShow).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/api/search", s.searchAPI).Methods(http.MethodGet, http.MethodHead)
	for _, p := range []string{"/search", "/search/", "/{lang:[a-z]{2,3}}/search", "/{lang:[a-z]{2,3}}/search/"} {
		r.HandleFunc(p, s.searchResults).Methods(http.MethodGet, http.MethodHead)
	}
	s.staffRoutes(r)
	s.liveReloadRoutes(r)
	r.PathPrefix("/").HandlerFunc(s.pageShow)
	return chain(http.NewCrossOriginProtection().Handler(s.injectLiveReload(r)),
		s.recoverPanics,
		requestID,
		s.logRequests,
		securityHeaders,
	)
}

// staffRoutes are the training side: each states the role it needs.
func (s *Server) staffRoutes(r *mux.Router) {
	anyone := func(h http.HandlerFunc) http.Handler { return s.withUser(h) }
	signedIn := func(h http.HandlerFunc) http.Handler { return s.withUser(requireRole()(h)) }
	trainers := func(h http.HandlerFunc) http.Handler {
		return s.withUser(requireRole(store.RoleTrainer, store.RoleAdmin)(h))
	}
	get, post := []string{http.MethodGet, http.MethodHead}, []string{http.MethodPost}
	r.Handle("/login", anyone(s.loginShow)).Methods(get...)
	r.Handle("/login", anyone(s.loginCreate)).Methods(post...)
	r.Handle("/logout", anyone(s.logoutCreate)).Methods(post...)
	r.Handle("/setup", anyone(s.setupShow)).Methods(get...)
	r.Handle("/setup", anyone(s.setupCreate)).Methods(post...)
	r.Handle("/account/password", signedIn(s.passwordEdit)).Methods(get...)
	r.Handle("/account/password", signedIn(s.passwordUpdate)).Methods(post...)
	r.Handle("/api/quizzes/{id}", signedIn(s.quizStart)).Methods(get...)
	r.Handle("/api/quizzes/{id}/attempts/{attempt}", signedIn(s.attemptSubmit)).Methods(post...)
	r.Handle("/api/me/training", signedIn(s.myTrainingAPI)).Methods(get...)
	r.Handle("/training/my/", signedIn(s.myTrainingShow)).Methods(get...)
	r.Handle("/training/{module}/quiz/", signedIn(s.quizShow)).Methods(get...)
	r.Handle("/training/{module}/quiz/", signedIn(s.quizSubmit)).Methods(post...)
	r.Handle("/admin/quizzes/", trainers(s.quizPreview)).Methods(get...)
	admins := func(h http.HandlerFunc) http.Handler { return s.withUser(requireRole(store.RoleAdmin)(h)) }
	// Certificates: checking one is public (no session is read, no cookie
	// set); the PDF is for its holder; revoking is for admins.
	r.Handle("/certificates/", s.publicTraining(s.certificateFind)).Methods(get...)
	r.Handle("/certificates/{code}.pdf", signedIn(s.certificatePDF)).Methods(get...)
	r.Handle("/certificates/{code}", s.publicTraining(s.certificateShow)).Methods(get...)
	r.Handle("/admin/certificates/", admins(s.certificateList)).Methods(get...)
	r.Handle("/admin/certificates/{code}/revoke", admins(s.certificateRevoke)).Methods(post...)
	r.Handle("/admin/assignments/", trainers(s.assignmentList)).Methods(get...)
	r.Handle("/admin/assignments/", trainers(s.assignmentCreate)).Methods(post...)
	r.Handle("/admin/assignments/{id}/delete", trainers(s.assignmentRemove)).Methods(post...)
	r.Handle("/admin/reports/", trainers(s.reportShow)).Methods(get...)
	r.Handle("/admin/reports/overdue", trainers(s.reportOverdue)).Methods(get...)
	r.Handle("/admin/reports/items", trainers(s.reportItems)).Methods(get...)
	r.Handle("/admin/reports/completions.csv", trainers(s.reportCSV)).Methods(get...)
	r.Handle("/admin/reports/xapi.jsonl", trainers(s.reportXAPI)).Methods(get...)
}

// chain wraps h so that the first middleware listed runs first.
func chain(h http.Handler, mw ...func(http.Handler) http.Handler) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}
