package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// liveReloadEvents streams the state as server-sent events: once on connect,
// then on every change. EventSource reconnects by itself, and the page compares
// build ids, so a dropped stream loses nothing.
func (s *Server) liveReloadEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	// The server's WriteTimeout is for pages; a stream stays open.
	_ = rc.SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 1000\n\n")
	for {
		st, changed := s.live.state()
		data, _ := json.Marshal(st)
		fmt.Fprintf(w, "data: %s\n\n", data)
		if err := rc.Flush(); err != nil {
			return
		}
		select {
		case <-changed:
		case <-s.live.done:
			return
		case <-r.Context().Done():
			return
		}
	}
}
