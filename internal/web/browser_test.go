package web_test

// Real-browser tests: headless Chromium loads the built site from the test
// server over loopback HTTP. They check what only a browser can show: the quick
// exit really leaves and really drops the page from the history, axe-core finds
// no WCAG 2.1 A/AA problems, the quick exit stays usable on a 320 px phone, and
// the site still works with JavaScript off.
//
// Without Chromium or axe-core these tests skip, unless NORTHSTAR_REQUIRE_BROWSER=1
// (as in CI), where they fail instead.

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"northstar/internal/store"
)

// browserTimeout bounds each test's browser, start-up included.
const browserTimeout = 60 * time.Second

// waitTimeout bounds each poll for something the page does on its own.
const waitTimeout = 15 * time.Second

// neutralPage is what the fake quick-exit site answers: the machine has no
// internet, so the tab serves the neutral site itself.
const neutralPage = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>neutral</title></head><body><p>neutral</p></body></html>`

const installHint = ".ci/run installs them: `apt-get install -y chromium` and " +
	"`npm install --prefix $HOME/.cache/northstar axe-core@4`"

// missingTool skips the test, or fails it when NORTHSTAR_REQUIRE_BROWSER=1, so
// that CI can never pass with the browser tests silently skipped.
func missingTool(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...) + "; " + installHint
	if os.Getenv("NORTHSTAR_REQUIRE_BROWSER") == "1" {
		t.Fatalf("NORTHSTAR_REQUIRE_BROWSER=1 but %s", msg)
	}
	t.Skipf("skipping browser test: %s (set NORTHSTAR_REQUIRE_BROWSER=1 to fail instead)", msg)
}

func chromiumPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("NORTHSTAR_CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	info, err := os.Stat(p)
	if err != nil || info.IsDir() || info.Mode()&0o111 == 0 {
		missingTool(t, "Chromium not found at %s (set NORTHSTAR_CHROMIUM to its path)", p)
	}
	return p
}

// axeSource returns the text of axe.min.js.
func axeSource(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("NORTHSTAR_AXE_JS"); p != "" {
		b, err := os.ReadFile(p)
		if err != nil || len(b) == 0 {
			missingTool(t, "axe-core not found at NORTHSTAR_AXE_JS=%s", p)
		}
		return string(b)
	}
	var candidates []string
	if home, err := os.UserHomeDir(); err == nil {
		candidates = append(candidates, filepath.Join(home, ".cache", "northstar", "node_modules", "axe-core", "axe.min.js"))
	}
	candidates = append(candidates,
		"/usr/share/nodejs/axe-core/axe.min.js",
		"/usr/lib/node_modules/axe-core/axe.min.js",
	)
	for _, p := range candidates {
		if b, err := os.ReadFile(p); err == nil && len(b) > 0 {
			return string(b)
		}
	}
	missingTool(t, "axe-core not found (looked in %s; or set NORTHSTAR_AXE_JS to axe.min.js)", strings.Join(candidates, ", "))
	return ""
}

// newBrowser starts a fresh headless Chromium with its own profile and returns
// the context of its first tab. Everything ends after browserTimeout.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	execPath := chromiumPath(t)
	profile := t.TempDir() // its cleanup runs after the browser has exited

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(profile),
	)
	timeoutCtx, cancelTimeout := context.WithTimeout(context.Background(), browserTimeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(timeoutCtx, opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		_ = chromedp.Cancel(ctx) // close the browser gracefully
		cancelCtx()
		cancelAlloc() // waits for the process to exit
		cancelTimeout()
	})
	if err := chromedp.Do(ctx); err != nil { // starts the browser and opens the tab
		t.Fatalf("start Chromium (%s): %v", execPath, err)
	}
	return ctx
}

// newTab opens a fresh tab in the browser of ctx.
func newTab(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return tab
}

var quickExitURLRe = regexp.MustCompile(`(?m)^\s*quickExitURL\s*=\s*"([^"]+)"`)

// configQuickExitURL reads params.quickExitURL from the site's config.toml, so
// the tests follow the configuration.
func configQuickExitURL(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := quickExitURLRe.FindSubmatch(b)
	if m == nil {
		t.Fatal("config.toml has no params.quickExitURL")
	}
	return string(m[1])
}

