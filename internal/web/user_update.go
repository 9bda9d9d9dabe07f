package web

import (
	"errors"
	"net/http"
	"strconv"

	"northstar/internal/auth"
)

// userUpdate changes an account's role and department.
func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := userID(w, r)
	if !ok || !readForm(w, r) {
		return
	}
	me, _ := userFrom(r.Context())
	role, dept := r.PostForm.Get("role"), r.PostForm.Get("department")
	_, err := staffOf(r).admin().Change(r.Context(), me, id, role, dept)
	s.afterUserChange(w, r, id, "changed", err, userShowView{Form: auth.Account{Role: role, Department: dept}})
}

// afterUserChange answers a change to account id: back to its page when it
// was made, the page with the reason when refused.
func (s *Server) afterUserChange(w http.ResponseWriter, r *http.Request, id int64, done string, err error, v userShowView) {
	if errors.Is(err, auth.ErrNoAccount) {
		http.Error(w, "There is no such account.", http.StatusNotFound)
		return
	}
	if field, msg, ok := accountProblem(err); ok {
		v.Field, v.Error = field, msg
		s.renderUser(w, r, http.StatusBadRequest, id, v)
		return
	}
	if err != nil {
		s.serverError(w, r, "change user", err)
		return
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
}
