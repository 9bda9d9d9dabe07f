package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"northstar/internal/search"
)

// readyShow answers 200 only once the site is built and every store is open.
func (s *Server) readyShow(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	var err error
	switch g := generationOf(r); {
	case g == nil:
		err = errNoSite
	case g.rel.Search == nil:
		err = search.ErrNoIndex
	}
	if t := s.staffSide; err == nil && t != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if perr := t.Store.Ping(ctx); perr != nil {
			s.log.ErrorContext(r.Context(), "readiness: store", "err", perr)
			err = errors.New("database not reachable")
		}
	}
	if err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("not ready: " + err.Error() + "\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}
