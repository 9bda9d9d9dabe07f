package web

import (
	"net/http"

	"northstar/internal/auth"
)

type passwordView struct {
	Error  string
	Done   bool
	MinLen int
}

func (s *Server) passwordEdit(w http.ResponseWriter, r *http.Request) {
	s.renderApp(w, r, http.StatusOK, "password.html", passwordView{MinLen: auth.MinPasswordLen})
}