// fakeNeutralSite makes the tab answer every request to the quick-exit site
// with neutralPage, and counts those requests.
func fakeNeutralSite(t *testing.T, tab context.Context, exitURL string) *atomic.Int32 {
	t.Helper()
	var hits atomic.Int32
	paused := chromedp.Events(tab, fetch.RequestPaused) // subscribe before enabling
	if _, err := chromedp.Call(tab, fetch.Enable, fetch.EnableParams{
		Patterns: []*fetch.RequestPattern{{URLPattern: exitURL + "*"}},
	}); err != nil {
		t.Fatalf("fetch.Enable: %v", err)
	}
	go func() {
		for ev, err := range paused {
			if err != nil {
				return // the tab is gone
			}
			hits.Add(1)
			_, _ = chromedp.Call(tab, fetch.FulfillRequest, fetch.FulfillRequestParams{
				RequestID:    ev.RequestID,
				ResponseCode: http.StatusOK,
				ResponseHeaders: []*fetch.HeaderEntry{
					{Name: "Content-Type", Value: "text/html; charset=utf-8"},
				},
				Body: []byte(neutralPage),
			})
		}
	}()
	return &hits
}

// pageState is what pollPage reads from the page.
type pageState struct {
	Href       string `json:"href"`
	ReadyState string `json:"readyState"`
	Text       string `json:"text"`
}

// pollPage reads the page's location, ready state and text until ok accepts
// them or waitTimeout passes. Errors while a navigation swaps the document are
// expected and only retried.
func pollPage(ctx context.Context, ok func(pageState) bool) (pageState, error) {
	ctx, cancel := context.WithTimeout(ctx, waitTimeout)
	defer cancel()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	var last pageState
	var lastErr error
	for {
		callCtx, callCancel := context.WithTimeout(ctx, 2*time.Second)
		st, err := chromedp.Run(callCtx, chromedp.Evaluate[pageState](
			`({href: location.href, readyState: document.readyState, text: document.body ? document.body.innerText : ""})`))
		callCancel()
		switch {
		case err == nil:
			last, lastErr = st, nil
			if ok(st) {
				return st, nil
			}
		case ctx.Err() == nil: // not just cut off by the deadline
			lastErr = err
		}
		select {
		case <-ctx.Done():
			if lastErr != nil {
				return last, fmt.Errorf("%w (last error: %v)", ctx.Err(), lastErr)
			}
			return last, ctx.Err()
		case <-tick.C:
		}
	}
}

func historyURLs(h page.GetNavigationHistoryResult) []string {
	urls := make([]string, len(h.Entries))
	for i, e := range h.Entries {
		urls[i] = e.URL
	}
	return urls
}

