package web

import (
	"net/http"
	"slices"

	"northstar/internal/quiz"
	"northstar/internal/training"
)

type itemRow struct {
	training.Item
	Prompt, CommonWrongText string
}

type itemsView struct {
	Quizzes  []*quiz.Quiz
	Quiz     *quiz.Quiz
	Attempts int
	Rows     []itemRow
	Error    string
}

// reportItems is the item analysis of one quiz: per question, the share who
// answer it right, how well it separates strong from weak candidates, and
// the wrong answer chosen most, with flags for questions to look at.
func (s *Server) reportItems(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	v := itemsView{Quizzes: moduleQuizzes(t)}
	id := r.URL.Query().Get("quiz")
	if id == "" && len(v.Quizzes) > 0 {
		id = v.Quizzes[0].ID
	}
	q, ok := t.Quizzes[id]
	if !ok {
		v.Error = "Choose a quiz from the list."
		s.renderApp(w, r, http.StatusBadRequest, "report_items.html", v)
		return
	}
	v.Quiz = q
	items, n, err := t.service().ItemAnalysis(r.Context(), id)
	if err != nil {
		s.serverError(w, r, "item analysis", err)
		return
	}
	v.Attempts = n
	prompts, options := map[string]string{}, map[string]string{}
	for _, qu := range q.Questions {
		prompts[qu.ID] = qu.Prompt
		for _, o := range qu.Options {
			options[qu.ID+"\x00"+o.ID] = o.Text
		}
	}
	for _, it := range items {
		row := itemRow{Item: it, Prompt: prompts[it.Question], CommonWrongText: it.CommonWrong}
		if text, ok := options[it.Question+"\x00"+it.CommonWrong]; ok {
			row.CommonWrongText = text
		}
		v.Rows = append(v.Rows, row)
	}
	s.renderApp(w, r, http.StatusOK, "report_items.html", v)
}

// moduleQuizzes are the quizzes of the release's modules, in module order:
// what the reports offer to choose from.
func moduleQuizzes(t *staffRelease) []*quiz.Quiz {
	var out []*quiz.Quiz
	for _, m := range t.Modules {
		if q, ok := t.Quizzes[m.Quiz]; ok && !slices.Contains(out, q) {
			out = append(out, q)
		}
	}
	return out
}
