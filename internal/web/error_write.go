package web

import (
	"net/http"
	"strings"
)

// httpError answers with status and a message a person can read: as
// {"error": msg} under /api/, where clients read JSON, and as text
// elsewhere. Every refusal made before a handler runs (middleware, the
// router, cross-origin protection) goes through it, so no address answers
// an API client with a page.
func httpError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeStaffJSON(w, r, status, map[string]string{"error": msg})
		return
	}
	http.Error(w, msg, status)
}

// msgOurSide is what a person is told when the server failed them.
const msgOurSide = "Something went wrong on our side. Please try again."

// serverError logs err with what was being done and the request id, and
// answers 500 without details. A handler whose error may quote what the
// user typed (search) logs the error's type itself and calls httpError.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.log.Error(what, "request_id", RequestIDFrom(r.Context()), "err", err)
	httpError(w, r, http.StatusInternalServerError, msgOurSide)
}
