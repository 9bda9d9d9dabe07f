package web

import (
	"errors"
	"net/http"

	"github.com/gorilla/mux"

	"northstar/internal/training"
)

type quizView struct {
	Module  training.Module
	Started training.Started
	Action  string
	Error   string
}

// quizShow starts an attempt and shows its questions as a form that works
// without JavaScript.
func (s *Server) quizShow(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	m, ok := t.Module(mux.Vars(r)["module"])
	if !ok || t.Quizzes[m.Quiz] == nil {
		s.renderApp(w, r, http.StatusNotFound, "message.html", map[string]any{"Title": "No such quiz", "Text": "This module has no quiz.", "LinkURL": "/training/", "LinkText": "All modules"})
		return
	}
	u, _ := userFrom(r.Context())
	started, err := t.service().Start(r.Context(), u, m.Quiz)
	if errors.Is(err, training.ErrTooManyAttempts) {
		s.renderApp(w, r, http.StatusTooManyRequests, "message.html", map[string]any{"Title": "Too many attempts today", "Alert": true,
			"Text": tooManyAttemptsText, "LinkURL": "/training/my/", "LinkText": "My training"})
		return
	}
	if err != nil {
		s.serverError(w, r, "start quiz", err)
		return
	}
	s.renderApp(w, r, http.StatusOK, "quiz.html", quizView{Module: m, Started: started, Action: m.URL + "quiz/"})
}
