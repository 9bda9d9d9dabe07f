package web

import (
	"net/http"

	"northstar/internal/auth"
)

type loginView struct {
	Email, Next, Error string
	// SSO is set when staff sign in with their City account; Passwords
	// when some may still use a password here.
	SSO, Passwords bool
}

// loginShow renders the sign-in page: the City account first, when set up.
func (s *Server) loginShow(w http.ResponseWriter, r *http.Request) {
	s.renderLogin(w, r, http.StatusOK, loginView{Next: SafeNext(r.URL.Query().Get("next"))})
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, v loginView) {
	t := staffOf(r)
	v.SSO = t.SSO != nil
	v.Passwords = t.Sessions.Passwords != auth.PasswordsNone
	s.renderApp(w, r, status, "login.html", v)
}
