// Package web is Northstar's HTTP side: the router, the middleware every response
// passes through, and the handlers. It serves the built site and, in later
// issues, the API, on one port.
package web

import (
	"log/slog"
	"net/http"

	"github.com/gorilla/mux"
)

// Server holds the handlers' dependencies.
type Server struct {
	log    *slog.Logger
	site   *siteFiles
	search searchState
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
	r.PathPrefix("/").HandlerFunc(s.pageShow)
	return chain(r,
		s.recoverPanics,
		requestID,
		s.logRequests,
		securityHeaders,
	)
}

// chain wraps h so that the first middleware listed runs first.
func chain(h http.Handler, mw ...func(http.Handler) http.Handler) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}