// checkQuickExit opens home, then path, in a fresh tab, runs trigger (the
// reader's Esc or click) and checks that the tab went to the neutral site with
// path's history entry replaced, so Back does not return to path.
func checkQuickExit(t *testing.T, browser context.Context, base, path string, trigger chromedp.Action[chromedp.Void]) {
	exitURL := configQuickExitURL(t)
	tab := newTab(t, browser)
	hits := fakeNeutralSite(t, tab, exitURL)

	home, target := base+"/", base+path
	if err := chromedp.Do(tab, chromedp.Navigate(home), chromedp.Navigate(target)); err != nil {
		t.Fatalf("open %s then %s: %v", home, target, err)
	}
	// The script is deferred, so it has run once the load event fired; make
	// sure we really are on the page before the reader acts.
	if st, err := pollPage(tab, func(s pageState) bool { return s.Href == target && s.ReadyState == "complete" }); err != nil {
		t.Fatalf("page %s did not load: %v (at %q)", target, err, st.Href)
	}
	if err := chromedp.Do(tab, trigger); err != nil {
		t.Fatalf("trigger quick exit on %s: %v", path, err)
	}

	st, err := pollPage(tab, func(s pageState) bool {
		return s.Href == exitURL && s.ReadyState == "complete" && strings.Contains(s.Text, "neutral")
	})
	if err != nil {
		t.Fatalf("quick exit from %s: the tab did not reach %s: %v (last location %q)", path, exitURL, err, st.Href)
	}
	if hits.Load() == 0 {
		t.Errorf("quick exit from %s: the browser never requested %s", path, exitURL)
	}

	hist, err := chromedp.Run(tab, chromedp.NavigationEntries())
	if err != nil {
		t.Fatalf("read history: %v", err)
	}
	urls := historyURLs(hist)
	for _, u := range urls {
		if u == target {
			t.Errorf("after the quick exit, the history still holds %s (location.replace should have removed it): %q", target, urls)
		}
	}
	cur := hist.CurrentIndex
	if cur < 1 || cur >= int64(len(hist.Entries)) || hist.Entries[cur].URL != exitURL {
		t.Fatalf("current history entry is not %s: index %d of %q", exitURL, cur, urls)
	}

	// Press Back, as the reader (or whoever takes the phone) would. This is
	// what chromedp.NavigateBack sends; the test polls for the result itself,
	// because a page restored from the back/forward cache fires no load event.
	if _, err := chromedp.Call(tab, page.NavigateToHistoryEntry,
		page.NavigateToHistoryEntryParams{EntryID: hist.Entries[cur-1].ID}); err != nil {
		t.Fatalf("go back: %v", err)
	}
	st, err = pollPage(tab, func(s pageState) bool { return s.Href != exitURL && s.ReadyState == "complete" })
	if err != nil {
		t.Fatalf("Back from %s did not leave it: %v (last location %q)", exitURL, err, st.Href)
	}
	if st.Href == target {
		t.Errorf("Back after the quick exit returned to %s, the page the reader left", target)
	}
	if st.Href != home {
		t.Errorf("Back after the quick exit went to %q, want the page before it, %s", st.Href, home)
	}
}

func TestBrowserQuickExitEsc(t *testing.T) {
	ts, _ := startServer(t)
	browser := newBrowser(t)

	t.Run("Esc on /signs/", func(t *testing.T) {
		checkQuickExit(t, browser, ts.URL, "/signs/", chromedp.KeyEvent(kb.Escape))
	})
	t.Run("click on /es/worker-rights/", func(t *testing.T) {
		checkQuickExit(t, browser, ts.URL, "/es/worker-rights/",
			chromedp.Click(chromedp.CSS("a.quick-exit[data-quick-exit]")))
	})
}

// axeViolation is one failed axe rule, trimmed to what a report needs.
type axeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  string `json:"target"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

type axeResults struct {
	Violations []axeViolation `json:"violations"`
	Passes     int            `json:"passes"`
	Incomplete []string       `json:"incomplete"`
}

// axeRun runs the WCAG 2.1 A and AA rules, and the best-practice rule
// "region" (all content inside landmarks), which keeps the quick exit and
// help strip where screen-reader users look for them.
const axeRun = `axe.run(document, {runOnly: {type: 'rule', values:
	axe.getRules(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).map(r => r.ruleId).concat(['region'])}})
