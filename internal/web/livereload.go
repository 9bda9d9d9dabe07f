package web

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// LiveReload is the page side of `northstar serve --watch`: it tells open pages
// that the site was rebuilt, so they reload, or why the last change did not
// build, so they show it. Only a server given one (SetLiveReload) adds its
// script to pages and answers under /_northstar/: a server without one serves
// the built pages untouched, with no extra script.
type LiveReload struct {
	mu       sync.Mutex
	run      int64 // tells this process's builds from an earlier run's
	builds   int
	problems []string
	// changed is closed, and replaced, on every change of state.
	changed chan struct{}
	done    chan struct{}
	once    sync.Once
}

// liveState is what a page learns from the event stream: the build it should
// show, and the problems of the last change, if it failed.
type liveState struct {
	Build    string   `json:"build"`
	Problems []string `json:"problems"`
}

// NewLiveReload returns a LiveReload for the build being served.
func NewLiveReload() *LiveReload {
	return &LiveReload{run: time.Now().UnixNano(), changed: make(chan struct{}), done: make(chan struct{})}
}

// Rebuilt says a new build is being served: open pages reload.
func (l *LiveReload) Rebuilt() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.builds++
	l.problems = nil
	l.notify()
}

// Failed says the last change did not build, with one "file:line: message" per
// problem. The last good build is still served; open pages show the problems.
func (l *LiveReload) Failed(problems []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.problems = append([]string(nil), problems...)
	l.notify()
}

// Close ends the event streams, so a shutting-down server need not wait for them.
func (l *LiveReload) Close() { l.once.Do(func() { close(l.done) }) }

func (l *LiveReload) notify() {
	close(l.changed)
	l.changed = make(chan struct{})
}

func (l *LiveReload) state() (liveState, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := liveState{Build: fmt.Sprintf("%x-%d", l.run, l.builds), Problems: l.problems}
	if st.Problems == nil {
		st.Problems = []string{}
	}
	return st, l.changed
}

// SetLiveReload turns on live reload. Call it before Handler.
func (s *Server) SetLiveReload(l *LiveReload) { s.live = l }

const (
	livePrefix   = "/_northstar/"
	liveEvents   = livePrefix + "livereload"
	liveScript   = livePrefix + "livereload.js"
	liveStyle    = livePrefix + "livereload.css"
	liveProblems = "northstar-build-problems"
)

// liveReloadRoutes mounts the event stream, script and style, only when live
// reload is on.
type liveRoute struct {
	methods []string
	path    string
	h       http.HandlerFunc
}

// liveReloadRoutes are the routes serve --watch adds.
func (s *Server) liveReloadRoutes() []liveRoute {
	if s.live == nil {
		return nil
	}
	return []liveRoute{
		{[]string{http.MethodGet}, liveEvents, s.liveReloadEvents},
		{get, liveScript, serveLiveAsset("text/javascript; charset=utf-8", liveReloadJS)},
		{get, liveStyle, serveLiveAsset("text/css; charset=utf-8", liveReloadCSS)},
	}
}

// injectLiveReload adds the live-reload script and style to every HTML page
// and, while the last change fails to build, a box listing its problems,
// readable without JavaScript. Without live reload it returns next as is.
func (s *Server) injectLiveReload(next http.Handler) http.Handler {
	if s.live == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, livePrefix) || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		// A page is rewritten whole: ask the handlers for all of it,
		// uncompressed, and never for a 304 that would keep an old page.
		r = r.Clone(r.Context())
		for _, k := range []string{"Accept-Encoding", "Range", "If-Range", "If-Modified-Since", "If-None-Match"} {
			r.Header.Del(k)
		}
		// Read before the page is: a build swapped in meanwhile makes the
		// page reload once more, never keep an old build.
		st, _ := s.live.state()
		iw := &injectWriter{ResponseWriter: w}
		next.ServeHTTP(iw, r)
		if iw.page == nil {
			return
		}
		body := injectPage(iw.page.Bytes(), st)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(iw.status)
		_, _ = w.Write(body)
	})
}

// injectWriter holds back an HTML response so a script can be added to it;
// other responses pass straight through.
type injectWriter struct {
	http.ResponseWriter
	decided bool
	status  int
	page    *bytes.Buffer
}

func (w *injectWriter) WriteHeader(code int) {
	if w.decided {
		return
	}
	w.decided = true
	h := w.Header()
	if strings.HasPrefix(h.Get("Content-Type"), "text/html") && h.Get("Content-Encoding") == "" && code != http.StatusNotModified {
		w.status, w.page = code, &bytes.Buffer{}
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *injectWriter) Write(b []byte) (int, error) {
	if !w.decided {
		w.WriteHeader(http.StatusOK)
	}
	if w.page != nil {
		return w.page.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *injectWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// injectPage adds the script and style before </head> and, when the last change
// failed, the problems box at the start of <body>.
func injectPage(page []byte, st liveState) []byte {
	head := fmt.Sprintf(`<link rel="stylesheet" href="%s"><script src="%s" data-build="%s" defer></script>`,
		liveStyle, liveScript, html.EscapeString(st.Build))
	var box string
	if len(st.Problems) > 0 {
		var lines []string
		for _, p := range st.Problems {
			lines = append(lines, html.EscapeString(p))
		}
		box = fmt.Sprintf(`<div id="%s" class="%s" role="alert"><p><strong>%s</strong> %s</p><pre>%s</pre></div>`,
			liveProblems, liveProblems, problemsTitle, problemsHelp, strings.Join(lines, "\n"))
	}
	out := make([]byte, 0, len(page)+len(head)+len(box))
	i := bytes.Index(page, []byte("</head>"))
	if i < 0 {
		i = 0
	}
	out = append(out, page[:i]...)
	out = append(out, head...)
	rest := page[i:]
	if box != "" {
		j := bytes.Index(rest, []byte("<body"))
		if k := bytes.IndexByte(rest[max(j, 0):], '>'); j >= 0 && k >= 0 {
			j += k + 1
		} else {
			j = 0
		}
		out = append(out, rest[:j]...)
		out = append(out, box...)
		rest = rest[j:]
	}
	return append(out, rest...)
}

// The problems box's words, shared with the script that redraws it.
const (
	problemsTitle = "The last change did not build."
	problemsHelp  = "This is the last version that did. Fix the file and save it: the page reloads by itself."
)
