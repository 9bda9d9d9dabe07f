package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"northstar/internal/search"
)

// searchAPI answers GET /api/search with JSON. Queries never reach the log.
func (s *Server) searchAPI(w http.ResponseWriter, r *http.Request) {
	setup := s.search.setup.Load()
	if setup == nil {
		writeJSON(w, r, http.StatusServiceUnavailable, map[string]string{"error": "Search is starting. Please try again in a moment."})
		return
	}
	q, err := searchParams(r, "en")
	if err == nil {
		var res search.Result
		res, err = s.search.holder.Search(r.Context(), q, setup.Vocabulary, setup.Synonyms)
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
		s.log.Error("search failed", "request_id", RequestIDFrom(r.Context()), "err_type", fmt.Sprintf("%T", err))
		writeJSON(w, r, http.StatusInternalServerError, map[string]string{"error": "Search failed on our side. Please try again."})
	}
}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	sendJSON(w, r, status, v, true)
}

// sendJSON writes v as a JSON answer that is never stored, gzipped when
// compress is set and the client accepts it.
func sendJSON(w http.ResponseWriter, r *http.Request, status int, v any, compress bool) {
	b, err := json.Marshal(v)
	if err != nil {
		httpError(w, r, http.StatusInternalServerError, msgOurSide)
		return
	}
	const ctype = "application/json; charset=utf-8"
	if compress {
		writeDynamic(w, r, status, ctype, b)
		return
	}
	writeNoStore(w, r, status, ctype, b, false)
}
