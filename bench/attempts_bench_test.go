package bench

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"northstar/internal/auth"
	"northstar/internal/config"
	"northstar/internal/quiz"
	"northstar/internal/release"
	"northstar/internal/site"
	"northstar/internal/store"
	"northstar/internal/store/storetest"
	"northstar/internal/training"
	"northstar/internal/web"
	"northstar/internal/web/webtest"
)

const (
	attemptClients = 64
	attemptsPerRun = 3000
	floorInserts   = 1000
)

// BenchmarkAttempts measures graded, durable quiz attempts per second through
// HTTP (start an attempt, submit its answers: two commits) with 64 signed-in
// clients, against, in the same run, a bare loop of single-row durable inserts
// on the same engine and settings: the floor for one commit per attempt.
// Goal: ≥ 3× the floor, p99 < 50 ms. It also reports the HTTP ceiling (see
// httpCeiling): what the same clients reach against a server that does no
// work. SQLite always; PostgreSQL when NORTHSTAR_TEST_POSTGRES is set.
func BenchmarkAttempts(b *testing.B) {
	config.TuneGC(os.LookupEnv)
	engines := map[string]string{"sqlite": ""}
	if dsn := os.Getenv("NORTHSTAR_TEST_POSTGRES"); dsn != "" {
		engines["postgres"] = dsn
	}
	for name, pg := range engines {
		b.Run(name, func(b *testing.B) {
			var storeDSN, driver, floorDSN string
			if pg == "" {
				dir := b.TempDir()
				storeDSN, driver, floorDSN = dir, "sqlite", store.SQLiteDSN(b.TempDir())
			} else {
				storeDSN, driver, floorDSN = storetest.NewDatabase(b, pg), "pgx", storetest.NewDatabase(b, pg)
			}
			var floor, rate, ceiling float64
			var lat []time.Duration
			for i := 0; i < b.N; i++ {
				floor = insertFloor(b, driver, floorDSN)
				r, l, c := attemptLoad(b, storeDSN)
				rate, lat, ceiling = r, append(lat, l...), c
			}
			b.ReportMetric(floor, "floor-commits/s")
			b.ReportMetric(rate, "attempts/s")
			b.ReportMetric(rate/floor, "x-floor")
			b.ReportMetric(ceiling, "http-ceiling/s")
			b.ReportMetric(ceiling/floor, "ceiling-x-floor")
			b.ReportMetric(rate/ceiling, "x-ceiling")
			b.ReportMetric(percentile(lat, 50), "submit-p50-ms")
			b.ReportMetric(percentile(lat, 99), "submit-p99-ms")
		})
	}
}

func percentile(l []time.Duration, p int) float64 {
	s := loadStats{latencies: l}
	return s.percentile(p)
}

// insertFloor is the bare loop: one row, one durable commit, in sequence.
func insertFloor(b *testing.B, driver, dsn string) float64 {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.Exec("DROP TABLE IF EXISTS floor")
	if _, err := db.Exec("CREATE TABLE floor (id TEXT PRIMARY KEY, score INTEGER)"); err != nil {
		b.Fatal(err)
	}
	ph := "?, ?"
	if driver == "pgx" {
		ph = "$1, $2"
	}
	start := time.Now()
	for i := 0; i < floorInserts; i++ {
		if _, err := db.Exec("INSERT INTO floor (id, score) VALUES ("+ph+")", fmt.Sprint(i), i); err != nil {
			b.Fatal(err)
		}
	}
	return floorInserts / time.Since(start).Seconds()
}

