package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"html/template"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"northstar/internal/search"
	"northstar/internal/site"
)

// SearchSetup is everything search needs besides the index: what filters may
// name, the synonyms, and the interface strings per language.
type SearchSetup struct {
	Vocabulary search.Vocabulary
	Synonyms   *search.Synonyms
	Strings    site.Strings
}

type searchState struct {
	holder search.Holder
	setup  atomic.Pointer[SearchSetup]
}

// SetSearch installs a newly built index and its setup. The index it replaces
// is closed once the searches running on it finish.
func (s *Server) SetSearch(ix *search.Index, setup SearchSetup) error {
	s.search.setup.Store(&setup)
	return s.search.holder.Swap(ix)
}

// Close releases the search index.
func (s *Server) Close() error { return s.search.holder.Close() }

// resultsMarker is where the theme's /search/ page takes the results.
const resultsMarker = `<div id="search-results"></div>`

// searchShell returns the theme's search page for lang.
func (r *siteRoot) searchShell(lang, defaultLang string) (*shell, error) {
	rel := lang + "/search/index.html"
	if lang == defaultLang {
		rel = "search/index.html"
	}
	return r.shell(rel, resultsMarker)
}

var searchTemplate = template.Must(template.New("search.html").Funcs(template.FuncMap{
	"t":    func(string) string { return "" }, // replaced per request
	"safe": func(s string) template.HTML { return template.HTML(s) },
	"tel":  telURL,
	"sms":  smsURL,
}).ParseFS(templateFS, "templates/search.html"))

// telURL makes a tel: link from a number as written: 1-888-373-7888 → tel:+18883737888.
func telURL(number string) template.URL {
	return template.URL("tel:" + dialable(number))
}

func smsURL(number string) template.URL {
	return template.URL("sms:" + dialable(number))
}

func dialable(number string) string {
	var digits strings.Builder
	for _, r := range number {
		if r >= '0' && r <= '9' {
			digits.WriteRune(r)
		}
	}
	d := digits.String()
	switch len(d) {
	case 10:
		return "+1" + d
	case 11:
		return "+" + d
	}
	return d
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

// LoadSearchSetup reads what search needs from the site's sources.
func LoadSearchSetup(siteRoot string) (SearchSetup, error) {
	cfg, err := site.LoadConfig(siteRoot)
	if err != nil {
		return SearchSetup{}, err
	}
	syn, err := search.LoadSynonyms(filepath.Join(siteRoot, "content", "search-synonyms.yaml"))
	if err != nil {
		return SearchSetup{}, err
	}
	strs, err := site.LoadStrings(siteRoot, cfg)
	if err != nil {
		return SearchSetup{}, err
	}
	return SearchSetup{
		Vocabulary: search.Vocabulary{
			SiteLangs:   cfg.LanguageNames(),
			Services:    cfg.Params.Directory.Services,
			Languages:   cfg.Params.Directory.Languages,
			Populations: cfg.Params.Directory.Populations,
		},
		Synonyms: syn,
		Strings:  strs,
	}, nil
}
