package web

import (
	"errors"
	"net/http"
	"strings"

	"northstar/internal/training"
)

// assignmentCreate saves an assignment of a module to a department or to one
// person (by email) with a due date.
func (s *Server) assignmentCreate(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	me, _ := userFrom(r.Context())
	if !readForm(w, r) {
		return
	}
	req := training.AssignRequest{Module: r.PostForm.Get("module"), Department: r.PostForm.Get("department"),
		Email: strings.TrimSpace(r.PostForm.Get("email")), Due: r.PostForm.Get("due")}
	_, err := t.service().Assign(r.Context(), me, req)
	msg := ""
	switch {
	case err == nil:
		http.Redirect(w, r, "/admin/assignments/?done=added", http.StatusSeeOther)
		return
	case errors.Is(err, training.ErrNoModule):
		msg = "Choose a module."
	case errors.Is(err, training.ErrBadDate):
		msg = "Due date: " + strings.TrimPrefix(err.Error(), training.ErrBadDate.Error()+": ") + "."
	case errors.Is(err, training.ErrTwoAssignees):
		msg = "Assign to a department or to one person, not both."
	case errors.Is(err, training.ErrNoDepartment):
		msg = "Choose a department from the list."
	case errors.Is(err, training.ErrNoPerson):
		msg = "No staff account has this email."
	case errors.Is(err, training.ErrNoAssignee):
		msg = "Choose a department, or give a person's email."
	default:
		s.serverError(w, r, "create assignment", err)
		return
	}
	form := map[string]string{"module": req.Module, "department": req.Department, "email": req.Email, "due": req.Due}
	s.renderAssignments(w, r, http.StatusBadRequest, assignmentsView{Error: msg, Form: form})
}
