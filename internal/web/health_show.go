package web

import (
	"net/http"
)

// healthShow answers as long as the process can serve requests at all.
func (s *Server) healthShow(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}
