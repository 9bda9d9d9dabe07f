package bench

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"northstar/internal/metrics"
	"northstar/internal/release"
	"northstar/internal/search"
	"northstar/internal/site"
	"northstar/internal/web"
)

// BenchmarkObservation is the cost of City IT's view of each request — a
// JSON log line with its request id, and the Prometheus counters and
// latency histogram — on a public page and a search, in process (no
// network, so nothing hides it): "quiet" logs nothing and counts nothing.
func BenchmarkObservation(b *testing.B) {
	out := filepath.Join(b.TempDir(), "public")
	res, err := site.Build(site.Options{Root: "..", OutDir: out})
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(b.TempDir(), "search")
	if err := search.Build(dir, search.FromSite(res.Built)); err != nil {
		b.Fatal(err)
	}
	setup, err := search.LoadSetup("..")
	if err != nil {
		b.Fatal(err)
	}
	serve := func(srv *web.Server) http.Handler {
		ix, err := search.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		if err := srv.Install(release.New(release.Parts{SiteDir: out, Search: ix, Setup: setup})); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { srv.Close() })
		return srv.Handler()
	}
	quiet := serve(web.New(nil))
	observed := web.New(slog.New(slog.NewJSONHandler(io.Discard, nil)))
	observed.SetMetrics(metrics.New())
	watched := serve(observed)
	for _, path := range []string{"/get-help/", "/api/search?q=boss+keeps+my+passport"} {
		for _, side := range []struct {
			name string
			h    http.Handler
		}{{"quiet", quiet}, {"observed", watched}} {
			h := side.h
			b.Run(side.name+path, func(b *testing.B) {
				for b.Loop() {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
					if rec.Code != http.StatusOK {
						b.Fatalf("%s: %d", path, rec.Code)
					}
				}
			})
		}
	}
}
