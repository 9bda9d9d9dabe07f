package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gorilla/mux"

	"northstar/internal/training"
)

// attemptReview shows a graded attempt again: each question drawn as the
// learner saw it, their choice and, as far as the quiz's review key allows
// (all of it for trainers and admins), whether it was right, the right
// answer and the explanation. It reads what is stored and writes nothing.
func (s *Server) attemptReview(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	u, _ := userFrom(r.Context())
	rev, err := t.service().Review(r.Context(), u, mux.Vars(r)["id"])
	switch {
	case errors.Is(err, training.ErrNoAttempt):
		s.renderApp(w, r, http.StatusNotFound, "message.html", map[string]any{"Title": "No such attempt",
			"Text": "There is no graded attempt of yours at this address.", "LinkURL": "/training/my/", "LinkText": "My training"})
		return
	case errors.Is(err, training.ErrNotGraded):
		s.renderApp(w, r, http.StatusConflict, "message.html", map[string]any{"Title": "This attempt is not submitted yet", "Alert": true,
			"Text": "Submit your answers first: then you can look back at them here.", "LinkURL": "/training/my/", "LinkText": "My training"})
		return
	case err != nil:
		s.serverError(w, r, "review attempt", err)
		return
	}
	s.renderApp(w, r, http.StatusOK, "attempt_review.html", rev)
}

// reviewURL is the address of an attempt's review.
func reviewURL(attempt string) string {
	return "/training/attempts/" + url.PathEscape(attempt) + "/review"
}