.then(r => ({
	violations: r.violations.map(v => ({
		id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({target: JSON.stringify(n.target), summary: n.failureSummary || ''})),
	})),
	passes: r.passes.length,
	incomplete: r.incomplete.map(v => v.id + ' (' + v.nodes.length + ')'),
}))`

func TestBrowserAxe(t *testing.T) {
	axe := axeSource(t)
	ts, _ := startServer(t)
	tab := newBrowser(t)

	type axePage struct {
		path     string
		status   int64
		fallback bool // shown in English with a notice
	}
	var pages []axePage
	// Every page in both complete languages: the home and page templates.
	for _, lang := range []string{"", "/es"} {
		for _, path := range []string{"/", "/get-help/", "/sex-trafficking/", "/labor-trafficking/", "/signs/",
			"/myths-and-facts/", "/worker-rights/", "/young-people/", "/framework/",
			// The service directory: its list, an entry, the services index and one service.
			"/resources/", "/resources/national-human-trafficking-hotline/", "/services/", "/services/legal-help/",
			// Help by situation: the index, a crisis need and another.
			"/help/", "/help/thinking-about-suicide/", "/help/boss-keeps-my-documents/"} {
			pages = append(pages, axePage{path: lang + path, status: http.StatusOK})
		}
	}
	pages = append(pages,
		axePage{path: "/so/", status: http.StatusOK},
		axePage{path: "/so/get-help/", status: http.StatusOK},              // translated into Somali
		axePage{path: "/so/signs/", status: http.StatusOK, fallback: true}, // English fallback
		axePage{path: "/hmn/signs/", status: http.StatusOK, fallback: true},
		axePage{path: "/training/", status: http.StatusOK}, // staff training: index, module, lesson
		axePage{path: "/training/referral-basics/", status: http.StatusOK},
		axePage{path: "/training/referral-basics/who-to-call/", status: http.StatusOK},
		axePage{path: "/training/referral-guide/", status: http.StatusOK},
		axePage{path: "/search/?q=help&service=legal-help", status: http.StatusOK}, // results with filters open
		axePage{path: "/es/search/?q=abogado", status: http.StatusOK},
		axePage{path: "/search/?q=i+want+to+end+my+life", status: http.StatusOK}, // the crisis box
		axePage{path: "/es/search/?q=qwxzv+plimf", status: http.StatusOK},        // nothing matched: the essentials
		axePage{path: "/so/search/?q=", status: http.StatusBadRequest},           // the error message
		axePage{path: "/no-such-page/", status: http.StatusNotFound},
		axePage{path: "/es/no-such-page/", status: http.StatusNotFound},
	)
	for _, p := range pages {
		url := ts.URL + p.path
		resp, err := chromedp.Run(tab, chromedp.NavigateResponse(url))
		if err != nil {
			t.Errorf("%s: load: %v", p.path, err)
			continue
		}
		if resp == nil || resp.Status != p.status {
			var got int64
			if resp != nil {
				got = resp.Status
			}
			t.Errorf("%s: status %d, want %d", p.path, got, p.status)
			continue
		}
		if p.fallback {
			isFallback, err := chromedp.Run(tab, chromedp.Evaluate[bool](`!!document.querySelector('article[lang="en"] .notice')`))
			if err != nil {
				t.Fatalf("%s: %v", p.path, err)
			}
			if !isFallback {
				t.Errorf("%s: not the English fallback page with a notice; the test would not cover that template", p.path)
			}
		}
		checkAxe(t, tab, axe, p.path)
	}
}

// exitLayout is where the quick exit sits in the viewport.
type exitLayout struct {
	Found        bool    `json:"found"`
	Left         float64 `json:"left"`
	Top          float64 `json:"top"`
	Right        float64 `json:"right"`
	Bottom       float64 `json:"bottom"`
	InnerWidth   float64 `json:"innerWidth"`
	InnerHeight  float64 `json:"innerHeight"`
	ScrollWidth  float64 `json:"scrollWidth"`
	ScrollY      float64 `json:"scrollY"`
	ScrollHeight float64 `json:"scrollHeight"`
	Covered      bool    `json:"covered"`
	AtCentre     string  `json:"atCentre"`
	TooWide      string  `json:"tooWide"`
}

const measureExit = `(() => {
	const describe = el => el ? el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
		(el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') : 'nothing';
	const link = document.querySelector('a.quick-exit[data-quick-exit]');
	if (!link) return {found: false};
	const r = link.getBoundingClientRect();
	const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
	const tooWide = [...document.body.querySelectorAll('*')]
		.filter(el => el.getBoundingClientRect().right > innerWidth + 0.5)
		.slice(0, 5).map(describe).join(' ');
	return {
		found: true, left: r.left, top: r.top, right: r.right, bottom: r.bottom,
		innerWidth, innerHeight, scrollY,
		scrollWidth: document.documentElement.scrollWidth,
		scrollHeight: document.documentElement.scrollHeight,
		covered: !(hit === link || link.contains(hit)), atCentre: describe(hit), tooWide,
	};
})()`

func TestBrowserQuickExitVisibleAt320(t *testing.T) {
	ts, _ := startServer(t)
	tab := newBrowser(t)
	const width, height = 320, 640
	if err := chromedp.Do(tab, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatalf("emulate %dx%d: %v", width, height, err)
	}

	for _, path := range []string{"/get-help/", "/es/labor-trafficking/", "/training/referral-guide/", "/help/thinking-about-suicide/"} {
		if err := chromedp.Do(tab, chromedp.Navigate(ts.URL+path)); err != nil {
			t.Fatalf("%s: load: %v", path, err)
		}
		for _, where := range []string{"top", "bottom"} {
			if where == "bottom" {
				if err := chromedp.Do(tab, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, document.body.scrollHeight)`)); err != nil {
					t.Fatalf("%s: scroll: %v", path, err)
				}
			}
			l, err := chromedp.Run(tab, chromedp.Evaluate[exitLayout](measureExit))
			if err != nil {
				t.Fatalf("%s: measure: %v", path, err)
			}
			at := path + " at the " + where
			if !l.Found {
				t.Errorf("%s: no quick-exit link", at)
				continue
			}
			if l.InnerWidth != width || l.InnerHeight != height {
				t.Fatalf("%s: viewport is %vx%v, want %dx%d", at, l.InnerWidth, l.InnerHeight, width, height)
			}
			if where == "bottom" {
				if l.ScrollY <= 0 {
					t.Errorf("%s: the page did not scroll (scrollY %v), so the check proves nothing", at, l.ScrollY)
				}
				if l.ScrollY+l.InnerHeight < l.ScrollHeight-1 {
					t.Errorf("%s: not at the bottom: scrollY %v + %v < scrollHeight %v", at, l.ScrollY, l.InnerHeight, l.ScrollHeight)
				}
			}
			if l.Right <= l.Left || l.Bottom <= l.Top {
				t.Errorf("%s: quick exit has no size: %+v", at, l)
			}
			if l.Left < 0 || l.Top < 0 || l.Right > l.InnerWidth || l.Bottom > l.InnerHeight {
				t.Errorf("%s: quick exit is not fully in the %vx%v viewport: left %v top %v right %v bottom %v",
					at, l.InnerWidth, l.InnerHeight, l.Left, l.Top, l.Right, l.Bottom)
			}
			if l.Covered {
				t.Errorf("%s: something covers the quick exit: at its centre is %s", at, l.AtCentre)
			}
			if l.ScrollWidth > l.InnerWidth {
				t.Errorf("%s: page scrolls sideways: scrollWidth %v > innerWidth %v (too wide: %s)",
					at, l.ScrollWidth, l.InnerWidth, l.TooWide)
			}
		}
	}
}

