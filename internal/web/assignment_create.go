package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"northstar/internal/store"
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
	form := map[string]string{
		"module":     r.PostForm.Get("module"),
		"department": r.PostForm.Get("department"),
		"email":      strings.TrimSpace(r.PostForm.Get("email")),
		"due":        r.PostForm.Get("due"),
	}
	fail := func(msg string) {
		s.renderAssignments(w, r, http.StatusBadRequest, assignmentsView{Error: msg, Form: form})
	}
	m, ok := t.Module(form["module"])
	if !ok {
		fail("Choose a module.")
		return
	}
	now := time.Now().UTC()
	due, err := training.DueDate(form["due"], now)
	if err != nil {
		fail("Due date: " + strings.TrimPrefix(err.Error(), training.ErrBadDate.Error()+": ") + ".")
		return
	}
	a := store.Assignment{Module: m.Slug, DueAt: due, AssignedBy: me.ID, CreatedAt: now}
	switch {
	case form["department"] != "" && form["email"] != "":
		fail("Assign to a department or to one person, not both.")
		return
	case form["department"] != "":
		if !slices.Contains(t.Departments, form["department"]) {
			fail("Choose a department from the list.")
			return
		}
		a.Department = form["department"]
	case form["email"] != "":
		u, err := t.Store.UserByEmail(r.Context(), form["email"])
		if errors.Is(err, store.ErrNotFound) {
			fail("No staff account has this email.")
			return
		}
		if err != nil {
			s.serverError(w, r, "create assignment", err)
			return
		}
		a.UserID = u.ID
	default:
		fail("Choose a department, or give a person's email.")
		return
	}
	if _, err := t.Store.CreateAssignment(r.Context(), a); err != nil {
		s.serverError(w, r, "create assignment", err)
		return
	}
	http.Redirect(w, r, "/admin/assignments/?done=added", http.StatusSeeOther)
}
