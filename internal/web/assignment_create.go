package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"northstar/internal/store"
)

// assignmentCreate saves an assignment of a module to a department or to one
// person (by email) with a due date.
func (s *Server) assignmentCreate(w http.ResponseWriter, r *http.Request) {
	t := s.training.Load()
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
	m, ok := t.module(form["module"])
	if !ok {
		fail("Choose a module.")
		return
	}
	day, err := time.ParseInLocation("2006-01-02", form["due"], cityTime)
	if err != nil {
		fail("Give the due date as a date, like 2027-01-31.")
		return
	}
	// Due by the end of that day in Minneapolis (midnight, daylight saving
	// or not), stored in UTC.
	due := day.AddDate(0, 0, 1).Add(-time.Second).UTC()
	now := time.Now().UTC()
	if due.Before(now) {
		fail("The due date has passed. Choose a later date.")
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
