package web_test

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"northstar/internal/web"
)

// get fetches path without the client's transparent gzip handling, so tests see
// exactly what the server sent.
func get(t *testing.T, ts *httptest.Server, method, path string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func TestSecurityHeaders(t *testing.T) {
	ts, _ := startServer(t)
	for _, path := range []string{"/", "/es/get-help/", "/no-such-page/", "/healthz"} {
		resp, _ := get(t, ts, "GET", path, nil)
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline or eval: %q", path, csp)
		}
		checks := map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "no-referrer",
			"X-Frame-Options":        "DENY",
		}
		for k, want := range checks {
			if got := h.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", path, k, got, want)
			}
		}
		if pp := h.Get("Permissions-Policy"); !strings.Contains(pp, "camera=()") || !strings.Contains(pp, "geolocation=()") {
			t.Errorf("%s: Permissions-Policy %q is not restrictive", path, pp)
		}
	}
}

func TestNotFoundInReadersLanguage(t *testing.T) {
	ts, _ := startServer(t)
	cases := []struct {
		path, acceptLang, wantLang string
	}{
		{"/no-such-page/", "", "en"},
		{"/es/no-existe/", "", "es"},
		{"/so/maya/", "en", "so"},
		{"/missing", "es-MX,es;q=0.9", "es"},
		{"/missing", "hmn", "hmn"},
		{"/missing", "fr, de", "en"},
	}
	for _, c := range cases {
		resp, body := get(t, ts, "GET", c.path, map[string]string{"Accept-Language": c.acceptLang})
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", c.path, resp.StatusCode)
		}
		if want := fmt.Sprintf(`<html lang="%s"`, c.wantLang); !strings.Contains(string(body), want) {
			t.Errorf("%s (Accept-Language %q): 404 page is not in %s", c.path, c.acceptLang, c.wantLang)
		}
		if !strings.Contains(string(body), `class="quick-exit"`) {
			t.Errorf("%s: 404 page lacks the quick exit", c.path)
		}
	}
}

func TestCompression(t *testing.T) {
	ts, _ := startServer(t)
	want, err := os.ReadFile(filepath.Join(builtSite, "get-help", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, ts, "GET", "/get-help/", map[string]string{"Accept-Encoding": "br, gzip"})
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", resp.Header.Get("Content-Encoding"))
	}
	if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
		t.Error("compressed response lacks Vary: Accept-Encoding")
	}
	if len(body) >= len(want) {
		t.Errorf("compressed body %d bytes is not smaller than %d", len(body), len(want))
	}
	zr, err := gzip.NewReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if string(got) != string(want) {
		t.Error("decompressed body differs from the built page")
	}
	for _, ae := range []string{"", "identity", "gzip;q=0"} {
		resp, body := get(t, ts, "GET", "/get-help/", map[string]string{"Accept-Encoding": ae})
		if resp.Header.Get("Content-Encoding") != "" || string(body) != string(want) {
			t.Errorf("Accept-Encoding %q: got encoding %q, want the plain page", ae, resp.Header.Get("Content-Encoding"))
		}
	}
}

// TestDynamicCompression: a rendered answer is compressed only when it is
// large enough for that to save time (see gzipFrom): the search page is, a
// short API answer is not, and both say they vary by Accept-Encoding.
func TestDynamicCompression(t *testing.T) {
	ts, _ := startServer(t)
	gz := map[string]string{"Accept-Encoding": "gzip"}
	page, body := get(t, ts, "GET", "/search/?q=legal+help", gz)
	if page.StatusCode != http.StatusOK || page.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("search page: status %d, Content-Encoding %q, want gzip", page.StatusCode, page.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(zr)
	if !strings.Contains(string(html), "</html>") {
		t.Error("the compressed search page does not decompress to a page")
	}
	api, body := get(t, ts, "GET", "/api/search?q=xyzzy", gz)
	if api.StatusCode != http.StatusOK || api.Header.Get("Content-Encoding") != "" || !strings.HasPrefix(string(body), "{") {
		t.Errorf("short API answer: status %d, Content-Encoding %q, body %.40q: want plain JSON", api.StatusCode, api.Header.Get("Content-Encoding"), body)
	}
	for _, r := range []*http.Response{page, api} {
		if !strings.Contains(r.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s lacks Vary: Accept-Encoding", r.Request.URL.Path)
		}
	}
}

func TestCacheHeaders(t *testing.T) {
	ts, _ := startServer(t)
	css, _ := filepath.Glob(filepath.Join(builtSite, "css", "*.css"))
	if len(css) != 1 {
		t.Fatalf("want one stylesheet, got %v", css)
	}
	resp, _ := get(t, ts, "GET", "/css/"+filepath.Base(css[0]), nil)
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
		t.Errorf("fingerprinted CSS: Cache-Control %q, want a year, immutable", cc)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("CSS Content-Type %q", ct)
	}
	resp, _ = get(t, ts, "GET", "/signs/", nil)
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("page: Cache-Control %q, want no-store", cc)
	}
}

