package web

import (
	"net/http"
	"strings"
	"time"

	"northstar/internal/auth"
)

type setupView struct {
	Token, Email, Name, Department, Error string
	Departments                           []string
	MinLen                                int
}

func (s *Server) setupValid(r *http.Request, token string) bool {
	t := staffOf(r)
	if t.Setup == nil || !t.Setup.Valid(token, time.Now()) {
		return false
	}
	n, err := t.Store.CountAdmins(r.Context())
	return err == nil && n == 0
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
	if !s.setupValid(r, token) {
		s.setupGone(w, r)
		return
	}
	t := staffOf(r)
	s.renderApp(w, r, http.StatusOK, "setup.html", setupView{Token: token, Departments: t.Departments, MinLen: auth.MinPasswordLen})
}
