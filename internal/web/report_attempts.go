package web

import (
	"net/http"
	"net/url"
	"strconv"

	"northstar/internal/quiz"
	"northstar/internal/training"
)

// attemptsPageSize bounds one page of a quiz's attempts.
const attemptsPageSize = 100

type attemptsView struct {
	Quizzes          []*quiz.Quiz
	Quiz             *quiz.Quiz
	Lines            []training.AttemptLine
	Total, From, To  int
	PrevURL, NextURL string
	Error            string
}

// reportAttempts lists one quiz's graded attempts, the latest first, a page
// at a time, each linked to its review: the way for trainers to open an
// attempt. It names people as the overdue report does (name, department).
func (s *Server) reportAttempts(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	v := attemptsView{Quizzes: moduleQuizzes(t)}
	q := r.URL.Query()
	id := q.Get("quiz")
	if id == "" && len(v.Quizzes) > 0 {
		id = v.Quizzes[0].ID
	}
	page, err := strconv.Atoi(q.Get("page"))
	if q.Get("page") == "" {
		page, err = 1, nil
	}
	v.Quiz = t.Quizzes[id]
	switch {
	case v.Quiz == nil:
		v.Error = "Choose a quiz from the list."
	case err != nil || page < 1 || page > 1_000_000:
		v.Error = "The page number is not valid."
	}
	if v.Error != "" {
		s.renderApp(w, r, http.StatusBadRequest, "report_attempts.html", v)
		return
	}
	offset := (page - 1) * attemptsPageSize
	v.Lines, v.Total, err = t.service().QuizAttempts(r.Context(), id, offset, attemptsPageSize)
	if err != nil {
		s.serverError(w, r, "quiz attempts", err)
		return
	}
	v.From, v.To = offset+1, offset+len(v.Lines)
	link := func(p int) string {
		return "/admin/reports/attempts?" + url.Values{"quiz": {id}, "page": {strconv.Itoa(p)}}.Encode()
	}
	if page > 1 {
		v.PrevURL = link(page - 1)
	}
	if v.To < v.Total && len(v.Lines) > 0 {
		v.NextURL = link(page + 1)
	}
	s.renderApp(w, r, http.StatusOK, "report_attempts.html", v)
}
