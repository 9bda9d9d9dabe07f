package web

import (
	"net/http"

	"northstar/internal/auth"
)

type userFormView struct {
	Form        auth.Account
	Field       string // the field the error is about
	Error       string
	Departments []string
	Roles       []string
}

// userNew is the form to add one account.
func (s *Server) userNew(w http.ResponseWriter, r *http.Request) {
	s.renderUserForm(w, r, http.StatusOK, userFormView{Form: auth.Account{Role: auth.RoleLearner}})
}

func (s *Server) renderUserForm(w http.ResponseWriter, r *http.Request, status int, v userFormView) {
	v.Departments, v.Roles = staffOf(r).Departments, rolesByReach
	s.renderApp(w, r, status, "user_new.html", v)
}
