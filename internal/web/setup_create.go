package web

import (
	"errors"
	"net/http"
	"strings"

	"northstar/internal/auth"
)

// setupCreate makes the first admin's account from the setup form and
// signs them in.
func (s *Server) setupCreate(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	if !readForm(w, r) {
		return
	}
	f := r.PostForm
	view := setupView{Token: f.Get("token"), Email: strings.TrimSpace(f.Get("email")), Name: strings.TrimSpace(f.Get("name")),
		Department: f.Get("department"), Departments: t.Departments, MinLen: auth.MinPasswordLen}
	token, _, err := t.Sessions.CreateFirstAdmin(r.Context(), t.Setup, view.Token,
		auth.Account{Email: view.Email, Name: view.Name, Department: view.Department}, f.Get("password"), t.Departments, t.clientIP(r))
	var invalid *auth.InvalidError
	var department *auth.UnknownDepartmentError
	status := http.StatusBadRequest
	switch {
	case err == nil:
		t.setSessionCookie(w, r, token)
		http.Redirect(w, r, "/training/my/", http.StatusSeeOther)
		return
	case errors.Is(err, auth.ErrSetupGone):
		s.setupGone(w, r)
		return
	case errors.As(err, &department):
		view.Error = "Choose a department from the list."
	case errors.As(err, &invalid):
		view.Error = sentence(invalid.Error())
	case errors.Is(err, auth.ErrEmailTaken):
		view.Error = "An account with this email exists. Use another email, or sign in with that account."
	default:
		wait, ok := s.retryLater(w, err)
		if !ok {
			s.serverError(w, r, "create first admin", err)
			return
		}
		status = http.StatusTooManyRequests
		view.Error = "The server is busy. Wait " + wait + " and try again."
		if _, limited := auth.IsLimited(err); limited {
			view.Error = "Too many tries. Wait " + wait + " and try again."
		}
	}
	s.renderApp(w, r, status, "setup.html", view)
}
