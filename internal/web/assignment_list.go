package web

import (
	"net/http"
	"slices"

	"northstar/internal/training"
)

// assignmentRow is one assignment as the list shows it.
type assignmentRow struct {
	training.Assignment
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
	RemindAt    string // "" when no reminders go out
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
	list, err := t.service().AssignmentList(r.Context())
	if err != nil {
		s.serverError(w, r, "list assignments", err)
		return
	}
	for _, a := range list {
		row := assignmentRow{Assignment: a.Assignment, ModuleTitle: a.Module.Title, To: a.Department, By: a.AssignedBy.Name}
		if a.UserID != 0 {
			row.To = a.Person.Name + " (" + a.Person.Email + ")"
		}
		v.Rows = append(v.Rows, row)
	}
	v.Modules, v.Departments, v.RemindAt = t.Modules, slices.Clone(t.Departments), t.RemindAt
	if v.Form == nil {
		v.Form = map[string]string{}
	}
	s.renderApp(w, r, status, "assignments.html", v)
}
