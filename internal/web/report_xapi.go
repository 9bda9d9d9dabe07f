package web

import (
	"net/http"

	"northstar/internal/xapi"
)

// reportXAPI streams every graded attempt as xAPI statements, one JSON
// object per line, for a learning record store.
func (s *Server) reportXAPI(w http.ResponseWriter, r *http.Request) {
	t := s.training.Load()
	w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="northstar-xapi.jsonl"`)
	w.Header().Set("Cache-Control", "no-store")
	if _, err := xapi.Export(r.Context(), t.Store, t.publicURL(r), t.xapiModules(), w); err != nil {
		// Headers are gone; the log tells, the truncated download shows.
		s.log.Error("xapi export", "request_id", RequestIDFrom(r.Context()), "err", err)
	}
}

func (t *Training) xapiModules() []xapi.Module {
	out := make([]xapi.Module, len(t.Modules))
	for i, m := range t.Modules {
		out[i] = xapi.Module{Title: m.Title, URL: m.URL, Quiz: m.QuizID}
	}
	return out
}
