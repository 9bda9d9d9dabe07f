package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"northstar/internal/quiz"
	"northstar/internal/training"
)

// httpError answers with status and a message a person can read: as
// {"error": msg} under /api/, where clients read JSON, and as text
// elsewhere. Every refusal made before a handler runs (middleware, the
// router, cross-origin protection) goes through it, so no address answers
// an API client with a page.
func httpError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeStaffJSON(w, r, status, map[string]string{"error": msg})
		return
	}
	http.Error(w, msg, status)
}

// msgOurSide is what a person is told when the server failed them.
const msgOurSide = "Something went wrong on our side. Please try again."

// serverError logs err with what was being done and the request id, and
// answers 500 without details. A handler whose error may quote what the
// user typed (search) logs the error's type itself and calls httpError.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.log.ErrorContext(r.Context(), what, "err", err)
	httpError(w, r, http.StatusInternalServerError, msgOurSide)
}

// gzipWriters reuses compressors: a new one allocates about a megabyte of tables.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

// gzipFrom is the smallest rendered answer worth compressing. Anything
// smaller fits in TCP's first round trip (an initial window of ten
// segments, RFC 6928, about 14 KB) compressed or not, so gzip would save
// bytes but no time, and it costs both ends CPU: on the search benchmark,
// compressing the API's 1–6 KB answers cost 12% of the HTTP side's
// throughput (docs/benchmarks.md). Search and quiz pages are larger and
// still compressed.
const gzipFrom = 10 << 10

// writeDynamic sends a response rendered for this request: never stored,
// compressed when the client accepts it and the answer is large enough.
func writeDynamic(w http.ResponseWriter, r *http.Request, status int, ctype string, body []byte) {
	w.Header().Add("Vary", "Accept-Encoding")
	writeNoStore(w, r, status, ctype, body, len(body) >= gzipFrom && acceptsGzip(r))
}

// writeNoStore sends a response that is never stored, gzipped when told to.
func writeNoStore(w http.ResponseWriter, r *http.Request, status int, ctype string, body []byte, compress bool) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Robots-Tag", "noindex")
	if compress {
		var buf bytes.Buffer
		zw := gzipWriters.Get().(*gzip.Writer)
		zw.Reset(&buf)
		zw.Write(body)
		zw.Close()
		gzipWriters.Put(zw)
		h.Set("Content-Encoding", "gzip")
		body = buf.Bytes()
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	sendJSON(w, r, status, v, true)
}

// sendJSON writes v as a JSON answer that is never stored, gzipped when
// compress is set and the client accepts it.
func sendJSON(w http.ResponseWriter, r *http.Request, status int, v any, compress bool) {
	b, err := json.Marshal(v)
	if err != nil {
		httpError(w, r, http.StatusInternalServerError, msgOurSide)
		return
	}
	const ctype = "application/json; charset=utf-8"
	if compress {
		writeDynamic(w, r, status, ctype, b)
		return
	}
	writeNoStore(w, r, status, ctype, b, false)
}

// writeStaffJSON is writeJSON, uncompressed, for the staff API: its answers
// are a few kilobytes for one signed-in learner, and compressing each graded
// attempt and each drawn quiz cost a fifth of the server's CPU under load
// (bench/: 1,838 → 2,304 attempts/s on SQLite without it). The public search
// API, read on residents' phones, stays compressed.
func writeStaffJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	sendJSON(w, r, status, v, false)
}

// tooManyAttemptsText is what a learner reads past training.MaxStartsPerDay.
const tooManyAttemptsText = "You started this quiz many times today. Please come back tomorrow."

// quizChangedText is what a learner reads when the quiz was republished
// without a question of their attempt.
const quizChangedText = "This quiz was changed since you started it. Please start it again."

// trainingError turns the training rules' errors into statuses; nothing about
// the answers reaches the log.
func (s *Server) trainingError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, training.ErrNoQuiz):
		writeStaffJSON(w, r, http.StatusNotFound, map[string]string{"error": "There is no such quiz."})
	case errors.Is(err, training.ErrNoAttempt):
		writeStaffJSON(w, r, http.StatusNotFound, map[string]string{"error": "There is no such attempt."})
	case errors.Is(err, quiz.ErrBadAnswer):
		writeStaffJSON(w, r, http.StatusBadRequest, map[string]string{"error": err.Error()})
	case errors.Is(err, quiz.ErrQuizChanged):
		writeStaffJSON(w, r, http.StatusConflict, map[string]string{"error": quizChangedText})
	case errors.Is(err, training.ErrTooManyAttempts):
		w.Header().Set("Retry-After", "3600")
		writeStaffJSON(w, r, http.StatusTooManyRequests, map[string]string{"error": tooManyAttemptsText})
	default:
		s.serverError(w, r, "quiz", err)
	}
}
