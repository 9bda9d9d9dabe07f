package bench

import (
	"context"
	"io"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"northstar/internal/store"
	"northstar/internal/store/storetest"
)

// benchEngines runs fn on a fresh SQLite store and, when
// NORTHSTAR_TEST_POSTGRES is set, a fresh PostgreSQL one, with the driver
// and DSN to seed it through database/sql.
func benchEngines(b *testing.B, fn func(b *testing.B, st store.Store, driver, raw string)) {
	engines := map[string]string{"sqlite": ""}
	if dsn := os.Getenv("NORTHSTAR_TEST_POSTGRES"); dsn != "" {
		engines["postgres"] = dsn
	}
	for name, pg := range engines {
		b.Run(name, func(b *testing.B) {
			dsn, driver, raw := b.TempDir(), "sqlite", ""
			if pg != "" {
				dsn = storetest.NewDatabase(b, pg)
				driver, raw = "pgx", dsn
			} else {
				raw = store.SQLiteDSN(dsn)
			}
			st, err := store.Open(context.Background(), dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			fn(b, st, driver, raw)
		})
	}
}

// timedRequest is one page a benchmark times, with the client it signs in as.
type timedRequest struct {
	name, path string
	c          *http.Client
}

// reportMedians requests each page once to warm caches, then three
// times, and reports the median as <name>-ms.
func reportMedians(b *testing.B, base string, reqs []timedRequest) {
	median := map[string]time.Duration{}
	for i := 0; i < b.N; i++ {
		for _, r := range reqs {
			var runs []time.Duration
			for k := 0; k < 4; k++ {
				t0 := time.Now()
				resp, err := r.c.Get(base + r.path)
				if err != nil {
					b.Fatal(err)
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || n == 0 {
					b.Fatalf("%s: %d, %d bytes", r.path, resp.StatusCode, n)
				}
				if k > 0 {
					runs = append(runs, time.Since(t0))
				}
			}
			slices.Sort(runs)
			median[r.name] = runs[1]
		}
	}
	for _, r := range reqs {
		b.ReportMetric(float64(median[r.name].Microseconds())/1000, r.name+"-ms")
	}
}
