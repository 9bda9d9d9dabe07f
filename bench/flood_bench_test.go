package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"northstar/internal/auth"
	"northstar/internal/config"
	"northstar/internal/release"
	"northstar/internal/site"
	"northstar/internal/store"
	"northstar/internal/web"
)

const (
	floodClients  = 200
	floodDuration = 4 * time.Second
)

// BenchmarkLoginFlood sends 200 concurrent wrong passwords for as many
// different accounts from as many addresses (X-Forwarded-For, trusted: the
// worst case, where no per-account or per-address limit stops them, so
// only the hashing gate stands between the flood and the server's memory)
// while one reader loads public pages. It reports the process's peak
// resident memory above what it was before the flood, and the public
// pages' p99 during the flood against the same reader without a flood.
// Goals: under +100 MiB; p99 under 50 ms.
func BenchmarkLoginFlood(b *testing.B) {
	config.TuneGC(os.LookupEnv)
	st, err := store.Open(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	out := filepath.Join(b.TempDir(), "public")
	if _, err := site.Build(site.Options{Root: "..", OutDir: out}); err != nil {
		b.Fatal(err)
	}
	srv := web.New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv.SetStaff(&web.Staff{Store: st, Sessions: auth.NewSessions(st), PublicURL: "https://northstar.example.gov", TrustProxy: true})
	if err := srv.Install(release.New(release.Parts{SiteDir: out})); err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	pages := []string{"/", "/get-help/", "/es/get-help/", "/resources/", "/signs/"}
	reader := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	read := func(stop <-chan struct{}) []time.Duration {
		var lat []time.Duration
		for i := 0; ; i++ {
			select {
			case <-stop:
				return lat
			default:
			}
			t0 := time.Now()
			resp, err := reader.Get(ts.URL + pages[i%len(pages)])
			if err != nil {
				b.Error(err)
				return lat
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("public page: %d", resp.StatusCode)
			}
			lat = append(lat, time.Since(t0))
		}
	}
	for i := 0; i < b.N; i++ {
		// The reader alone: the baseline.
		stop := make(chan struct{})
		time.AfterFunc(floodDuration, func() { close(stop) })
		idle := read(stop)

		before := rssMiB()
		var peak atomic.Int64
		sampling := make(chan struct{})
		var sampled sync.WaitGroup
		sampled.Add(1)
		go func() {
			defer sampled.Done()
			tick := time.NewTicker(5 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-sampling:
					return
				case <-tick.C:
					if m := int64(rssMiB() * 1024); m > peak.Load() {
						peak.Store(m)
					}
				}
			}
		}()
		var statuses sync.Map
		floodStop := make(chan struct{})
		var flooding sync.WaitGroup
		transport := &http.Transport{MaxIdleConnsPerHost: floodClients}
		var n atomic.Int64
		for c := 0; c < floodClients; c++ {
			flooding.Add(1)
			go func(c int) {
				defer flooding.Done()
				client := &http.Client{Transport: transport}
				for {
					select {
					case <-floodStop:
						return
					default:
					}
					k := n.Add(1)
					form := url.Values{"email": {fmt.Sprintf("nobody%d@example.org", k)}, "password": {"wrong password"}}
					req, _ := http.NewRequest("POST", ts.URL+"/login", strings.NewReader(form.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					req.Header.Set("X-Forwarded-For", "198.18."+strconv.Itoa(int(k/250%250))+"."+strconv.Itoa(int(k%250)))
					resp, err := client.Do(req)
					if err != nil {
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					v, _ := statuses.LoadOrStore(resp.StatusCode, new(atomic.Int64))
					v.(*atomic.Int64).Add(1)
				}
			}(c)
		}
		stop = make(chan struct{})
		time.AfterFunc(floodDuration, func() { close(stop) })
		during := read(stop)
		close(floodStop)
		flooding.Wait()
		close(sampling)
		sampled.Wait()

		checked, refused := int64(0), int64(0)
		statuses.Range(func(k, v any) bool {
			switch k.(int) {
			case http.StatusUnauthorized:
				checked = v.(*atomic.Int64).Load()
			case http.StatusTooManyRequests:
				refused = v.(*atomic.Int64).Load()
			default:
				b.Errorf("flood answered %d ×%d", k, v.(*atomic.Int64).Load())
			}
			return true
		})
		idleP99, floodP99 := percentile(idle, 99), percentile(during, 99)
		b.ReportMetric(float64(peak.Load())/1024-before, "peak-rss-delta-MiB")
		b.ReportMetric(idleP99, "public-p99-idle-ms")
		b.ReportMetric(floodP99, "public-p99-flood-ms")
		b.ReportMetric(floodP99/idleP99, "p99-x-idle")
		b.ReportMetric(float64(checked)/floodDuration.Seconds(), "checked/s")
		b.ReportMetric(float64(refused)/floodDuration.Seconds(), "refused-429/s")
		b.ReportMetric(float64(len(during)), "public-reads")
	}
}

// rssMiB is this process's resident memory, from /proc.
func rssMiB() float64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseFloat(f[1], 64)
	return pages * float64(os.Getpagesize()) / (1 << 20)
}
