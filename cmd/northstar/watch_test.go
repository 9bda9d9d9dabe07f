package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is the terminal of a serve running in a goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, deadline time.Time, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within the deadline", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func fetch(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
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

type liveState struct {
	Build    string   `json:"build"`
	Problems []string `json:"problems"`
}

// liveEvents follows the live-reload event stream a page opens.
func liveEvents(t *testing.T, url string) <-chan liveState {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || ct != "text/event-stream" {
		t.Fatalf("event stream: status %d, type %q", resp.StatusCode, ct)
	}
	t.Cleanup(func() { resp.Body.Close() })
	states := make(chan liveState, 100)
	go func() {
		defer close(states)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var st liveState
				if json.Unmarshal([]byte(data), &st) == nil {
					states <- st
				}
			}
		}
	}()
	return states
}

// nextState waits for the stream's next state that satisfies ok.
func nextState(t *testing.T, states <-chan liveState, deadline time.Time, ok func(liveState) bool) liveState {
	t.Helper()
	for {
		select {
		case st, open := <-states:
			if !open {
				t.Fatal("event stream ended")
			}
			if ok(st) {
				return st
			}
		case <-time.After(time.Until(deadline)):
			t.Fatal("no such event before the deadline")
		}
	}
}

// startServeInProcess runs serve on root in a goroutine, on a free port, and
// returns its address and its terminal; the test's end stops it, and it must
// then return without error.
func startServeInProcess(t *testing.T, root string, flags ...string) (string, *lockedBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	term := &lockedBuffer{}
	done := make(chan error, 1)
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--site", root}, flags...)
	go func() { done <- run(ctx, args, term, io.Discard) }()
	stopped := false
	t.Cleanup(func() {
		cancel()
		if stopped {
			return
		}
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v after shutdown", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop after its context was cancelled")
		}
	})
	urlLine := regexp.MustCompile(`http://\S+/`)
	var base string
	eventually(t, time.Now().Add(60*time.Second), "serve prints its address", func() bool {
		select {
		case err := <-done:
			stopped = true
			t.Fatalf("serve returned %v\n%s", err, term.String())
		default:
		}
		base = strings.TrimSuffix(urlLine.FindString(term.String()), "/")
		return base != ""
	})
	return base, term
}

