package web

import (
	"errors"
	"net/http"

	"northstar/internal/auth"
)

// passwordUpdate changes the password and ends every session of the account.
func (s *Server) passwordUpdate(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	u, _ := userFrom(r.Context())
	if !readForm(w, r) {
		return
	}
	view := passwordView{MinLen: auth.MinPasswordLen}
	err := t.Sessions.ChangePassword(r.Context(), u, r.PostForm.Get("current"), r.PostForm.Get("new"))
	if wait, ok := s.retryLater(w, err); ok {
		view.Error = "Too many tries. Wait " + wait + " and try again."
		s.renderApp(w, r, http.StatusTooManyRequests, "password.html", view)
		return
	}
	switch {
	case errors.Is(err, auth.ErrBadCredentials):
		view.Error = "The current password is wrong."
		s.renderApp(w, r, http.StatusBadRequest, "password.html", view)
	case errors.Is(err, auth.ErrWeakPassword):
		view.Error = "The new password is too short or too long: " + err.Error()
		s.renderApp(w, r, http.StatusBadRequest, "password.html", view)
	case err != nil:
		s.serverError(w, r, "change password", err)
	default:
		t.clearSessionCookie(w, r)
		view.Done = true
		s.renderApp(w, r, http.StatusOK, "password.html", view)
	}
}
