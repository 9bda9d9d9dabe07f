package web

import (
	"net/http"
)

// myTrainingAPI answers GET /api/me/training.
func (s *Server) myTrainingAPI(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	u, _ := userFrom(r.Context())
	recs, err := t.service().Progress(r.Context(), u, t.Modules)
	if err != nil {
		s.trainingError(w, r, err)
		return
	}
	writeStaffJSON(w, r, http.StatusOK, map[string]any{"modules": recs})
}