// attemptLoad runs the HTTP side: a server with the staff side on a fresh
// store, 64 clients each signed in as their own learner. It returns the
// attempts per second, the submissions' latencies, and the ceiling: the
// same clients sending the same requests over the same loopback HTTP to a
// server that does no work and answers with the same bytes.
func attemptLoad(b *testing.B, dsn string) (rate float64, lat []time.Duration, ceiling float64) {
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	quizzes, probs, err := quiz.LoadDir("../quizzes")
	if err != nil || len(probs) > 0 {
		b.Fatal(err, probs)
	}
	out := filepath.Join(b.TempDir(), "public")
	if _, err := site.Build(site.Options{Root: "..", OutDir: out}); err != nil {
		b.Fatal(err)
	}
	srv := web.New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	modules, err := training.ReadModules("..")
	if err != nil {
		b.Fatal(err)
	}
	srv.SetStaff(&web.Staff{Store: st, Sessions: auth.NewSessions(st), PublicURL: "https://northstar.example.gov"})
	if err := srv.Install(release.New(release.Parts{SiteDir: out, Quizzes: quizzes, Modules: modules})); err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	hash, _ := auth.HashPassword("a long enough passphrase")
	transport := &http.Transport{MaxIdleConnsPerHost: attemptClients}
	clients := make([]*http.Client, attemptClients)
	for i := range clients {
		email := fmt.Sprintf("bench%d@example.org", i)
		if _, err := st.CreateUser(ctx, store.User{Email: email, Name: "B", Department: "Police", Role: store.RoleLearner, PasswordHash: hash}); err != nil {
			b.Fatal(err)
		}
		clients[i] = webtest.NewClient(transport)
		if err := webtest.SignIn(clients[i], ts.URL, email, "a long enough passphrase"); err != nil {
			b.Fatal(err)
		}
	}
	q := quizzes["referral-basics"]
	stopProfile := profileLoad(b)
	rate, lat = closedLoop(b, clients, attemptsPerRun, func(c *http.Client) (time.Duration, error) { return timedAttempt(c, ts.URL, q) })
	stopProfile()
	ceiling = httpCeiling(b, clients, ts.URL, q)
	return rate, lat, ceiling
}

// closedLoop has each client run fn again and again until runs are done in
// all; it returns runs per second and each run's duration.
func closedLoop(b *testing.B, clients []*http.Client, runs int64, fn func(*http.Client) (time.Duration, error)) (float64, []time.Duration) {
	var next atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	var failed atomic.Value
	start := time.Now()
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func(c *http.Client) {
			defer wg.Done()
			for next.Add(1) <= runs {
				d, err := fn(c)
				if err != nil {
					failed.Store(err)
					return
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}(c)
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err, ok := failed.Load().(error); ok {
		b.Fatal(err)
	}
	return float64(len(lat)) / elapsed.Seconds(), lat
}

// httpCeiling is what the clients reach when the server does nothing: the
// bytes of one real started attempt and one real graded result, captured
// from the server above, answered to every start and every submission
// (each submission's body is read). No server can do an attempt faster on
// this machine with these clients; the benchmark reports attempts/s
// against it as well as against the commit floor.
func httpCeiling(b *testing.B, clients []*http.Client, base string, q *quiz.Quiz) float64 {
	started, graded := capture(b, clients[0], base+"/api/quizzes/"+q.ID), []byte(nil)
	var s training.Started
	if err := json.Unmarshal(started, &s); err != nil {
		b.Fatal(err)
	}
	answers := map[string][]string{}
	for _, p := range s.Questions {
		answers[p.ID] = []string{p.Options[0].ID}
	}
	body, _ := json.Marshal(map[string]any{"answers": answers})
	resp, err := clients[0].Post(base+"/api/quizzes/"+q.ID+"/attempts/"+s.Attempt, "application/json", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	graded, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	idle := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if r.Method == http.MethodPost {
			w.Write(graded)
			return
		}
		w.Write(started)
	}))
	defer idle.Close()
	rate, _ := closedLoop(b, clients, 4*attemptsPerRun, func(c *http.Client) (time.Duration, error) { return timedAttempt(c, idle.URL, q) })
	return rate
}

// capture is the body of a GET that must answer 200.
func capture(b *testing.B, c *http.Client, url string) []byte {
	resp, err := c.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return body
}

// profileLoad writes a CPU profile of the load alone (not the site build
// or the sign-ins' password hashing) to $NORTHSTAR_BENCH_CPUPROFILE, when
// set, and returns what stops it.
func profileLoad(b *testing.B) func() {
	path := os.Getenv("NORTHSTAR_BENCH_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// timedAttempt starts an attempt and submits it, returning how long the
// submission (grading and its durable commit) took.
func timedAttempt(c *http.Client, base string, q *quiz.Quiz) (time.Duration, error) {
	s, err := webtest.StartAttempt(c, base, q.ID)
	if err != nil {
		return 0, err
	}
	answers := map[string][]string{}
	for _, p := range s.Questions {
		answers[p.ID] = []string{p.Options[0].ID}
	}
	t0 := time.Now()
	if _, err := webtest.Submit(c, base, q.ID, s.Attempt, answers); err != nil {
		return 0, err
	}
	return time.Since(t0), nil
}