func TestBrowserWorksWithoutJS(t *testing.T) {
	exitURL := configQuickExitURL(t)
	ts, _ := startServer(t)
	tab := newBrowser(t)
	hits := fakeNeutralSite(t, tab, exitURL)
	if _, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disable JavaScript: %v", err)
	}

	for _, path := range []string{"/", "/es/get-help/"} {
		url := ts.URL + path
		if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
			t.Fatalf("%s: load: %v", path, err)
		}
		// Read the DOM through the protocol's DOM domain: no page script runs.
		exits, err := chromedp.Run(tab, chromedp.Nodes(chromedp.CSSAll("a.quick-exit[data-quick-exit]"), chromedp.AtLeast(0)))
		if err != nil {
			t.Fatalf("%s: query quick exit: %v", path, err)
		}
		if len(exits) != 1 {
			t.Errorf("%s: %d quick-exit links, want 1", path, len(exits))
		} else if href := exits[0].AttributeValue("href"); href != exitURL {
			t.Errorf("%s: quick exit href %q, want the neutral site %q", path, href, exitURL)
		}
		tel, err := chromedp.Run(tab, chromedp.Nodes(chromedp.CSSAll(`.help-strip a[href="tel:911"]`), chromedp.AtLeast(0)))
		if err != nil {
			t.Fatalf("%s: query help strip: %v", path, err)
		}
		if len(tel) == 0 {
			t.Errorf("%s: the help strip has no tel:911 link", path)
		}
	}

	// The quick exit is a plain link: clicking it still leaves for the neutral
	// site. Without the script it is an ordinary navigation, so the page stays in
	// the history, which also shows that JavaScript really was off.
	page1 := ts.URL + "/es/get-help/"
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS("a.quick-exit[data-quick-exit]"))); err != nil {
		t.Fatalf("click quick exit: %v", err)
	}
	st, err := pollPage(tab, func(s pageState) bool {
		return s.Href == exitURL && s.ReadyState == "complete" && strings.Contains(s.Text, "neutral")
	})
	if err != nil {
		t.Fatalf("without JS, clicking the quick exit did not reach %s: %v (last location %q)", exitURL, err, st.Href)
	}
	if hits.Load() == 0 {
		t.Errorf("the browser never requested %s", exitURL)
	}
	hist, err := chromedp.Run(tab, chromedp.NavigationEntries())
	if err != nil {
		t.Fatalf("read history: %v", err)
	}
	if urls := historyURLs(hist); !slices.Contains(urls, page1) {
		t.Errorf("with JavaScript off the click should be a plain navigation that keeps %s in the history; history %q "+
			"(did the script run anyway?)", page1, urls)
	}
}

