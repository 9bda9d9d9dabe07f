package web_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"northstar/internal/web"
)

func fetchPage(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	// The transport would otherwise ask for gzip itself and hide the answer.
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestLiveReloadIsOffUnlessSet(t *testing.T) {
	ts, _ := startServer(t)
	if _, page := fetchPage(t, ts.URL+"/"); strings.Contains(page, "_northstar") {
		t.Error("a server without live reload added its script")
	}
	for _, p := range []string{"/_northstar/livereload", "/_northstar/livereload.js", "/_northstar/livereload.css"} {
		if resp, _ := fetchPage(t, ts.URL+p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s without live reload: status %d", p, resp.StatusCode)
		}
	}
}

type liveState struct {
	Build    string   `json:"build"`
	Problems []string `json:"problems"`
}

func TestLiveReloadInjectsAndStreams(t *testing.T) {
	plain, _ := startServer(t)
	live := web.NewLiveReload()
	ts, _ := startServerWith(t, func(s *web.Server) { s.SetLiveReload(live) })

	wantCSP := func() string {
		resp, _ := fetchPage(t, plain.URL+"/")
		return resp.Header.Get("Content-Security-Policy")
	}()
	resp, page := fetchPage(t, ts.URL+"/get-help/", "Accept-Encoding", "gzip")
	if resp.Header.Get("Content-Encoding") != "" || resp.Header.Get("Content-Length") != strconv.Itoa(len(page)) {
		t.Errorf("injected page: encoding %q, length %s for %d bytes", resp.Header.Get("Content-Encoding"), resp.Header.Get("Content-Length"), len(page))
	}
	if got := resp.Header.Get("Content-Security-Policy"); got != wantCSP {
		t.Errorf("CSP with live reload %q, want it unchanged: %q", got, wantCSP)
	}
	head, _, _ := strings.Cut(page, "</head>")
	if !strings.Contains(head, `<link rel="stylesheet" href="/_northstar/livereload.css"><script src="/_northstar/livereload.js" data-build="`) {
		t.Errorf("no live-reload script in the head:\n%s", head)
	}
	if strings.Contains(page, "northstar-build-problems") {
		t.Error("problems box shown with no problem")
	}
	if resp, page := fetchPage(t, ts.URL+"/no-such-page/"); resp.StatusCode != http.StatusNotFound || !strings.Contains(page, "/_northstar/livereload.js") {
		t.Errorf("404 page: status %d, script added: %v", resp.StatusCode, strings.Contains(page, "/_northstar/livereload.js"))
	}
	for path, ctype := range map[string]string{"/_northstar/livereload.js": "text/javascript", "/_northstar/livereload.css": "text/css"} {
		if resp, _ := fetchPage(t, ts.URL+path); resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), ctype) {
			t.Errorf("%s: status %d, type %q", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}

	stream, err := http.Get(ts.URL + "/_northstar/livereload")
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	if ct := stream.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("event stream type %q", ct)
	}
	states := make(chan liveState)
	go func() {
		defer close(states)
		sc := bufio.NewScanner(stream.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var st liveState
				if err := json.Unmarshal([]byte(data), &st); err == nil {
					states <- st
				}
			}
		}
	}()
	next := func() (liveState, bool) {
		select {
		case st, ok := <-states:
			return st, ok
		case <-time.After(5 * time.Second):
			t.Fatal("no event within 5 s")
			return liveState{}, false
		}
	}
	first, _ := next()
	if first.Build == "" || len(first.Problems) != 0 {
		t.Fatalf("first state %+v", first)
	}

	live.Failed([]string{"content/get-help.md:3: front matter <broken>"})
	failed, _ := next()
	if failed.Build != first.Build || len(failed.Problems) != 1 {
		t.Errorf("state after a failed build %+v", failed)
	}
	_, page = fetchPage(t, ts.URL+"/get-help/")
	if !strings.Contains(page, `<div id="northstar-build-problems" class="northstar-build-problems" role="alert">`) ||
		!strings.Contains(page, "content/get-help.md:3: front matter &lt;broken&gt;") {
		t.Errorf("page does not show the problem, escaped:\n%s", page)
	}
	if !strings.Contains(page, `data-build="`+failed.Build+`"`) {
		t.Error("page does not carry the build it shows")
	}

	live.Rebuilt()
	rebuilt, _ := next()
	if rebuilt.Build == first.Build || len(rebuilt.Problems) != 0 {
		t.Errorf("state after a rebuild %+v", rebuilt)
	}
	live.Close()
	if st, open := next(); open {
		t.Errorf("stream still open after Close: %+v", st)
	}
}

// TestBrowserLiveReload: in Chromium, under the site's CSP, the script shows
// a failed build's problems and reloads the page after a rebuild.
func TestBrowserLiveReload(t *testing.T) {
	live := web.NewLiveReload()
	ts, _ := startServerWith(t, func(s *web.Server) { s.SetLiveReload(live) })
	tab := newBrowser(t)
	url := ts.URL + "/signs/"
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	if _, err := pollPage(tab, func(s pageState) bool { return s.ReadyState == "complete" }); err != nil {
		t.Fatal(err)
	}
	// A mark that a reload wipes.
	if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](`window.notReloaded = true`)); err != nil {
		t.Fatal(err)
	}

	live.Failed([]string{"content/signs.md:2: could not find end character"})
	if st, err := pollPage(tab, func(s pageState) bool {
		return strings.Contains(s.Text, "content/signs.md:2: could not find end character")
	}); err != nil {
		t.Fatalf("the script did not show the problem: %v\n%s", err, st.Text)
	}
	// The style is a file of this origin too, so the CSP lets it apply.
	if pos, err := chromedp.Run(tab, chromedp.Evaluate[string](`getComputedStyle(document.getElementById("northstar-build-problems")).position`)); err != nil || pos != "fixed" {
		t.Errorf("problems box position %q (%v): the live-reload style did not apply", pos, err)
	}

	live.Rebuilt()
	var reloaded bool
	deadline := time.Now().Add(waitTimeout)
	for !reloaded {
		if time.Now().After(deadline) {
			t.Fatal("the page did not reload after the rebuild")
		}
		if mark, err := chromedp.Run(tab, chromedp.Evaluate[bool](`window.notReloaded === true`)); err == nil && !mark {
			reloaded = true
		}
		time.Sleep(25 * time.Millisecond)
	}
	if st, err := pollPage(tab, func(s pageState) bool { return s.ReadyState == "complete" }); err != nil || strings.Contains(st.Text, "could not find end character") {
		t.Errorf("after the reload the problems are still shown (%v):\n%s", err, st.Text)
	}
}
