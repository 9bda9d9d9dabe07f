package web

import (
	"errors"
	"net/http"
	"strings"

	"northstar/internal/auth"
)

type loginView struct{ Email, Next, Error string }

// loginShow renders the sign-in form.
func (s *Server) loginShow(w http.ResponseWriter, r *http.Request) {
	s.renderApp(w, r, http.StatusOK, "login.html", loginView{Next: localPath(r.URL.Query().Get("next"))})
}

// loginCreate signs in: throttled per account and per address, one answer for
// a wrong email or a wrong password.
func (s *Server) loginCreate(w http.ResponseWriter, r *http.Request) {
	t := s.training.Load()
	if !readForm(w, r) {
		return
	}
	email := strings.ToLower(strings.TrimSpace(r.PostForm.Get("email")))
	view := loginView{Email: email, Next: localPath(r.PostForm.Get("next"))}
	ip := "ip:" + t.clientIP(r)
	if !t.AccountLimit.Allow("email:"+email) || !t.AddressLimit.Allow(ip) {
		view.Error = "Too many failed sign-ins. Wait 15 minutes and try again."
		s.renderApp(w, r, http.StatusTooManyRequests, "login.html", view)
		return
	}
	token, _, err := t.Sessions.SignIn(r.Context(), email, r.PostForm.Get("password"))
	switch {
	case errors.Is(err, auth.ErrBadCredentials):
		t.AccountLimit.Fail("email:" + email)
		t.AddressLimit.Fail(ip)
		view.Error = "The email or the password is wrong."
		s.renderApp(w, r, http.StatusUnauthorized, "login.html", view)
		return
	case err != nil:
		s.log.Error("sign in", "request_id", RequestIDFrom(r.Context()), "err", err)
		http.Error(w, "Something went wrong on our side. Please try again.", http.StatusInternalServerError)
		return
	}
	t.AccountLimit.Reset("email:" + email)
	t.setSessionCookie(w, r, token)
	http.Redirect(w, r, view.Next, http.StatusSeeOther)
}

// logoutCreate ends the session and clears the cookie.
func (s *Server) logoutCreate(w http.ResponseWriter, r *http.Request) {
	t := s.training.Load()
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := t.Sessions.SignOut(r.Context(), c.Value); err != nil {
			s.log.Error("sign out", "request_id", RequestIDFrom(r.Context()), "err", err)
		}
	}
	t.clearSessionCookie(w, r)
	http.Redirect(w, r, "/training/", http.StatusSeeOther)
}
