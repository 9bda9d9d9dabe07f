package web

import (
	"net/http"
	"strings"

	"northstar/internal/auth"
)

type setupView struct {
	Token, Email, Name, Department, Error string
	Departments                           []string
	MinLen                                int
}

// sentence makes a rule's message a sentence: capital first, full stop.
func sentence(msg string) string {
	if msg == "" {
		return msg
	}
	r := []rune(msg)
	out := strings.ToUpper(string(r[0])) + string(r[1:])
	if !strings.HasSuffix(out, ".") {
		out += "."
	}
	return out
}

func (s *Server) setupGone(w http.ResponseWriter, r *http.Request) {
	s.renderApp(w, r, http.StatusNotFound, "message.html", map[string]any{
		"Title": "This link does not work", "Alert": true,
		"Text": "The setup link has expired, was already used, or an administrator exists. Ask an administrator for an account.",
	})
}

// setupShow is the first-admin form, reached by the link serve prints.
func (s *Server) setupShow(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	t := staffOf(r)
	if !t.Sessions.SetupOpen(r.Context(), t.Setup, token) {
		s.setupGone(w, r)
		return
	}
	s.renderApp(w, r, http.StatusOK, "setup.html", setupView{Token: token, Departments: t.Departments, MinLen: auth.MinPasswordLen})
}
