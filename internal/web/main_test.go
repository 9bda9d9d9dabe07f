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

	"northstar/internal/site"
	"northstar/internal/web"
)

// builtSite is the real site from the repository, built once for all tests here.
var builtSite string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "northstar-web-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	builtSite = filepath.Join(dir, "public")
	if _, err := site.Build(site.Options{Root: "../..", OutDir: builtSite}); err != nil {
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
	logs := &syncBuffer{}
	srv := web.New(slog.New(slog.NewTextHandler(logs, nil)))
	if err := srv.SetSiteDir(builtSite); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, logs
}
