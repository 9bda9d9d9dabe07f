package store_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"northstar/internal/store"
	"northstar/internal/store/storetest"
)

// TestFirstNonceUse: a nonce is new once, for every store on the database,
// is kept only as a hash, and is forgotten after NonceLifetime.
func TestFirstNonceUse(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, s store.Store, dsn string) {
		now := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
		other := storetest.Open(t, dsn)
		for i, c := range []struct {
			st    store.Store
			nonce string
			at    time.Time
			first bool
		}{
			{s, "nonce-CANARY-1", now, true},
			{s, "nonce-CANARY-1", now.Add(time.Minute), false},
			{other, "nonce-CANARY-1", now.Add(2 * time.Minute), false},
			{other, "nonce-2", now.Add(2 * time.Minute), true},
			{s, "nonce-CANARY-1", now.Add(store.NonceLifetime + time.Hour), true},
		} {
			first, err := c.st.FirstNonceUse(ctx, c.nonce, c.at)
			if err != nil || first != c.first {
				t.Errorf("%d: %s at %s: first %v %v, want %v", i, c.nonce, c.at, first, err, c.first)
			}
		}
		if strings.HasPrefix(dsn, "postgres") {
			return
		}
		filepath.WalkDir(dsn, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if b, _ := os.ReadFile(path); bytes.Contains(b, []byte("CANARY")) {
					t.Errorf("%s holds a nonce as it was given", path)
				}
			}
			return nil
		})
	})
}
