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
