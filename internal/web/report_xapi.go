package web

import (
	"io"
	"net/http"

	"northstar/internal/xapi"
)

// reportXAPI streams every graded attempt as xAPI statements, one JSON
// object per line, for a learning record store.
func (s *Server) reportXAPI(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="northstar-xapi.jsonl"`)
	w.Header().Set("Cache-Control", "no-store")
	out := &writeCounter{w: w}
	_, err := xapi.Export(r.Context(), t.Store, t.publicURL(), t.Modules, out)
	switch {
	case err != nil && out.n == 0:
		w.Header().Del("Content-Disposition")
		s.serverError(w, r, "xapi export", err)
	case err != nil:
		// The download has begun: the log tells, the cut-off file shows.
		s.log.ErrorContext(r.Context(), "xapi export", "err", err)
	}
}

// writeCounter tells whether anything was written yet.
type writeCounter struct {
	w io.Writer
	n int64
}

func (c *writeCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
