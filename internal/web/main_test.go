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
	"northstar/internal/referral"
	"northstar/internal/release"
	"northstar/internal/search"
	"northstar/internal/site"
	"northstar/internal/training"
	"northstar/internal/web"
)

// testSite is a site built once for all tests here, with its search index,
// modules and quizzes.
type testSite struct {
	root, dir, index string
	pages            []site.PageInfo
	modules          []training.Module
	quizzes          map[string]*quiz.Quiz
	directory        []referral.Resource
	referrals        referral.Settings
}

// liveSite is the repository's own site: tests of what residents and staff
// read (every page, the search, the published answer keys) use it.
// staffSite is testdata/site, the real theme with a few pages and small
// quizzes: tests of the code behind the staff side use it, so that a
// change of curriculum cannot break them.
var liveSite, staffSite = &testSite{root: "../.."}, &testSite{root: "testdata/site"}

// builtSite, indexDir and builtPages are the live site's.
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
	for i, ts := range []*testSite{liveSite, staffSite} {
		if err == nil {
			err = ts.build(filepath.Join(dir, fmt.Sprint(i)))
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "build sites for tests:", err)
		os.Exit(1)
	}
	builtSite, indexDir, builtPages = liveSite.dir, liveSite.index, liveSite.pages
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// build builds the site into dir/public, its index into dir/data/search,
// and reads its modules and quizzes.
func (ts *testSite) build(dir string) error {
	ts.dir, ts.index = filepath.Join(dir, "public"), filepath.Join(dir, "data", "search")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	res, err := site.Build(site.Options{Root: ts.root, OutDir: ts.dir})
	if err != nil {
		return err
	}
	ts.pages = res.Built
	if err := search.BuildAside(ts.index, search.FromSite(res.Built)); err != nil {
		return err
	}
	if ts.modules, err = training.ReadModules(ts.root); err != nil {
		return err
	}
	cfg, err := site.LoadConfig(ts.root)
	if err != nil {
		return err
	}
	if ts.referrals, err = referral.SettingsFrom(cfg); err != nil {
		return err
	}
	pages, err := site.ScanContent(ts.root, cfg)
	if err != nil {
		return err
	}
	ts.directory = referral.ResourcesFromContent(pages)
	q, probs, err := quiz.LoadDir(filepath.Join(ts.root, "quizzes"))
	if err == nil && len(probs) > 0 {
		err = fmt.Errorf("quizzes of %s: %v", ts.root, probs)
	}
	ts.quizzes = q
	return err
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

// startServer serves the live site over real HTTP on loopback. The returned
// buffer holds everything the server logged.
func startServer(t testing.TB) (*httptest.Server, *syncBuffer) {
	t.Helper()
	return startServerWith(t, nil)
}

// startServerWith is startServer with a chance to configure the server
// (SetLiveReload) before its first release is installed.
func startServerWith(t testing.TB, configure func(*web.Server)) (*httptest.Server, *syncBuffer) {
	t.Helper()
	return serveSite(t, liveSite, configure)
}

// startStaffServer serves the staff test site with the staff side that
// configure sets (SetStaff).
func startStaffServer(t testing.TB, configure func(*web.Server)) (*httptest.Server, *syncBuffer) {
	t.Helper()
	return serveSite(t, staffSite, configure)
}

func serveSite(t testing.TB, ts *testSite, configure func(*web.Server)) (*httptest.Server, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	srv := web.New(slog.New(slog.NewTextHandler(logs, nil)))
	if configure != nil {
		configure(srv)
	}
	installRelease(t, srv, ts, ts.quizzes)
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		hs.Close()
		srv.Close()
	})
	return hs, logs
}

// installRelease serves ts with its own handle on its search index, the
// quizzes given, its modules and two departments.
func installRelease(t testing.TB, srv *web.Server, ts *testSite, quizzes map[string]*quiz.Quiz) {
	t.Helper()
	setup, err := search.LoadSetup(ts.root)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(ts.index)
	if err != nil {
		t.Fatal(err)
	}
	rel := release.New(release.Parts{SiteDir: ts.dir, Search: ix, Setup: setup,
		Quizzes: quizzes, Modules: ts.modules, Departments: []string{"Police", "Health"},
		Directory: ts.directory, Referrals: ts.referrals})
	if err := srv.Install(rel); err != nil {
		rel.Retire()
		t.Fatal(err)
	}
}
