package web

import (
	"net/http"
)

// myTrainingShow is the learner's record: assigned modules by due date, then
// the ones for their department.
func (s *Server) myTrainingShow(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	u, _ := userFrom(r.Context())
	recs, err := t.service().Progress(r.Context(), u, t.Modules)
	if err != nil {
		s.serverError(w, r, "my training", err)
		return
	}
	s.renderApp(w, r, http.StatusOK, "my_training.html", map[string]any{"User": u, "Records": recs})
}