func TestNoCookiesOnPublicPages(t *testing.T) {
	ts, _ := startServer(t)
	err := filepath.WalkDir(builtSite, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(builtSite, path)
		urlPath := "/" + filepath.ToSlash(rel)
		urlPath = strings.TrimSuffix(urlPath, "index.html")
		resp, _ := get(t, ts, "GET", urlPath, nil)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", urlPath, resp.StatusCode)
		}
		if c := resp.Header.Values("Set-Cookie"); len(c) > 0 {
			t.Errorf("%s sets cookies: %v", urlPath, c)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	ts, _ := startServer(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		if resp, _ := get(t, ts, "GET", path, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d, want 200", path, resp.StatusCode)
		}
	}
	// A server whose site is not built yet is alive but not ready, and says so.
	cold := httptest.NewServer(web.New(slog.New(slog.NewTextHandler(io.Discard, nil))).Handler())
	defer cold.Close()
	if resp, _ := get(t, cold, "GET", "/healthz", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("cold /healthz: status %d, want 200", resp.StatusCode)
	}
	if resp, body := get(t, cold, "GET", "/readyz", nil); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("cold /readyz: status %d (%s), want 503", resp.StatusCode, body)
	}
	if resp, _ := get(t, cold, "GET", "/", nil); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("cold /: status %d, want 503", resp.StatusCode)
	}
}

func TestRequestLogsNeverHoldQueryStrings(t *testing.T) {
	ts, logs := startServer(t)
	get(t, ts, "GET", "/signs/?q=my+boss+took+my+passport", nil)
	get(t, ts, "GET", "/es?q=secretword", nil)
	// A request's line is written once its handler returns, which can be
	// after the client has read the whole response: wait for both lines.
	var out string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		out = logs.String()
		if strings.Contains(out, "path=/signs/ status=200") && strings.Contains(out, "path=/es ") || time.Now().After(deadline) {
			break
		}
	}
	if !strings.Contains(out, "path=/signs/ status=200") || !strings.Contains(out, "path=/es ") {
		t.Errorf("access log lacks the requests: %s", out)
	}
	for _, secret := range []string{"passport", "secretword", "q="} {
		if strings.Contains(out, secret) {
			t.Errorf("log holds %q: %s", secret, out)
		}
	}
}

func TestBadRequestsGetClear4xx(t *testing.T) {
	ts, _ := startServer(t)
	resp, body := get(t, ts, "POST", "/get-help/", nil)
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") == "" || len(body) == 0 {
		t.Errorf("POST: status %d, Allow %q, body %q", resp.StatusCode, resp.Header.Get("Allow"), body)
	}
	resp, _ = get(t, ts, "HEAD", "/get-help/", nil)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("HEAD: status %d", resp.StatusCode)
	}
	resp, _ = get(t, ts, "GET", "/es", nil)
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/es/" {
		t.Errorf("/es: status %d Location %q, want 301 to /es/", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, _ = get(t, ts, "GET", "/index.html/x", nil)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("/index.html/x: status %d, want 404", resp.StatusCode)
	}
}

// TestPathTraversal sends a raw request line, which a client library would clean.
func TestPathTraversal(t *testing.T) {
	ts, _ := startServer(t)
	for _, target := range []string{"/../../../../etc/passwd", "/..%2f..%2f..%2fetc/passwd", "/%2e%2e/%2e%2e/etc/passwd"} {
		conn, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", target)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		conn.Close()
		if resp.StatusCode < 300 || resp.StatusCode >= 500 || strings.Contains(string(body), "root:") {
			t.Errorf("%s: status %d, body starts %.40q", target, resp.StatusCode, body)
		}
	}
}
