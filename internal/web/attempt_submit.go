package web

import (
	"net/http"

	"github.com/gorilla/mux"
)

// maxAnswersBody caps a submitted attempt.
const maxAnswersBody = 64 << 10

// AttemptBody is what a learner submits: presented question id → chosen
// presented option ids.
type AttemptBody struct {
	Answers map[string][]string `json:"answers"`
}

// attemptSubmit answers POST /api/quizzes/{id}/attempts/{attempt} with the grade.
func (s *Server) attemptSubmit(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	u, _ := userFrom(r.Context())
	var body AttemptBody
	if !readJSON(w, r, maxAnswersBody, &body) {
		return
	}
	g, err := t.service().Submit(r.Context(), u, mux.Vars(r)["id"], mux.Vars(r)["attempt"], body.Answers)
	if err != nil {
		s.trainingError(w, r, err)
		return
	}
	s.metrics.Graded()
	writeStaffJSON(w, r, http.StatusOK, g)
}
