package web

import (
	"net/http"
)

// myTrainingShow is the learner's record: assigned modules by due date, then
// the ones for their department; and their choice of reminders by email.
func (s *Server) myTrainingShow(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	u, _ := userFrom(r.Context())
	recs, err := t.service().Progress(r.Context(), u, t.Modules)
	if err != nil {
		s.serverError(w, r, "my training", err)
		return
	}
	remind, err := t.reminders().Wanted(r.Context(), u.ID)
	if err != nil {
		s.serverError(w, r, "my training: reminders", err)
		return
	}
	s.renderApp(w, r, http.StatusOK, "my_training.html", map[string]any{"User": u, "Records": recs,
		"Reminders": remind, "Saved": r.URL.Query().Get("saved") == "reminders"})
}
