package web

import (
	"errors"
	"net/http"

	"github.com/gorilla/mux"

	"northstar/internal/quiz"
	"northstar/internal/training"
)

// maxAnswersBody caps a submitted attempt.
const maxAnswersBody = 64 << 10

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
	writeStaffJSON(w, r, http.StatusOK, g)
}

// writeStaffJSON is writeJSON, uncompressed, for the staff API: its answers
// are a few kilobytes for one signed-in learner, and compressing each graded
// attempt and each drawn quiz cost a fifth of the server's CPU under load
// (bench/: 1,838 → 2,304 attempts/s on SQLite without it). The public search
// API, read on residents' phones, stays compressed.
func writeStaffJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	sendJSON(w, r, status, v, false)
}

// tooManyAttemptsText is what a learner reads past training.MaxStartsPerDay.
const tooManyAttemptsText = "You started this quiz many times today. Please come back tomorrow."

// quizChangedText is what a learner reads when the quiz was republished
// without a question of their attempt.
const quizChangedText = "This quiz was changed since you started it. Please start it again."

// trainingError turns the training rules' errors into statuses; nothing about
// the answers reaches the log.
func (s *Server) trainingError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, training.ErrNoQuiz):
		writeStaffJSON(w, r, http.StatusNotFound, map[string]string{"error": "There is no such quiz."})
	case errors.Is(err, training.ErrNoAttempt):
		writeStaffJSON(w, r, http.StatusNotFound, map[string]string{"error": "There is no such attempt."})
	case errors.Is(err, quiz.ErrBadAnswer):
		writeStaffJSON(w, r, http.StatusBadRequest, map[string]string{"error": err.Error()})
	case errors.Is(err, quiz.ErrQuizChanged):
		writeStaffJSON(w, r, http.StatusConflict, map[string]string{"error": quizChangedText})
	case errors.Is(err, training.ErrTooManyAttempts):
		w.Header().Set("Retry-After", "3600")
		writeStaffJSON(w, r, http.StatusTooManyRequests, map[string]string{"error": tooManyAttemptsText})
	default:
		s.serverError(w, r, "quiz", err)
	}
}

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
