package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"northstar/internal/config"
	"northstar/internal/release"
	"northstar/internal/search"
	"northstar/internal/site"
	"northstar/internal/web"
)

// searchQueries is what the benchmark asks, in turn: words residents use,
// misspellings, Spanish, and filters.
var searchQueries = []search.Query{
	{Text: "legal help", Lang: "en"},
	{Text: "trafiking hotlin", Lang: "en"},
	{Text: "boss took my passport", Lang: "en"},
	{Text: "wage theft overtime", Lang: "en", Services: []string{"labor-rights"}},
	{Text: "shelter", Lang: "en", Open247: true},
	{Text: "no me pagan", Lang: "es"},
	{Text: "abogado gratis", Lang: "es", Languages: []string{"es"}},
	{Text: "youth support", Lang: "en", Populations: []string{"youth"}},
	// Needs-heavy: situations in residents' words, matched against every
	// need's phrases (content/help/) as well as the index.
	{Text: "i want to end my life", Lang: "en"},
	{Text: "me violaron anoche", Lang: "es"},
	{Text: "my boss keeps my pasport and says i owe him", Lang: "en"},
	{Text: "im 16 and my boyfriend makes me have sex with his friends for money", Lang: "en"},
	{Text: "no tengo donde dormir esta noche", Lang: "es"},
	{Text: "kiero denunsiar a mi jefe q no me paga", Lang: "es"},
	{Text: "someone is hurting me right now", Lang: "en"},
	{Text: "qwxzv plimf", Lang: "en"}, // nothing matches: the essentials
}

const (
	concurrency     = 8
	requestsPerRun  = 2000
	corpusResources = 10000
)

// BenchmarkSearch10k measures, in one run on a synthetic 10,000-resource corpus
// (in English and Spanish) with the real site's entries and needs added: index build time, then the same queries run raw
// against bleve in-process and through GET /api/search over loopback, each at
// concurrency 8. Goals: HTTP throughput ≥ 0.8× raw, HTTP p99 < 20 ms.
func BenchmarkSearch10k(b *testing.B) {
	config.TuneGC(os.LookupEnv) // as `northstar serve` does
	// The synthetic directory, plus the real site: its entries and needs.
	out := filepath.Join(b.TempDir(), "public")
	res, err := site.Build(site.Options{Root: "..", OutDir: out})
	if err != nil {
		b.Fatal(err)
	}
	docs := append(GenerateResources(corpusResources), search.FromSite(res.Built)...)
	dir := filepath.Join(b.TempDir(), "search")
	start := time.Now()
	if err := search.Build(dir, docs); err != nil {
		b.Fatal(err)
	}
	buildTime := time.Since(start)
	ix, err := search.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	setup, err := search.LoadSetup("..")
	if err != nil {
		b.Fatal(err)
	}
	srv := web.New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := srv.Install(release.New(release.Parts{SiteDir: out, Search: ix, Setup: setup})); err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrency}}

	raw := func(q search.Query) error {
		q.Page = 1
		_, err := ix.Search(context.Background(), q, setup.Vocabulary, setup.Synonyms)
		return err
	}
	viaHTTP := func(q search.Query) error {
		resp, err := client.Get(ts.URL + "/api/search?" + q.URLValues().Encode())
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return err
	}
	// Warm both paths once.
	for _, q := range searchQueries {
		if err := raw(q); err != nil {
			b.Fatal(err)
		}
		if err := viaHTTP(q); err != nil {
			b.Fatal(err)
		}
	}
	var rawStats, httpStats loadStats
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rawStats.add(runLoad(b, raw))
		httpStats.add(runLoad(b, viaHTTP))
	}
	b.StopTimer()
	b.ReportMetric(float64(buildTime.Milliseconds()), "index-build-ms")
	b.ReportMetric(rawStats.rps(), "raw-req/s")
	b.ReportMetric(httpStats.rps(), "http-req/s")
	b.ReportMetric(httpStats.rps()/rawStats.rps(), "http/raw")
	b.ReportMetric(rawStats.percentile(50), "raw-p50-ms")
	b.ReportMetric(rawStats.percentile(99), "raw-p99-ms")
	b.ReportMetric(httpStats.percentile(50), "http-p50-ms")
	b.ReportMetric(httpStats.percentile(99), "http-p99-ms")
}

type loadStats struct {
	latencies []time.Duration
	elapsed   time.Duration
}

func (s *loadStats) add(o loadStats) {
	s.latencies = append(s.latencies, o.latencies...)
	s.elapsed += o.elapsed
}

func (s *loadStats) rps() float64 { return float64(len(s.latencies)) / s.elapsed.Seconds() }

func (s *loadStats) percentile(p int) float64 {
	l := append([]time.Duration(nil), s.latencies...)
	sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
	return float64(l[(len(l)-1)*p/100].Microseconds()) / 1000
}

// runLoad sends requestsPerRun queries from concurrency workers.
func runLoad(b *testing.B, do func(search.Query) error) loadStats {
	var next atomic.Int64
	lat := make([][]time.Duration, concurrency)
	var wg sync.WaitGroup
	var failed atomic.Value
	start := time.Now()
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				n := next.Add(1)
				if n > requestsPerRun {
					return
				}
				t0 := time.Now()
				if err := do(searchQueries[int(n)%len(searchQueries)]); err != nil {
					failed.Store(err)
					return
				}
				lat[w] = append(lat[w], time.Since(t0))
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err, ok := failed.Load().(error); ok {
		b.Fatal(err)
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	return loadStats{latencies: all, elapsed: elapsed}
}
