package web

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/text/language"
)

// pageShow serves a file of the built site, compressed when the client accepts it,
// or the 404 page in the reader's language.
func (s *Server) pageShow(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "This address only answers GET and HEAD requests.", http.StatusMethodNotAllowed)
		return
	}
	root, err := siteOf(r)
	if err != nil {
		// A page, so that under serve --watch, while the sources do not
		// build yet, it shows why and reloads once they do.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, siteStartingPage)
		return
	}
	name, info, redirect, err := root.resolve(r.URL.Path)
	switch {
	case redirect:
		http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
		return
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrInvalid), isNotDir(err),
		errors.Is(err, syscall.ENAMETOOLONG), errors.Is(err, syscall.EINVAL):
		s.notFound(w, r, root)
		return
	case err != nil:
		s.log.ErrorContext(r.Context(), "open site file", "path", logPath(r.URL.Path), "err", err)
		httpError(w, r, http.StatusInternalServerError, msgOurSide)
		return
	}
	cacheControl(w, name)
	serveFile(w, r, root, name, info, http.StatusOK)
}

func isNotDir(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "not a directory")
}

// cacheControl lets browsers keep fingerprinted assets for a year: their names
// change with their content. Pages are not stored, so a shared phone keeps no copy.
func cacheControl(w http.ResponseWriter, name string) {
	switch {
	case fingerprinted.MatchString(name):
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	case strings.HasSuffix(name, ".html"):
		w.Header().Set("Cache-Control", "no-store")
	default:
		w.Header().Set("Cache-Control", "no-cache")
	}
}

func serveFile(w http.ResponseWriter, r *http.Request, root *siteRoot, name string, info fs.FileInfo, status int) {
	ctype := contentType(name)
	h := w.Header()
	h.Set("Content-Type", ctype)
	if compressible(ctype) {
		h.Add("Vary", "Accept-Encoding")
	}
	if compressible(ctype) && acceptsGzip(r) {
		if data, err := root.gzipped(name, info); err == nil {
			h.Set("Content-Encoding", "gzip")
			if status == http.StatusOK {
				http.ServeContent(w, r, "", info.ModTime(), bytes.NewReader(data))
				return
			}
			writeBody(w, r, status, data)
			return
		}
	}
	data, err := os.ReadFile(name)
	if err != nil {
		httpError(w, r, http.StatusInternalServerError, msgOurSide)
		return
	}
	if status == http.StatusOK {
		http.ServeContent(w, r, "", info.ModTime(), bytes.NewReader(data))
		return
	}
	writeBody(w, r, status, data)
}

func writeBody(w http.ResponseWriter, r *http.Request, status int, data []byte) {
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data)
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(q, 64)
			return err == nil && f > 0
		}
		return true
	}
	return false
}

// notFound serves the 404 page of the language the path is in (/es/…), else the
// one the browser prefers, else the default language's.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, root *siteRoot) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		httpError(w, r, http.StatusNotFound, "There is no such address in the API.")
		return
	}
	lang := langOfPath(r.URL.Path, root.langs)
	if lang == "" {
		lang = preferredLang(r.Header.Get("Accept-Language"), root.langs)
	}
	name := filepath.Join(root.dir, "404.html")
	if lang != "" {
		name = filepath.Join(root.dir, lang, "404.html")
	}
	info, err := os.Stat(name)
	if err != nil {
		http.Error(w, "Page not found.", http.StatusNotFound)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	serveFile(w, r, root, name, info, http.StatusNotFound)
}

func langOfPath(p string, langs []string) string {
	first, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	for _, l := range langs {
		if first == l {
			return l
		}
	}
	return ""
}

// preferredLang picks among the site's non-default languages; "" means the default.
func preferredLang(acceptLanguage string, langs []string) string {
	if acceptLanguage == "" || len(langs) == 0 {
		return ""
	}
	prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(prefs) == 0 {
		return ""
	}
	for _, p := range prefs {
		base, _ := p.Base()
		for _, l := range langs {
			if base.String() == l {
				return l
			}
		}
		if base.String() == "en" {
			return ""
		}
	}
	return ""
}

// siteStartingPage answers for every page until a site has been built.
const siteStartingPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>The site is starting</title></head>
<body><main><h1>The site is starting</h1><p>Please try again in a moment.</p></main></body></html>
`
