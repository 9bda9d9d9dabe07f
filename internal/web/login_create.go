package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"northstar/internal/auth"
)

// loginCreate signs in: limited per account and per address, one answer for
// a wrong email or a wrong password.
func (s *Server) loginCreate(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	if !readForm(w, r) {
		return
	}
	email := strings.ToLower(strings.TrimSpace(r.PostForm.Get("email")))
	view := loginView{Email: email, Next: SafeNext(r.PostForm.Get("next"))}
	if len(view.Email) > auth.MaxEmailLen {
		view.Email = ""
	}
	token, _, err := t.Sessions.SignIn(r.Context(), email, r.PostForm.Get("password"), t.clientIP(r))
	if wait, ok := s.retryLater(w, err); ok {
		view.Error = "Too many sign-ins were tried. Wait " + wait + " and try again."
		s.renderLogin(w, r, http.StatusTooManyRequests, view)
		return
	}
	switch {
	case errors.Is(err, auth.ErrBadCredentials):
		view.Error = "The email or the password is wrong."
		s.renderLogin(w, r, http.StatusUnauthorized, view)
		return
	case errors.Is(err, auth.ErrPasswordsOff):
		view.Error = "This account signs in with your City account, not a password."
		s.renderLogin(w, r, http.StatusForbidden, view)
		return
	case err != nil:
		s.serverError(w, r, "sign in", err)
		return
	}
	t.setSessionCookie(w, r, token)
	http.Redirect(w, r, view.Next, http.StatusSeeOther)
}

// retryLater tells whether err means "try again later" (used-up limits,
// or too many password checks at once); then it sets Retry-After and
// returns the wait in words, for the page.
func (s *Server) retryLater(w http.ResponseWriter, err error) (string, bool) {
	seconds := 0
	if le, ok := auth.IsLimited(err); ok {
		seconds = le.RetryAfter(time.Now())
	} else if errors.Is(err, auth.ErrBusy) {
		seconds = 2
	} else {
		return "", false
	}
	s.metrics.Throttled()
	w.Header().Set("Retry-After", strconv.Itoa(seconds))
	return waitText(seconds), true
}

// waitText says a wait in words: "a few seconds", "15 minutes".
func waitText(seconds int) string {
	if seconds < 60 {
		return "a few seconds"
	}
	m := (seconds + 59) / 60
	if m == 1 {
		return "a minute"
	}
	return strconv.Itoa(m) + " minutes"
}
