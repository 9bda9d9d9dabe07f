package web_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"northstar/internal/quiz"
	"northstar/internal/release"
	"northstar/internal/search"
	"northstar/internal/site"
	"northstar/internal/training"
	"northstar/internal/web"
)

// builtSite is the real site from the repository, built once for all tests
// here; indexDir holds its search index; builtPages what Hugo reported.
var (
	builtSite, indexDir string
	builtPages          []site.PageInfo
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "northstar-web-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	builtSite = filepath.Join(dir, "public")
	indexDir = filepath.Join(dir, "data", "search")
	res, err := site.Build(site.Options{Root: "../..", OutDir: builtSite})
	if err == nil {
		builtPages = res.Built
		err = search.BuildAside(indexDir, search.FromSite(res.Built))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "build site for tests:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// syncBuffer collects log output written from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startServer serves the built site over real HTTP on loopback. The returned
// buffer holds everything the server logged.
func startServer(t testing.TB) (*httptest.Server, *syncBuffer) {
	t.Helper()
	return startServerWith(t, nil)
}

// startServerWith is startServer with a chance to configure the server
// (SetStaff) before its first release is installed.
func startServerWith(t testing.TB, configure func(*web.Server)) (*httptest.Server, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	srv := web.New(slog.New(slog.NewTextHandler(logs, nil)))
	if configure != nil {
		configure(srv)
	}
	installRelease(t, srv, testQuizzes)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return ts, logs
}

// testModules are the repository's modules.
var testModules = func() []training.Module {
	m, err := training.ReadModules("../..")
	if err != nil {
		panic(err)
	}
	return m
}()

// installRelease serves the built site with its own handle on the search
// index, quizzes, the repository's modules and two departments.
func installRelease(t testing.TB, srv *web.Server, quizzes map[string]*quiz.Quiz) {
	t.Helper()
	setup, err := search.LoadSetup("../..")
	if err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(indexDir)
	if err != nil {
		t.Fatal(err)
	}
	rel := release.New(release.Parts{SiteDir: builtSite, Search: ix, Setup: setup,
		Quizzes: quizzes, Modules: testModules, Departments: []string{"Police", "Health"}})
	if err := srv.Install(rel); err != nil {
		rel.Retire()
		t.Fatal(err)
	}
}
