package web

import (
	"errors"
	"fmt"
	"net/http"

	"northstar/internal/search"
)

// searchAPI answers GET /api/search with JSON. Queries never reach the log.
func (s *Server) searchAPI(w http.ResponseWriter, r *http.Request) {
	g := generationOf(r)
	if g == nil {
		writeJSON(w, r, http.StatusServiceUnavailable, map[string]string{"error": "Search is starting. Please try again in a moment."})
		return
	}
	q, err := searchParams(r, "en")
	if err == nil {
		var res search.Result
		res, err = s.search(r, g, q)
		if err == nil {
			writeJSON(w, r, http.StatusOK, res)
			return
		}
	}
	switch {
	case search.IsBadQuery(err):
		writeJSON(w, r, http.StatusBadRequest, map[string]string{"error": err.Error()})
	case errors.Is(err, search.ErrNoIndex):
		writeJSON(w, r, http.StatusServiceUnavailable, map[string]string{"error": "Search is starting. Please try again in a moment."})
	default:
		// The error may quote the query, so only its type reaches the log.
		s.log.ErrorContext(r.Context(), "search failed", "err_type", fmt.Sprintf("%T", err))
		writeJSON(w, r, http.StatusInternalServerError, map[string]string{"error": "Search failed on our side. Please try again."})
	}
}

// search runs q on the index of the request's release.
func (s *Server) search(r *http.Request, g *generation, q search.Query) (search.Result, error) {
	if g.rel.Search == nil {
		return search.Result{}, search.ErrNoIndex
	}
	res, err := s.searches.Search(r.Context(), g.rel.Search, q, g.rel.Setup.Vocabulary, g.rel.Setup.Synonyms)
	if err == nil {
		s.metrics.Search(res.Crisis != nil, res.Total == 0)
	}
	return res, err
}
