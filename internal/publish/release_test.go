package publish_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"northstar/internal/auth"
	"northstar/internal/publish"
	"northstar/internal/store"
	"northstar/internal/web"
	"northstar/internal/web/webtest"
)

// writeFiles writes files (path under root → body).
func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// generation writes sources in which every part names generation n: the
// search page's description, the one page search finds, the staff pages'
// description, and a module (demo-n) with its quiz (quiz-n); the module
// and quiz of the generation before are removed.
func generation(t *testing.T, root string, n int) {
	t.Helper()
	if n > 0 {
		os.RemoveAll(filepath.Join(root, "content", "training", fmt.Sprintf("demo-%d", n-1)))
		os.Remove(filepath.Join(root, "quizzes", fmt.Sprintf("quiz-%d.yaml", n-1)))
	}
	mod := fmt.Sprintf("content/training/demo-%d/", n)
	writeFiles(t, root, map[string]string{
		"content/search.md":                    fmt.Sprintf("---\ntitle: Search\ndescription: \"Search gen %d.\"\nlayout: search\n---\n", n),
		"content/quokka.md":                    fmt.Sprintf("---\ntitle: \"Quokka gen %d\"\ndescription: \"Quokka.\"\n---\n\nQuokka words.\n", n),
		"content/training/account.md":          fmt.Sprintf("---\ntitle: Staff training\ndescription: \"Account gen %d.\"\nlayout: app\nbuild:\n  list: never\n---\n", n),
		mod + "_index.md":                      fmt.Sprintf("---\ntitle: \"Demo gen %d\"\ndescription: Demo.\naudience: [all]\nminutes: 5\nquiz: quiz-%d\n---\n", n, n),
		mod + "intro.md":                       "---\ntitle: Intro\ndescription: Intro.\n---\n\nIntro.\n",
		fmt.Sprintf("quizzes/quiz-%d.yaml", n): fmt.Sprintf("title: \"Quiz gen %d\"\npass_mark: 80\ndraw: 1\nquestions:\n  - id: one\n    kind: true_false\n    prompt: Is this a demo?\n    answer: true\n    explanation: \"It is. See: intro\"\n", n),
	})
}

var (
	shellGen = regexp.MustCompile(`(?:Search|Account) gen (\d+)\.`)
	hitGen   = regexp.MustCompile(`Quokka gen (\d+)`)
	quizGen  = regexp.MustCompile(`Item analysis: Quiz gen (\d+)`)
)

// TestRebuildsServeWholeReleases rebuilds the sources again and again, as
// serve --watch does, while clients keep asking for answers made of
// several parts of a build. Each answer must come from one release: the
// search page's frame and its hit, the staff page's frame and the quiz of
// the module it lists.
func TestRebuildsServeWholeReleases(t *testing.T) {
	root := t.TempDir()
	if err := os.CopyFS(filepath.Join(root, "themes"), os.DirFS("../../themes")); err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, root, map[string]string{
		"config.toml":                string(cfg),
		"content/_index.md":          "---\ntitle: Help\ndescription: Help.\n---\n\nHelp.\n",
		"content/training/_index.md": "---\ntitle: Staff training\ndescription: Training for staff.\ncascade:\n  noindex: true\n---\n",
	})
	generation(t, root, 0)

	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hash, err := auth.HashPassword("a long enough passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(ctx, store.User{Email: "trainer@example.org", Name: "T", Department: "Police", Role: store.RoleTrainer, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	srv := web.New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv.SetStaff(&web.Staff{Store: st, Sessions: auth.NewSessions(st), PublicURL: "https://northstar.example.gov"})
	defer srv.Close()
	b := publish.NewBuilder(root, t.TempDir(), srv, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if _, problems := b.Build(); len(problems) > 0 {
		t.Fatal(problems)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	trainer := webtest.NewClient(nil)
	if err := webtest.SignIn(trainer, ts.URL, "trainer@example.org", "a long enough passphrase"); err != nil {
		t.Fatal(err)
	}

	// get answers path: status, the frame's generation, the part's.
	get := func(c *http.Client, path string, part *regexp.Regexp) (int, string, string, error) {
		resp, err := c.Get(ts.URL + path)
		if err != nil {
			return 0, "", "", err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return 0, "", "", err
		}
		var frame, got string
		if m := shellGen.FindSubmatch(body); m != nil {
			frame = string(m[1])
		}
		if m := part.FindSubmatch(body); m != nil {
			got = string(m[1])
		}
		return resp.StatusCode, frame, got, nil
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[string]bool{} // generations answered, per kind
	check := func(c *http.Client, path string, part *regexp.Regexp, kind string) {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			status, frame, got, err := get(c, path, part)
			if err != nil {
				t.Error(err)
				return
			}
			if status != http.StatusOK || frame == "" || frame != got {
				t.Errorf("%s: status %d, frame from generation %q, part from %q", path, status, frame, got)
				return
			}
			mu.Lock()
			seen[kind+got] = true
			mu.Unlock()
		}
	}
	for i := 0; i < 2; i++ {
		wg.Add(2)
		go check(http.DefaultClient, "/search/?q=quokka", hitGen, "search ")
		go check(trainer, "/admin/reports/items", quizGen, "items ")
	}
	const rebuilds = 6
	for n := 1; n <= rebuilds && !t.Failed(); n++ {
		generation(t, root, n)
		if _, problems := b.Build(); len(problems) > 0 {
			t.Fatalf("generation %d: %v", n, problems)
		}
	}
	// The answers follow the rebuilds: the last generation is served.
	last := fmt.Sprint(rebuilds)
	deadline := time.Now().Add(10 * time.Second)
	for !t.Failed() {
		mu.Lock()
		both := seen["search "+last] && seen["items "+last]
		mu.Unlock()
		if both {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("the last generation was never answered: %v", seen)
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if t.Failed() {
		return
	}
	for _, k := range []string{"search ", "items "} {
		n := 0
		for g := range seen {
			if strings.HasPrefix(g, k) {
				n++
			}
		}
		t.Logf("%sanswered from %d generations", k, n)
	}
}
