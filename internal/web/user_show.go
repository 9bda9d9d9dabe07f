package web

import (
	"errors"
	"net/http"

	"northstar/internal/auth"
)

type userShowView struct {
	User        auth.User
	History     []auth.UserChange
	Me          auth.User
	Departments []string
	Roles       []string
	Form        auth.Account // role and department as submitted, after an error
	Field       string
	Error       string
	Done        string
}

// userShow is one account: its details, the forms to change it, and its
// history.
func (s *Server) userShow(w http.ResponseWriter, r *http.Request) {
	id, ok := userID(w, r)
	if !ok {
		return
	}
	s.renderUser(w, r, http.StatusOK, id, userShowView{Done: userDone(r.URL.Query().Get("done"))})
}

// renderUser renders account id's page with v's message and form.
func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, status int, id int64, v userShowView) {
	t := staffOf(r)
	u, history, err := t.admin().History(r.Context(), id)
	if errors.Is(err, auth.ErrNoAccount) {
		http.Error(w, "There is no such account.", http.StatusNotFound)
		return
	}
	if err != nil {
		s.serverError(w, r, "show user", err)
		return
	}
	v.User, v.History, v.Departments, v.Roles = u, history, t.Departments, rolesByReach
	v.Me, _ = userFrom(r.Context())
	if v.Form.Role == "" {
		v.Form = auth.Account{Role: u.Role, Department: u.Department}
	}
	s.renderApp(w, r, status, "user_show.html", v)
}