// TestBrowserSearchFromHome types in the search box on the home page and
// presses Enter, with JavaScript on and off: the server renders the results.
func TestBrowserSearchFromHome(t *testing.T) {
	ts, _ := startServer(t)
	for _, js := range []bool{true, false} {
		t.Run(fmt.Sprintf("javascript=%v", js), func(t *testing.T) {
			tab := newBrowser(t)
			if !js {
				if _, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled,
					emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
					t.Fatalf("disable JavaScript: %v", err)
				}
			}
			if err := chromedp.Do(tab, chromedp.Navigate(ts.URL+"/es/")); err != nil {
				t.Fatalf("load home: %v", err)
			}
			if err := chromedp.Do(tab, chromedp.SendKeys(chromedp.CSS("#site-search-q"), "trafiking hotlin\r")); err != nil {
				t.Fatalf("type the search: %v", err)
			}
			st, err := pollPage(tab, func(s pageState) bool {
				return strings.Contains(s.Href, "/es/search/?q=trafiking+hotlin") && s.ReadyState == "complete"
			})
			if err != nil {
				t.Fatalf("the search did not reach the results page: %v (at %q)", err, st.Href)
			}
			links, err := chromedp.Run(tab, chromedp.Nodes(chromedp.CSSAll(".results a.result-title"), chromedp.AtLeast(0)))
			if err != nil {
				t.Fatalf("read results: %v", err)
			}
			if len(links) == 0 || links[0].AttributeValue("href") != "/es/resources/national-human-trafficking-hotline/" {
				var got []string
				for _, l := range links {
					got = append(got, l.AttributeValue("href"))
				}
				t.Errorf("results %v, want the hotline first", got)
			}
		})
	}
}

// checkAxe runs axe-core on the page open in tab and reports each violation.
func checkAxe(t *testing.T, tab context.Context, axe, label string) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
		t.Fatalf("%s: inject axe-core: %v", label, err)
	}
	res, err := chromedp.Run(tab, chromedp.Evaluate[axeResults](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Errorf("%s: axe.run: %v", label, err)
		return
	}
	if res.Passes == 0 {
		t.Errorf("%s: axe passed no rule at all; it did not really check the page", label)
	}
	for _, v := range res.Violations {
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, n.Target)
		}
		t.Errorf("%s: axe %s (%s): %s\n\t%s\n\tnodes: %s\n\tfirst: %s",
			label, v.ID, v.Impact, v.Help, v.HelpURL, strings.Join(targets, " "), v.Nodes[0].Summary)
	}
	if len(res.Incomplete) > 0 {
		t.Logf("%s: axe could not decide (check by hand): %s", label, strings.Join(res.Incomplete, ", "))
	}
}

