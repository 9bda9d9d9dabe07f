package web

import (
	"net/http"
)

// myTrainingShow is the learner's record: assigned modules by due date, then
// the ones for their department; then each module's graded attempts, the
// latest first, each linked to its review; and their choice of reminders by
// email.
func (s *Server) myTrainingShow(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	u, _ := userFrom(r.Context())
	recs, err := t.service().Progress(r.Context(), u, t.Modules)
	if err != nil {
		s.serverError(w, r, "my training", err)
		return
	}
	graded := false
	for _, rec := range recs {
		graded = graded || len(rec.Graded) > 0
	}
	remind, err := t.reminders().Wanted(r.Context(), u.ID)
	if err != nil {
		s.serverError(w, r, "my training: reminders", err)
		return
	}
	s.renderApp(w, r, http.StatusOK, "my_training.html", map[string]any{"User": u, "Records": recs, "Graded": graded,
		"Reminders": remind, "Saved": r.URL.Query().Get("saved") == "reminders"})
}
