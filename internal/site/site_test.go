package site_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"

	"northstar/internal/site"
)

var (
	buildOnce sync.Once
	builtDir  string
	buildErr  error
)

// realSite builds the repository's own site once per test run.
func realSite(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "northstar-site-test-")
		if err != nil {
			buildErr = err
			return
		}
		builtDir = filepath.Join(dir, "public")
		_, buildErr = site.Build(site.Options{Root: "../..", OutDir: builtDir})
	})
	if buildErr != nil {
		t.Fatalf("build real site: %v", buildErr)
	}
	return builtDir
}

// htmlPages lists every HTML file of a built site, relative to it.
func htmlPages(t *testing.T, dir string) []string {
	t.Helper()
	var pages []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".html") {
			rel, _ := filepath.Rel(dir, path)
			pages = append(pages, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) == 0 {
		t.Fatal("no HTML pages built")
	}
	return pages
}

func parse(t *testing.T, file string) *html.Node {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		t.Fatalf("parse %s: %v", file, err)
	}
	return doc
}

// elements calls fn for every element under n, in document order.
func elements(n *html.Node, fn func(*html.Node)) {
	if n.Type == html.ElementNode {
		fn(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		elements(c, fn)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func TestPagesExistInEnglishAndSpanish(t *testing.T) {
	dir := realSite(t)
	for _, page := range []string{"", "get-help/", "sex-trafficking/", "labor-trafficking/", "signs/",
		"worker-rights/", "young-people/", "myths-and-facts/", "framework/"} {
		for _, prefix := range []string{"", "es/"} {
			file := filepath.Join(dir, prefix+page, "index.html")
			b, err := os.ReadFile(file)
			if err != nil {
				t.Errorf("missing page /%s%s: %v", prefix, page, err)
				continue
			}
			// A Spanish page must be a real translation, not the English fallback.
			if prefix == "es/" && bytes.Contains(b, []byte("Esta página todavía no está traducida")) {
				t.Errorf("/%s%s is an English fallback, want a Spanish translation", prefix, page)
			}
		}
	}
	for _, page := range []string{"so/get-help/index.html", "hmn/get-help/index.html", "so/index.html", "hmn/index.html"} {
		if _, err := os.Stat(filepath.Join(dir, page)); err != nil {
			t.Errorf("missing %s: %v", page, err)
		}
	}
}

func TestEveryPageHasQuickExitAndHelpStrip(t *testing.T) {
	dir := realSite(t)
	for _, page := range htmlPages(t, dir) {
		doc := parse(t, filepath.Join(dir, page))
		var exit, help, call911, callHotline, textHotline bool
		elements(doc, func(n *html.Node) {
			class, _ := attr(n, "class")
			href, _ := attr(n, "href")
			switch {
			case n.Data == "a" && class == "quick-exit" && strings.HasPrefix(href, "https://"):
				exit = true
			case n.Data == "aside" && class == "help-strip":
				help = true
			}
			if n.Data == "a" {
				call911 = call911 || href == "tel:911"
				callHotline = callHotline || href == "tel:+18883737888"
				textHotline = textHotline || href == "sms:233733"
			}
		})
		if !exit || !help || !call911 || !callHotline || !textHotline {
			t.Errorf("%s: quick exit %v, help strip %v, 911 %v, hotline call %v, hotline text %v; want all", page, exit, help, call911, callHotline, textHotline)
		}
	}
}

// loadAttrs are the attributes through which a page makes the browser fetch something.
var loadAttrs = map[string][]string{
	"script": {"src"}, "link": {"href"}, "img": {"src", "srcset"}, "iframe": {"src"},
	"source": {"src", "srcset"}, "video": {"src", "poster"}, "audio": {"src"},
	"embed": {"src"}, "object": {"data"}, "form": {"action"}, "track": {"src"},
}

func TestNoThirdPartyLoadsAndNoInlineScript(t *testing.T) {
	dir := realSite(t)
	for _, page := range htmlPages(t, dir) {
		doc := parse(t, filepath.Join(dir, page))
		elements(doc, func(n *html.Node) {
			for _, key := range loadAttrs[n.Data] {
				if v, ok := attr(n, key); ok && !isLocal(v) {
					t.Errorf("%s: <%s %s=%q> loads from another host", page, n.Data, key, v)
				}
			}
			if n.Data == "script" {
				if _, ok := attr(n, "src"); !ok || n.FirstChild != nil {
					t.Errorf("%s: inline script", page)
				}
			}
			if n.Data == "style" {
				t.Errorf("%s: inline <style> (the CSP allows only the site's stylesheet)", page)
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") || a.Key == "style" {
					t.Errorf("%s: inline %s attribute on <%s>", page, a.Key, n.Data)
				}
			}
		})
	}
	// Stylesheets must not pull fonts or images from elsewhere either.
	css, _ := filepath.Glob(filepath.Join(dir, "css", "*.css"))
	if len(css) == 0 {
		t.Fatal("no stylesheet built")
	}
	urlRe := regexp.MustCompile(`url\(\s*['"]?([^'")]+)`)
	for _, f := range css {
		b, _ := os.ReadFile(f)
		if bytes.Contains(b, []byte("@import")) {
			t.Errorf("%s: @import", f)
		}
		for _, m := range urlRe.FindAllSubmatch(b, -1) {
			if !isLocal(string(m[1])) {
				t.Errorf("%s: url(%s) loads from another host", f, m[1])
			}
		}
	}
}

func isLocal(u string) bool {
	return strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") || strings.HasPrefix(u, "data:")
}

func TestInternalLinksResolve(t *testing.T) {
	dir := realSite(t)
	for _, page := range htmlPages(t, dir) {
		doc := parse(t, filepath.Join(dir, page))
		elements(doc, func(n *html.Node) {
			for _, key := range []string{"href", "src"} {
				v, ok := attr(n, key)
				if !ok || !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") {
					continue
				}
				target, _, _ := strings.Cut(v, "#")
				target, _, _ = strings.Cut(target, "?")
				if slices.Contains(site.ServerPages, target) {
					continue // rendered by the server, not Hugo
				}
				file := filepath.Join(dir, filepath.FromSlash(target))
				if strings.HasSuffix(target, "/") {
					file = filepath.Join(file, "index.html")
				}
				if _, err := os.Stat(file); err != nil {
					t.Errorf("%s: link %s leads nowhere", page, v)
				}
			}
		})
	}
}

func TestUntranslatedPagesFallBackToEnglishWithNotice(t *testing.T) {
	dir := realSite(t)
	b, err := os.ReadFile(filepath.Join(dir, "so", "signs", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`<html lang="so"`, `<article lang="en">`, "Boggan weli looma turjumin"} {
		if !strings.Contains(s, want) {
			t.Errorf("/so/signs/ lacks %q", want)
		}
	}
	// A real translation carries no fallback notice.
	b, _ = os.ReadFile(filepath.Join(dir, "so", "get-help", "index.html"))
	if strings.Contains(string(b), "Boggan weli looma turjumin") {
		t.Error("/so/get-help/ is translated but shows the fallback notice")
	}
}

// gzipSize is what a page costs on the wire, compressed as the server does.
func gzipSize(t *testing.T, files ...string) int {
	t.Helper()
	total := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(raw)
		zw.Close()
		total += buf.Len()
	}
	return total
}

// TestPageWeight keeps /get-help/ within one round trip (14 KB with its CSS and
// JS) and every other page within 30 KB, compressed.
func TestPageWeight(t *testing.T) {
	dir := realSite(t)
	assets, _ := filepath.Glob(filepath.Join(dir, "css", "*.css"))
	js, _ := filepath.Glob(filepath.Join(dir, "js", "*.js"))
	assets = append(assets, js...)
	if len(assets) != 2 {
		t.Fatalf("want one stylesheet and one script, got %v", assets)
	}
	assetSize := gzipSize(t, assets...)
	for _, page := range htmlPages(t, dir) {
		size := gzipSize(t, filepath.Join(dir, page)) + assetSize
		limit := 30 * 1024
		if strings.HasSuffix(page, "get-help/index.html") {
			limit = 14 * 1024
		}
		if size > limit {
			t.Errorf("%s weighs %d bytes compressed with CSS and JS, over %d", page, size, limit)
		}
	}
}

// TestPhoneNumbersComeFromFacts guards bar 4: every phone number on a public
// page is written exactly as in shared/facts.md.
func TestPhoneNumbersComeFromFacts(t *testing.T) {
	facts, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "facts.md"))
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("shared/facts.md must sit beside the repository in CI: %v", err)
		}
		t.Skipf("shared/facts.md not found beside the repository: %v", err)
	}
	dir := realSite(t)
	phone := regexp.MustCompile(`\b(?:1-)?\d{3}-\d{3}-\d{4}\b`)
	seen := 0
	for _, page := range htmlPages(t, dir) {
		b, _ := os.ReadFile(filepath.Join(dir, page))
		for _, m := range phone.FindAll(b, -1) {
			seen++
			if !bytes.Contains(facts, m) {
				t.Errorf("%s: phone number %s is not in shared/facts.md", page, m)
			}
		}
	}
	if seen == 0 {
		t.Error("no phone numbers found: the help strip should show at least the hotline")
	}
}
