package web

import "time"

// Observer is what the server tells a metrics collector (metrics.Metrics):
// route patterns and counts only, never a path, a query or an answer.
type Observer interface {
	Request(route, method string, status int, d time.Duration)
	Search(crisis, zero bool)
	Graded()
	Throttled()
	ReleaseServed(built time.Time)
}

// SetMetrics has the server report to o. Call it before the first Install.
func (s *Server) SetMetrics(o Observer) { s.metrics = o }

// noMetrics is the observer of a server without metrics.
type noMetrics struct{}

func (noMetrics) Request(string, string, int, time.Duration) {}
func (noMetrics) Search(bool, bool)                          {}
func (noMetrics) Graded()                                    {}
func (noMetrics) Throttled()                                 {}
func (noMetrics) ReleaseServed(time.Time)                    {}

// routeLabel is the route a request was served by, as a metric's label:
// its pattern, "page" for the site's pages, "unmatched" for none.
func routeLabel(note *routeNote) string {
	switch {
	case note.pattern == "":
		return "unmatched"
	case note.pattern == "/":
		return "page"
	}
	return note.pattern
}
