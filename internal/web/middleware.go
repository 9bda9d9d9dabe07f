package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gorilla/mux"
)

// contentSecurityPolicy allows only this origin's own files: no inline script,
// no third-party anything, no framing.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

const permissionsPolicy = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), " +
	"microphone=(), payment=(), usb=(), browsing-topics=()"

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Permissions-Policy", permissionsPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		// Nothing is kept by default, redirects included (a cached 301 to
		// /search/?q=… would be a trace on a shared phone); the site's
		// fingerprinted files say otherwise (cacheControl).
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

type ctxKey int

const requestIDKey ctxKey = iota

func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id := hex.EncodeToString(b[:])
		w.Header().Set("X-Request-ID", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey, id)))
	})
}

// RequestIDFrom returns the request's ID, or "".
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// statusRecorder remembers what a handler wrote, for the access log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// logRequests writes one line per request. It logs the path only: query strings
// can hold what a reader searched for, and never reach the log; a path
// with variables is logged as its route's template.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		route := &routeNote{}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), routeNoteKey{}, route)))
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		took := time.Since(start)
		s.metrics.Request(routeLabel(route), r.Method, rec.status, took)
		path := logPath(r.URL.Path)
		if strings.Contains(route.pattern, "{") {
			path = route.pattern
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", path),
			slog.Int("status", rec.status),
			slog.Int("bytes", rec.bytes),
			slog.Duration("duration", took),
		)
	})
}

// routeNote carries the pattern of the route that served a request, for
// its log line and its metrics: a path with variables (/referrals/{id}) is
// logged as its pattern, so nothing typed into a path's variable reaches
// the log.
type routeNote struct{ pattern string }

type routeNoteKey struct{}

// noteRoute records the pattern of the request's route.
func noteRoute(r *http.Request) {
	note, _ := r.Context().Value(routeNoteKey{}).(*routeNote)
	if note == nil {
		return
	}
	if rt := mux.CurrentRoute(r); rt != nil {
		if tpl, err := rt.GetPathTemplate(); err == nil {
			note.pattern = tpl
		}
	}
}

// maxLogPath is how much of a path a log line keeps: enough to tell which
// page, too little for a long path to flood the log.
const maxLogPath = 200

// logPath is p cut to maxLogPath bytes (on a character boundary), marked
// with "…" when cut.
func logPath(p string) string {
	if len(p) <= maxLogPath {
		return p
	}
	cut := maxLogPath
	for cut > 0 && !utf8.RuneStart(p[cut]) {
		cut--
	}
	return p[:cut] + "…"
}

// maxHost bounds the Host header: a DNS name is at most 253 characters,
// with a port a few more.
const maxHost = 260

// checkTarget refuses a Host header no real client sends (far too long for
// a host name) and a request target that is not a path ("*" on a GET). A
// target in absolute form (GET https://evil.example/a) is served as its
// path only: nothing the router builds from r.URL, such as the redirect to
// a path's canonical form, may then point at another host. The server
// never builds a link from the Host header either (see publicURL).
func checkTarget(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case len(r.Host) > maxHost:
			httpError(w, r, http.StatusBadRequest, "The Host header is too long.")
			return
		case !strings.HasPrefix(r.URL.Path, "/"):
			httpError(w, r, http.StatusBadRequest, "Ask for a path on this site, starting with /.")
			return
		}
		r.URL.Scheme, r.URL.Host, r.URL.User = "", "", nil
		next.ServeHTTP(w, r)
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic serving request", "path", logPath(r.URL.Path), "panic", v)
				httpError(w, r, http.StatusInternalServerError, msgOurSide)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
