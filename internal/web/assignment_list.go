package web

import (
	"net/http"
	"slices"

	"northstar/internal/store"
	"northstar/internal/training"
)

// assignmentRow is one assignment as the list shows it.
type assignmentRow struct {
	store.Assignment
	ModuleTitle string
	To          string // the department, or the person's name and email
	By          string
}

type assignmentsView struct {
	Rows        []assignmentRow
	Modules     []training.Module
	Departments []string
	Error       string
	Form        map[string]string
	Done        string
}

// assignmentList shows trainers every assignment and the form to add one.
func (s *Server) assignmentList(w http.ResponseWriter, r *http.Request) {
	s.renderAssignments(w, r, http.StatusOK, assignmentsView{Done: doneMessage(r.URL.Query().Get("done"))})
}

func doneMessage(key string) string {
	return map[string]string{
		"added":   "The assignment is saved. Staff see it in My training.",
		"removed": "The assignment is removed.",
	}[key]
}

func (s *Server) renderAssignments(w http.ResponseWriter, r *http.Request, status int, v assignmentsView) {
	t := staffOf(r)
	list, err := t.Store.Assignments(r.Context())
	if err != nil {
		s.serverError(w, r, "list assignments", err)
		return
	}
	users, err := t.Store.Users(r.Context())
	if err != nil {
		s.serverError(w, r, "list assignments", err)
		return
	}
	names := make(map[int64]store.User, len(users))
	for _, u := range users {
		names[u.ID] = u
	}
	for _, a := range list {
		m, _ := t.Module(a.Module)
		row := assignmentRow{Assignment: a, ModuleTitle: moduleTitle(m, a.Module), To: a.Department, By: names[a.AssignedBy].Name}
		if a.UserID != 0 {
			u := names[a.UserID]
			row.To = u.Name + " (" + u.Email + ")"
		}
		v.Rows = append(v.Rows, row)
	}
	v.Modules, v.Departments = t.Modules, slices.Clone(t.Departments)
	if v.Form == nil {
		v.Form = map[string]string{}
	}
	s.renderApp(w, r, status, "assignments.html", v)
}
