package web

import (
	"errors"
	"net/http"

	"northstar/internal/reminder"
)

// remindersUpdate records the signed-in person's choice of reminders by
// email (yes or no), then shows My training again.
func (s *Server) remindersUpdate(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	u, _ := userFrom(r.Context())
	if !readForm(w, r) {
		return
	}
	err := t.reminders().Choose(r.Context(), u.ID, r.PostForm.Get("reminders"))
	switch {
	case err == nil:
		http.Redirect(w, r, "/training/my/?saved=reminders#reminders", http.StatusSeeOther)
	case errors.Is(err, reminder.ErrBadChoice):
		http.Error(w, "Choose Yes or No for reminders by email.", http.StatusBadRequest)
	default:
		s.serverError(w, r, "reminder choice", err)
	}
}
