package web

import (
	"net/http"
	"strings"

	"northstar/internal/auth"
)

// userCreate adds one account and shows its temporary password, once.
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) {
	me, _ := userFrom(r.Context())
	if !readForm(w, r) {
		return
	}
	acc := auth.Account{Email: strings.TrimSpace(r.PostForm.Get("email")), Name: strings.TrimSpace(r.PostForm.Get("name")),
		Department: r.PostForm.Get("department"), Role: r.PostForm.Get("role")}
	added, err := staffOf(r).admin().Add(r.Context(), me, acc, "added")
	if field, msg, ok := accountProblem(err); ok {
		s.renderUserForm(w, r, http.StatusBadRequest, userFormView{Form: acc, Field: field, Error: msg})
		return
	}
	if err != nil {
		s.serverError(w, r, "add user", err)
		return
	}
	s.renderApp(w, r, http.StatusOK, "user_added.html", map[string]any{"Added": []auth.Added{added}})
}