// TestServeWatchWaitsForAFirstBuild: serve --watch on sources that do not
// build yet keeps running, shows why on every page and in the terminal, and
// serves the site once they are fixed; a plain serve refuses to start.
func TestServeWatchWaitsForAFirstBuild(t *testing.T) {
	root := smallSite(t)
	index := filepath.Join(root, "content", "_index.md")
	if err := os.WriteFile(index, []byte("---\ntitle: \"Help\ndescription: Help.\n---\n\nBroken.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--site", root}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "content/_index.md:2: ") {
		t.Errorf("plain serve of a broken site: %v", err)
	}

	base, term := startServeInProcess(t, root, "--watch")
	if out := term.String(); !strings.Contains(out, "does not build yet") || !strings.Contains(out, "\ncontent/_index.md:2: ") {
		t.Errorf("terminal:\n%s", out)
	}
	resp, page := fetch(t, base+"/")
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(page, `id="northstar-build-problems"`) ||
		!strings.Contains(page, "content/_index.md:2: ") || !strings.Contains(page, `<script src="/_northstar/livereload.js"`) {
		t.Errorf("page before the first good build: status %d\n%s", resp.StatusCode, page)
	}
	if resp, _ := fetch(t, base+"/api/me/training"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("staff API before the first good build: status %d", resp.StatusCode)
	}
	states := liveEvents(t, base+"/_northstar/livereload")
	first := nextState(t, states, time.Now().Add(5*time.Second), func(liveState) bool { return true })

	if err := os.WriteFile(index, []byte("---\ntitle: Help\ndescription: Help.\n---\n\nFixed at last.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	nextState(t, states, deadline, func(st liveState) bool { return st.Build != first.Build && len(st.Problems) == 0 })
	resp, page = fetch(t, base+"/")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Fixed at last") || strings.Contains(page, "northstar-build-problems") {
		t.Errorf("page after the fix: status %d\n%s", resp.StatusCode, page)
	}
	// The staff side comes with the first good build: until then there
	// is none (404); then it asks to sign in (401).
	if resp, _ := fetch(t, base+"/api/me/training"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("staff API after the fix: status %d", resp.StatusCode)
	}
}

// TestServeWatch runs serve --watch on a small site over loopback: an edit is
// served within 2 s; a broken page or quiz is reported in the terminal and on
// the page while the last good build is still served; fixing them recovers.
func TestServeWatch(t *testing.T) {
	root := smallSite(t)
	write := func(rel, body string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const goodQuiz = "title: Demo\npass_mark: 80\ndraw: 1\nquestions:\n  - id: one\n    kind: true_false\n    prompt: Is this a demo?\n    answer: true\n    explanation: \"It is. See: intro\"\n"
	write("quizzes/demo.yaml", goodQuiz)
	write("content/training/demo/_index.md", "---\ntitle: Demo module\ndescription: Demo.\naudience: [all]\nminutes: 5\nquiz: demo\nweight: 10\n---\n")
	write("content/training/demo/intro.md", "---\ntitle: Intro\ndescription: Intro.\nweight: 1\n---\nIntro.\n")

	base, term := startServeInProcess(t, root, "--watch")

	resp, page := fetch(t, base+"/")
	if !strings.Contains(page, "Help with trafficking") || !strings.Contains(page, `<script src="/_northstar/livereload.js"`) {
		t.Fatalf("home page while watching:\n%s", page)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe") {
		t.Errorf("CSP while watching: %q", csp)
	}
	if resp, js := fetch(t, base+"/_northstar/livereload.js"); resp.StatusCode != http.StatusOK || !strings.Contains(js, "EventSource") {
		t.Errorf("live-reload script: status %d", resp.StatusCode)
	}
	states := liveEvents(t, base+"/_northstar/livereload")
	first := nextState(t, states, time.Now().Add(5*time.Second), func(liveState) bool { return true })
	if len(first.Problems) != 0 {
		t.Fatalf("problems at start: %v", first.Problems)
	}

	// An edit is served within 2 s, search included, and pages are told to reload.
	write("content/_index.md", "---\ntitle: Help\ndescription: Help.\n---\n\nFresh zanzibar words.\n")
	deadline := time.Now().Add(2 * time.Second)
	eventually(t, deadline, "the edited page is served", func() bool {
		_, page := fetch(t, base+"/")
		return strings.Contains(page, "Fresh zanzibar words")
	})
	rebuilt := nextState(t, states, deadline, func(st liveState) bool { return st.Build != first.Build })
	if _, found := fetch(t, base+"/api/search?q=zanzibar"); !strings.Contains(found, `"url":"/"`) {
		t.Errorf("search does not find the edit: %s", found)
	}
	if out := term.String(); !strings.Contains(out, "content/_index.md changed: rebuilt in") {
		t.Errorf("terminal after a rebuild:\n%s", out)
	}

	// A broken page: the last good build is still served, with the problem.
	write("content/_index.md", "---\ntitle: \"Help\ndescription: Help.\n---\n\nBroken words.\n")
	deadline = time.Now().Add(10 * time.Second)
	broken := nextState(t, states, deadline, func(st liveState) bool { return len(st.Problems) > 0 })
	if broken.Build != rebuilt.Build || !strings.HasPrefix(broken.Problems[0], "content/_index.md:2: ") {
		t.Errorf("event for a broken page: %+v", broken)
	}
	if out := term.String(); !strings.Contains(out, "\ncontent/_index.md:2: ") {
		t.Errorf("terminal lacks the problem as file:line: message:\n%s", out)
	}
	_, page = fetch(t, base+"/")
	if !strings.Contains(page, "Fresh zanzibar words") || strings.Contains(page, "Broken words") {
		t.Errorf("the last good build is not what is served:\n%s", page)
	}
	if !strings.Contains(page, `id="northstar-build-problems"`) || !strings.Contains(page, "content/_index.md:2: ") {
		t.Errorf("the page does not show the problem without JavaScript:\n%s", page)
	}

	// A broken quiz as well: both are reported.
	write("quizzes/demo.yaml", "title: Demo\ndraw: [\n")
	both := nextState(t, states, time.Now().Add(10*time.Second), func(st liveState) bool {
		return len(st.Problems) > 1 && strings.HasPrefix(st.Problems[0], "quizzes/demo.yaml:")
	})
	if !strings.HasPrefix(both.Problems[len(both.Problems)-1], "content/_index.md:2: ") {
		t.Errorf("problems with a broken page and quiz: %q", both.Problems)
	}

	// Fixing both recovers: the new page is served, without the box.
	write("content/_index.md", "---\ntitle: Help\ndescription: Help.\n---\n\nRecovered words.\n")
	write("quizzes/demo.yaml", goodQuiz)
	deadline = time.Now().Add(2 * time.Second)
	eventually(t, deadline, "the fixed page is served", func() bool {
		_, page := fetch(t, base+"/")
		return strings.Contains(page, "Recovered words") && !strings.Contains(page, "northstar-build-problems")
	})
	nextState(t, states, time.Now().Add(5*time.Second), func(st liveState) bool {
		return st.Build != rebuilt.Build && len(st.Problems) == 0
	})

	// A page that builds but that check refuses: the terminal says so
	// after the rebuild, and again once it is fixed.
	if !strings.Contains(term.String(), "northstar check: ") {
		t.Errorf("no check report in the terminal:\n%s", term.String())
	}
	write("content/_index.md", "---\ntitle: Help\ndescription: Help.\n---\n\nRecovered words. TODO\n")
	const todo = "content/_index.md:6: placeholder TODO left here"
	eventually(t, time.Now().Add(10*time.Second), "check's finding in the terminal", func() bool {
		return strings.Contains(term.String(), todo)
	})
	write("content/_index.md", "---\ntitle: Help\ndescription: Help.\n---\n\nRecovered words.\n")
	eventually(t, time.Now().Add(10*time.Second), "a check report without the finding", func() bool {
		out := term.String()
		last := out[strings.LastIndex(out, "northstar check: "):]
		return strings.Index(out, todo) < strings.LastIndex(out, "northstar check: ") && !strings.Contains(last, todo)
	})
}

// TestServeWithoutWatchAddsNothing: pages of a plain serve load no extra script
// and there is no live-reload route.
func TestServeWithoutWatchAddsNothing(t *testing.T) {
	base, _ := startServeInProcess(t, smallSite(t))
	_, page := fetch(t, base+"/")
	if strings.Contains(page, "_northstar") || strings.Contains(page, "northstar-build-problems") {
		t.Errorf("a plain serve changed the page:\n%s", page)
	}
	for _, p := range []string{"/_northstar/livereload", "/_northstar/livereload.js"} {
		if resp, _ := fetch(t, base+p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s without --watch: status %d", p, resp.StatusCode)
		}
	}
}