// TestBrowserStaffFlow signs in, takes a quiz and reads the result in real
// Chromium with JavaScript off — keyboard and form submission only — and runs
// axe-core on every staff page on the way.
func TestBrowserStaffFlow(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts := staffServer(t, st)
	b := newStaffTab(t)
	if err := chromedp.Do(b.tab, chromedp.Navigate(ts.URL+"/training/my/")); err != nil {
		t.Fatal(err)
	}
	b.waitFor("redirect to sign in", func(s pageState) bool { return strings.Contains(s.Href, "/login?next=") && s.ReadyState == "complete" })
	b.axeCheck("/login")
	b.typeSignIn("learner@example.org")
	b.waitFor("My training", func(s pageState) bool { return strings.Contains(s.Text, "Signed in as learner") })
	b.axeCheck("/training/my/")
	if err := chromedp.Do(b.tab, chromedp.Click(chromedp.CSS(`a[href="/training/referral-basics/quiz/"]`))); err != nil {
		t.Fatal(err)
	}
	b.waitFor("the quiz form", func(s pageState) bool {
		return strings.Contains(s.Text, "Submit answers") && s.ReadyState == "complete"
	})
	b.axeCheck("quiz form")
	// Answer each question with its first option, then submit, by keyboard.
	firsts, err := chromedp.Run(b.tab, chromedp.Nodes(chromedp.CSSAll("fieldset label:first-of-type input"), chromedp.AtLeast(1)))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range firsts {
		if err := chromedp.Do(b.tab, chromedp.MouseClickNode(n)); err != nil {
			t.Fatalf("choose an answer: %v", err)
		}
	}
	if err := chromedp.Do(b.tab, chromedp.Click(chromedp.CSS(`form.quiz button[type="submit"]`))); err != nil {
		t.Fatal(err)
	}
	b.waitFor("the result page", func(s pageState) bool { return strings.Contains(s.Text, "Your result:") && s.ReadyState == "complete" })
	b.axeCheck("quiz result")
	// The review, reached by keyboard from the result page, at a desktop's
	// width and a phone's.
	b.tabTo(`a[href^="/training/attempts/"][href$="/review"]`)
	b.press(kb.Enter)
	b.waitFor("the review", func(s pageState) bool {
		return strings.Contains(s.Text, "Review: ") && strings.Contains(s.Text, "Question 1: ") && s.ReadyState == "complete"
	})
	b.checkWidths("attempt review")
	// My training lists the attempt, linked to the same review.
	if err := chromedp.Do(b.tab, chromedp.Navigate(ts.URL+"/training/my/")); err != nil {
		t.Fatal(err)
	}
	b.waitFor("My training with a past attempt", func(s pageState) bool {
		return strings.Contains(s.Text, "Your past attempts") && s.ReadyState == "complete"
	})
	b.checkWidths("/training/my/ with past attempts")
}

// checkWidths runs axe-core on the page at 1280 px, then at 320 px, and
// checks that it does not scroll sideways at either (tables scroll in
// their own region).
func (b *staffTab) checkWidths(label string) {
	b.t.Helper()
	for _, width := range []int64{1280, 320} {
		if err := chromedp.Do(b.tab, chromedp.EmulateViewport(width, 900)); err != nil {
			b.t.Fatal(err)
		}
		at := fmt.Sprintf("%s at %d px", label, width)
		if w := b.sideways(); w > 0.5 {
			b.t.Errorf("%s scrolls sideways by %.0f px", at, w)
		}
		b.axeCheck(at)
	}
	// Back to the browser's own size for the pages after.
	if _, err := chromedp.Call(b.tab, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
		b.t.Fatal(err)
	}
}

