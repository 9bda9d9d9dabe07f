package web

import (
	"net/http"

	"github.com/gorilla/mux"
)

// quizStart answers GET /api/quizzes/{id}: a new attempt, drawn on the server,
// with no answers and no explanations in it.
func (s *Server) quizStart(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	u, _ := userFrom(r.Context())
	started, err := t.service().Start(r.Context(), u, mux.Vars(r)["id"])
	if err != nil {
		s.trainingError(w, r, err)
		return
	}
	writeStaffJSON(w, r, http.StatusOK, started)
}
