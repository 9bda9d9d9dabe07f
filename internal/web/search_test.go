package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type apiResult struct {
	Query  string `json:"query"`
	Total  int    `json:"total"`
	Page   int    `json:"page"`
	Hits   []map[string]any
	Facets map[string][]struct {
		Value string `json:"value"`
		Count int    `json:"count"`
	} `json:"facets"`
	Error string `json:"error"`
}

func apiSearch(t *testing.T, ts interface{ Client() *http.Client }, base string, params url.Values) (int, apiResult, http.Header) {
	t.Helper()
	resp, err := http.Get(base + "/api/search?" + params.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r apiResult
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return resp.StatusCode, r, resp.Header
}

func TestSearchAPIContract(t *testing.T) {
	ts, _ := startServer(t)
	status, r, h := apiSearch(t, ts, ts.URL, url.Values{"q": {"trafiking hotlin"}, "lang": {"en"}})
	if status != http.StatusOK {
		t.Fatalf("status %d: %+v", status, r)
	}
	if r.Query != "trafiking hotlin" || r.Page != 1 || r.Total == 0 || len(r.Hits) == 0 {
		t.Fatalf("result %+v", r)
	}
	top := r.Hits[0]
	for _, key := range []string{"title", "url", "kind", "snippet", "services", "phone", "text"} {
		if _, ok := top[key]; !ok {
			t.Errorf("hit lacks %q: %v", key, top)
		}
	}
	if top["url"] != "/resources/national-human-trafficking-hotline/" || top["kind"] != "resource" || top["phone"] != "1-888-373-7888" {
		t.Errorf("top hit %v", top)
	}
	for _, f := range []string{"services", "languages", "populations", "open247"} {
		if _, ok := r.Facets[f]; !ok {
			t.Errorf("no %s facet", f)
		}
	}
	if cc := h.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	if c := h.Values("Set-Cookie"); len(c) > 0 {
		t.Errorf("sets cookies: %v", c)
	}
	// Filters combine with the query and narrow it.
	_, filtered, _ := apiSearch(t, ts, ts.URL, url.Values{"q": {"help"}, "service": {"legal-help"}, "open247": {"0"}})
	_, all, _ := apiSearch(t, ts, ts.URL, url.Values{"q": {"help"}})
	if filtered.Total == 0 || filtered.Total >= all.Total {
		t.Errorf("filtered %d of %d", filtered.Total, all.Total)
	}
	// Spanish results are Spanish pages.
	_, es, _ := apiSearch(t, ts, ts.URL, url.Values{"q": {"abogado"}, "lang": {"es"}})
	if es.Total == 0 || !strings.HasPrefix(es.Hits[0]["url"].(string), "/es/") {
		t.Errorf("Spanish search: %+v", es)
	}
}

func TestSearchAPIBadInput(t *testing.T) {
	ts, _ := startServer(t)
	cases := []url.Values{
		{},
		{"q": {""}},
		{"q": {strings.Repeat("x", 201)}},
		{"q": {`"open`}},
		{"q": {"help"}, "lang": {"xx"}},
		{"q": {"help"}, "service": {"spa"}},
		{"q": {"help"}, "language": {"fr"}},
		{"q": {"help"}, "population": {"cats"}},
		{"q": {"help"}, "open247": {"maybe"}},
		{"q": {"help"}, "page": {"two"}},
		{"q": {"help"}, "page": {"0"}},
		{"q": {"help"}, "page": {"49"}},
		{"q": {"help"}, "page": {"99999999999999999999"}},
		{"q": {strings.Repeat("ü", 3000)}},
	}
	for _, params := range cases {
		status, r, _ := apiSearch(t, ts, ts.URL, params)
		if status != http.StatusBadRequest || r.Error == "" {
			t.Errorf("%v: status %d error %q, want 400 with a message", params, status, r.Error)
		}
	}
}

func TestSearchHTMLWithoutJS(t *testing.T) {
	ts, _ := startServer(t)
	cases := []struct {
		path       string
		status     int
		wantInBody []string
	}{
		{"/search/?q=trafiking+hotlin", 200, []string{`<html lang="en"`, "/resources/national-human-trafficking-hotline/", `value="trafiking hotlin"`, `class="quick-exit"`, `href="tel:911"`}},
		{"/search?q=abogado", 301, nil}, // the canonical address is /search/
		{"/es/search/?q=abogado", 200, []string{`<html lang="es"`, "/es/resources/", "resultado"}},
		{"/so/search/?q=caawimo", 200, []string{`<html lang="so"`, "/so/get-help/"}},
		{"/search/", 200, []string{`name="q"`}},
		{"/search/?q=", 400, []string{`role="alert"`, "Type a word"}},
		{"/es/search/?q=ayuda&service=nope", 400, []string{`role="alert"`}},
		{"/search/?q=help&page=2", 200, []string{`rel="prev"`}},
		{"/fr/search/?q=help", 404, nil},
	}
	for _, c := range cases {
		resp, body := get(t, ts, "GET", c.path, nil)
		if resp.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d", c.path, resp.StatusCode, c.status)
		}
		for _, want := range c.wantInBody {
			if !strings.Contains(string(body), want) {
				t.Errorf("%s: body lacks %q", c.path, want)
			}
		}
		if cc := resp.Header.Get("Cache-Control"); c.status != 404 && cc != "no-store" {
			t.Errorf("%s: Cache-Control %q", c.path, cc)
		}
		if len(resp.Header.Values("Set-Cookie")) > 0 {
			t.Errorf("%s sets a cookie", c.path)
		}
	}
	// Our highlight markup is the only live markup from a result.
	_, body := get(t, ts, "GET", "/search/?q=%3Cscript%3Ealert(1)%3C/script%3E+hotline", nil)
	if strings.Contains(string(body), "<script>alert") {
		t.Error("query echoed unescaped")
	}
}

// TestSearchLeavesNoTrace: queries never reach the logs or the data dir.
func TestSearchLeavesNoTrace(t *testing.T) {
	ts, logs := startServer(t)
	secrets := []string{"zxqvsecretword", "mypassportwastaken"}
	for _, s := range secrets {
		http.Get(ts.URL + "/api/search?q=" + s)
		http.Get(ts.URL + "/search/?q=" + s + "&page=7")
		http.Get(ts.URL + "/es/search/?q=" + s)
		http.Get(ts.URL + "/api/search?q=" + s + "&service=bogus")
	}
	out := logs.String()
	if !strings.Contains(out, "path=/api/search") {
		t.Fatalf("requests were not logged at all: %s", out)
	}
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("log holds the query %q", s)
		}
	}
	dataDir := filepath.Dir(indexDir)
	filepath.WalkDir(dataDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(path)
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("%s holds the query %q", path, s)
			}
		}
		return nil
	})
}
