package web

import (
	"net/http"
	"sort"

	"northstar/internal/quiz"
)

// quizPreview shows trainers every quiz with its answer key.
func (s *Server) quizPreview(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	list := make([]*quiz.Quiz, 0, len(t.Quizzes))
	for _, q := range t.Quizzes {
		list = append(list, q)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	s.renderApp(w, r, http.StatusOK, "quiz_preview.html", map[string]any{"Quizzes": list})
}
