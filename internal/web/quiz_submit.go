package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"northstar/internal/quiz"
	"northstar/internal/training"
)

type resultView struct {
	Module   training.Module
	Graded   training.Result
	PassMark int
	Action   string
	// Attempt is the attempt graded, for the link to its review.
	Attempt string
}

// quizSubmit grades the form and shows each answer with its explanation.
func (s *Server) quizSubmit(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	m, ok := t.Module(mux.Vars(r)["module"])
	if !ok || t.Quizzes[m.Quiz] == nil {
		http.Error(w, "This module has no quiz.", http.StatusNotFound)
		return
	}
	u, _ := userFrom(r.Context())
	r.Body = http.MaxBytesReader(w, r.Body, maxAnswersBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The answers could not be read.", http.StatusBadRequest)
		return
	}
	attempt := r.PostForm.Get("attempt")
	answers := map[string][]string{}
	for key, vals := range r.PostForm {
		if id, ok := strings.CutPrefix(key, "q."); ok {
			answers[id] = vals
		}
	}
	svc := t.service()
	g, err := svc.Submit(r.Context(), u, m.Quiz, attempt, answers)
	switch {
	case errors.Is(err, training.ErrNoAttempt):
		s.renderApp(w, r, http.StatusNotFound, "message.html", map[string]any{"Title": "This attempt was not found", "Alert": true,
			"Text": "Start the quiz again.", "LinkURL": m.URL + "quiz/", "LinkText": "Start the quiz"})
		return
	case errors.Is(err, quiz.ErrBadAnswer):
		started, _, rerr := svc.Resume(r.Context(), u, m.Quiz, attempt)
		if rerr == nil {
			s.renderApp(w, r, http.StatusBadRequest, "quiz.html", quizView{Module: m, Started: started, Action: m.URL + "quiz/",
				Error: "Some answers did not fit the questions. Please answer again."})
			return
		}
		err = rerr
	}
	if errors.Is(err, quiz.ErrQuizChanged) {
		s.renderApp(w, r, http.StatusConflict, "message.html", map[string]any{"Title": "This quiz was changed", "Alert": true,
			"Text": quizChangedText, "LinkURL": m.URL + "quiz/", "LinkText": "Start the quiz"})
		return
	}
	if err != nil {
		s.serverError(w, r, "grade quiz", err)
		return
	}
	s.metrics.Graded()
	s.renderApp(w, r, http.StatusOK, "quiz_result.html", resultView{Module: m, Graded: g, PassMark: t.Quizzes[m.Quiz].PassMark, Action: m.URL + "quiz/",
		Attempt: attempt})
}
