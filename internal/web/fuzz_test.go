package web

// Fuzz tests of what hostile input reaches first: the sign-in redirect
// target, the URL path to file mapping, the attempt body and the search
// parameters. Their seed corpora are in testdata/fuzz/; CI runs each for a
// short while (.ci/run), and docs/security.md records long runs.

import (
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"northstar/internal/search"
)

// FuzzSafeNext: whatever next= holds, the redirect stays on this site, the
// way a browser resolves it.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/training/my/", "//evil.example", "/\t/evil.example", "/\\evil.example", "https://evil.example", "/%2F%2Fevil.example", "/a?b=c#d"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://northstar.example.gov/login")
	f.Fuzz(func(t *testing.T, next string) {
		got := SafeNext(next)
		if got != defaultNext && got != next {
			t.Fatalf("SafeNext(%q) = %q: neither the input nor the default", next, got)
		}
		target, err := url.Parse(got)
		if err != nil {
			t.Fatalf("SafeNext(%q) = %q, which does not parse: %v", next, got, err)
		}
		if u := base.ResolveReference(target); u.Host != base.Host || u.Scheme != base.Scheme {
			t.Fatalf("SafeNext(%q) = %q leads to %s", next, got, u)
		}
		for _, c := range got {
			if c <= ' ' || c >= 0x7f || c == '\\' {
				t.Fatalf("SafeNext(%q) = %q keeps %q, which browsers reinterpret", next, got, c)
			}
		}
	})
}

// FuzzSitePath: any URL path maps to a file inside the built site or to
// none, without an error of the file system's own.
func FuzzSitePath(f *testing.F) {
	dir := f.TempDir()
	os.MkdirAll(filepath.Join(dir, "es", "get-help"), 0o755)
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("home"), 0o644)
	os.WriteFile(filepath.Join(dir, "es", "get-help", "index.html"), []byte("ayuda"), 0o644)
	os.WriteFile(filepath.Join(filepath.Dir(dir), "secret.txt"), []byte("outside"), 0o644)
	root := &siteRoot{dir: dir}
	for _, s := range []string{"/", "/es/get-help/", "/es/get-help", "/../secret.txt", "/get-help/\x00", "/" + strings.Repeat("a", 300), "/%2e%2e/secret.txt", "/es/../../secret.txt"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		name, _, redirect, err := root.resolve(p)
		switch {
		case redirect:
		case err == nil:
			rel, rerr := filepath.Rel(dir, name)
			if rerr != nil || strings.HasPrefix(rel, "..") {
				t.Fatalf("%q maps to %s, outside the site", p, name)
			}
		case errors.Is(err, fs.ErrNotExist), isNotDir(err):
		default:
			t.Fatalf("%q: the file system's own error %v (a 500)", p, err)
		}
	})
}

// FuzzAttemptBody: the attempt decoder takes one JSON object of the right
// shape or says why not; it never panics and never takes two values.
func FuzzAttemptBody(f *testing.F) {
	for _, s := range []string{`{"answers":{"q1":["a"]}}`, `{"answers":{}} xyz`, `{"answers":{}}{}`, `{"answers":{},"score":100}`, `[]`, `null`, ``, `{"answers":{"x":"a"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var v AttemptBody
		err := DecodeJSON(strings.NewReader(string(body)), maxAnswersBody, &v)
		var bad *BadJSON
		switch {
		case err == nil:
			if !json.Valid(body) {
				t.Fatalf("%q taken, but it is not one JSON value", body)
			}
		case errors.As(err, &bad):
			if bad.Reason == "" {
				t.Fatal("a refusal without a reason")
			}
		case errors.Is(err, errTooLarge):
			if len(body) <= maxAnswersBody {
				t.Fatalf("%d bytes called too large", len(body))
			}
		default:
			t.Fatalf("unexpected error %v", err)
		}
	})
}

// FuzzSearchParams: any query string is a search or a bad query the reader
// can fix; a search that passes validation links back to itself.
func FuzzSearchParams(f *testing.F) {
	vocab := search.Vocabulary{SiteLangs: []string{"en", "es"}, Services: []string{"hotline"}, Languages: []string{"es"}, Populations: []string{"youth"}}
	for _, s := range []string{"q=help", "q=%22unclosed", "q=a&page=-1", "q=a&page=99999999999999999999", "q=%ff", "q=x&service=nope", "q=-only", "q=%22%22&open247=maybe", "q=a;b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r := &http.Request{URL: &url.URL{Path: "/search/", RawQuery: raw}}
		q, err := searchParams(r, "en")
		if err == nil {
			_, err = q.Validate(vocab)
		}
		if err != nil {
			if !search.IsBadQuery(err) {
				t.Fatalf("%q: %v is not the reader's to fix (a 500)", raw, err)
			}
			return
		}
		back := &http.Request{URL: &url.URL{Path: "/search/", RawQuery: values(q, q.Page).Encode()}}
		again, err := searchParams(back, "en")
		if err != nil || again.Text != q.Text || again.Page != q.Page || strings.Join(again.Services, ",") != strings.Join(q.Services, ",") {
			t.Fatalf("%q: the link back reads as %+v, %v; want %+v", raw, again, err, q)
		}
	})
}