// TestBrowserCertificatesAndReports opens every certificate, assignment and
// report page in real Chromium with JavaScript off, runs axe-core on each,
// and revokes a certificate by keyboard.
func TestBrowserCertificatesAndReports(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	code := seedCertificate(t, st, "learner@example.org", "referral-basics")
	seedCertificate(t, st, "other@example.org", "trafficking-basics")
	ctx := context.Background()
	admin, _ := st.UserByEmail(ctx, "admin@example.org")
	other, _ := st.UserByEmail(ctx, "other@example.org")
	now := time.Now().UTC()
	st.CreateAssignment(ctx, store.Assignment{Module: "referral-basics", Department: "Police", DueAt: now.AddDate(0, 1, 0), AssignedBy: admin.ID, CreatedAt: now})
	st.CreateAssignment(ctx, store.Assignment{Module: "police-response", UserID: other.ID, DueAt: now.Add(-time.Hour), AssignedBy: admin.ID, CreatedAt: now.AddDate(0, -1, 0)})
	ts := staffServer(t, st)
	b := newStaffTab(t)

	visit := func(path, want string) {
		t.Helper()
		if err := chromedp.Do(b.tab, chromedp.Navigate(ts.URL+path)); err != nil {
			t.Fatal(err)
		}
		b.waitFor(path, func(s pageState) bool { return strings.Contains(s.Text, want) && s.ReadyState == "complete" })
		b.axeCheck(path)
	}
	visit("/certificates/", "Check a certificate")
	visit("/certificates/"+code, "This certificate is valid")
	if err := chromedp.Do(b.tab, chromedp.Navigate(ts.URL+"/login?next=/admin/reports/")); err != nil {
		t.Fatal(err)
	}
	b.waitFor("sign-in page", func(s pageState) bool { return s.ReadyState == "complete" })
	b.typeSignIn("admin@example.org")
	b.waitFor("reports", func(s pageState) bool { return strings.Contains(s.Text, "Completion by department and module") })
	b.axeCheck("/admin/reports/")
	visit("/admin/reports/overdue", "1 overdue or expired")
	visit("/admin/reports/items?quiz=referral-basics", "Item analysis")
	visit("/admin/reports/attempts?quiz=referral-basics", "1 graded attempt;")
	b.checkWidths("/admin/reports/attempts")
	// The learner's attempt, as a trainer reviews it: seeded without real
	// questions, so every question drawn is said to be gone.
	if err := chromedp.Do(b.tab, chromedp.Click(chromedp.CSS(`table a[href$="/review"]`))); err != nil {
		t.Fatal(err)
	}
	b.waitFor("a trainer's review", func(s pageState) bool {
		return strings.Contains(s.Text, "Attempt by learner") && s.ReadyState == "complete"
	})
	b.checkWidths("a trainer's review")
	visit("/admin/assignments/", "Current assignments")
	visit("/training/my/", "Signed in as admin")
	visit("/admin/certificates/?q=learner@example.org", "Reason for revoking")
	// Revoke by keyboard: type the reason, press Enter.
	if err := chromedp.Do(b.tab, chromedp.SendKeys(chromedp.CSS("#reason-"+code), "Issued in error\r")); err != nil {
		t.Fatal(err)
	}
	b.waitFor("revocation", func(s pageState) bool { return strings.Contains(s.Text, "The certificate is revoked") })
	b.axeCheck("revoked")
	visit("/certificates/"+code, "This certificate is revoked")
}

// staffTab is a Chromium tab with JavaScript off, as a staff member without
// script would use the site; axe-core runs with script on, between pages.
type staffTab struct {
	t   *testing.T
	tab context.Context
	axe string
}

func newStaffTab(t *testing.T) *staffTab {
	b := &staffTab{t: t, axe: axeSource(t), tab: newBrowser(t)}
	b.setJS(false)
	return b
}

func (b *staffTab) setJS(on bool) {
	b.t.Helper()
	if _, err := chromedp.Call(b.tab, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
		b.t.Fatalf("switch JavaScript: %v", err)
	}
}

// axeCheck runs axe-core, which needs script, on the page loaded without it.
func (b *staffTab) axeCheck(label string) {
	b.t.Helper()
	b.setJS(true)
	checkAxe(b.t, b.tab, b.axe, label)
	b.setJS(false)
}

func (b *staffTab) waitFor(what string, ok func(pageState) bool) {
	b.t.Helper()
	if st, err := pollPage(b.tab, ok); err != nil {
		b.t.Fatalf("%s: %v (at %q)", what, err, st.Href)
	}
}

// signInAt opens the sign-in page at 1280 px on its way to next and signs
// in as email by keyboard.
func (b *staffTab) signInAt(base, next, email string) {
	b.t.Helper()
	if err := chromedp.Do(b.tab, chromedp.EmulateViewport(1280, 900)); err != nil {
		b.t.Fatal(err)
	}
	if err := chromedp.Do(b.tab, chromedp.Navigate(base+"/login?next="+next)); err != nil {
		b.t.Fatal(err)
	}
	b.waitFor("sign-in page", func(s pageState) bool { return s.ReadyState == "complete" })
	b.typeSignIn(email)
}

// typeSignIn fills the sign-in form on the current page by keyboard and
// waits to be signed in.
func (b *staffTab) typeSignIn(email string) {
	b.t.Helper()
	if err := chromedp.Do(b.tab, chromedp.SendKeys(chromedp.CSS("#email"), email)); err != nil {
		b.t.Fatal(err)
	}
	if err := chromedp.Do(b.tab, chromedp.SendKeys(chromedp.CSS("#password"), testPassword+"\r")); err != nil {
		b.t.Fatal(err)
	}
	b.waitFor("signed in", func(s pageState) bool {
		return !strings.Contains(s.Href, "/login") && s.ReadyState == "complete"
	})
}
