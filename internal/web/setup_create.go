package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"northstar/internal/auth"
	"northstar/internal/store"
)

func (s *Server) setupCreate(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	if !readForm(w, r) {
		return
	}
	f := r.PostForm
	view := setupView{Token: f.Get("token"), Email: strings.TrimSpace(f.Get("email")), Name: strings.TrimSpace(f.Get("name")),
		Department: f.Get("department"), Departments: t.Departments, MinLen: auth.MinPasswordLen}
	if err := t.Sessions.SetupTry(r.Context(), t.clientIP(r)); err != nil {
		if wait, ok := retryLater(w, err); ok {
			view.Error = "Too many tries. Wait " + wait + " and try again."
			s.renderApp(w, r, http.StatusTooManyRequests, "setup.html", view)
			return
		}
		s.serverError(w, r, "count setup try", err)
		return
	}
	if !s.setupValid(r, view.Token) {
		s.setupGone(w, r)
		return
	}
	switch {
	case !slices.Contains(t.Departments, view.Department):
		view.Error = "Choose a department from the list."
	default:
		// The rules users add keeps, and the password's.
		err := auth.CheckAccount(auth.Account{Email: view.Email, Name: view.Name, Department: view.Department, Role: store.RoleAdmin}, t.Departments)
		if err == nil {
			err = auth.CheckNewPassword(f.Get("password"))
		}
		if err != nil {
			view.Error = sentence(err.Error())
		}
	}
	if view.Error == "" {
		// Checked before the link is spent, so a taken email can be corrected.
		if _, err := t.Store.UserByEmail(r.Context(), view.Email); err == nil {
			view.Error = "An account with this email exists. Use another email, or sign in with that account."
		}
	}
	if view.Error != "" {
		s.renderApp(w, r, http.StatusBadRequest, "setup.html", view)
		return
	}
	hash, err := auth.HashPassword(f.Get("password"))
	if wait, ok := retryLater(w, err); ok {
		view.Error = "The server is busy. Wait " + wait + " and try again."
		s.renderApp(w, r, http.StatusTooManyRequests, "setup.html", view)
		return
	}
	if err == nil && !t.Setup.Use(view.Token, time.Now()) {
		s.setupGone(w, r)
		return
	}
	var u store.User
	if err == nil {
		u, err = t.Store.CreateUser(r.Context(), store.User{Email: view.Email, Name: view.Name, Department: view.Department, Role: store.RoleAdmin, PasswordHash: hash})
	}
	var token string
	if err == nil {
		token, err = t.Sessions.Start(r.Context(), u.ID)
	}
	if err != nil {
		s.serverError(w, r, "create first admin", err)
		return
	}
	t.setSessionCookie(w, r, token)
	http.Redirect(w, r, "/training/my/", http.StatusSeeOther)
}
