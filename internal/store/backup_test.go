package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestBackupWhileWritingRestoresEverythingBefore backs up while another
// goroutine keeps adding accounts, restores into a fresh data dir, and
// finds every account added before the backup began.
func TestBackupWhileWritingRestoresEverythingBefore(t *testing.T) {
	ctx := context.Background()
	live := t.TempDir()
	st, err := Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var added atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := st.CreateUser(ctx, User{Email: fmt.Sprintf("u%d@example.org", i), Name: "U", Department: "Health", Role: RoleLearner, PasswordHash: "h"}); err != nil {
				t.Error(err)
				return
			}
			added.Add(1)
		}
	}()
	for added.Load() < 50 {
		time.Sleep(time.Millisecond)
	}
	before := added.Load()
	out := filepath.Join(t.TempDir(), "backup.db")
	version, err := BackupSQLite(ctx, live, out)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if version < 6 {
		t.Errorf("backup at schema version %d", version)
	}
	if _, err := BackupSQLite(ctx, live, out); err == nil {
		t.Error("a backup overwrote an existing file")
	}

	fresh := t.TempDir()
	kept, err := RestoreSQLite(ctx, fresh, out)
	if err != nil || kept != "" {
		t.Fatalf("restore into a fresh dir: kept %q, %v", kept, err)
	}
	restored, err := Open(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	users, _ := restored.Users(ctx)
	if int64(len(users)) < before {
		t.Errorf("restored %d accounts, %d were added before the backup began", len(users), before)
	}
	for i := int64(0); i < before; i++ {
		if _, err := restored.UserByEmail(ctx, fmt.Sprintf("u%d@example.org", i)); err != nil {
			t.Errorf("u%d, added before the backup, is not in it: %v", i, err)
			break
		}
	}
}

// TestRestoreRules: not while a server holds the dir; not a file that is
// no Northstar database; an older backup is migrated forward; the
// database replaced is kept.
func TestRestoreRules(t *testing.T) {
	ctx := context.Background()
	old := t.TempDir()
	writeVersion4(t, old, time.Now().UTC())
	backup := filepath.Join(old, "northstar.db")

	held := t.TempDir()
	unlock, err := LockDataDir(held)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := RestoreSQLite(ctx, held, backup); !errors.Is(err, ErrInUse) {
		t.Errorf("restore under a server: %v, want ErrInUse", err)
	}
	if _, err := LockDataDir(held); !errors.Is(err, ErrInUse) {
		t.Errorf("a second server took the dir: %v", err)
	}
	unlock()

	junk := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(junk, []byte("not a database"), 0o600)
	if _, err := RestoreSQLite(ctx, held, junk); err == nil {
		t.Error("restored a text file")
	}

	// held has a database of its own now; restoring keeps it aside.
	st, err := Open(ctx, held)
	if err != nil {
		t.Fatal(err)
	}
	st.CreateUser(ctx, User{Email: "kept@example.org", Name: "K", Department: "Health", Role: RoleLearner, PasswordHash: "h"})
	st.Close()
	kept, err := RestoreSQLite(ctx, held, backup)
	if err != nil || kept == "" {
		t.Fatalf("restore over a database: kept %q, %v", kept, err)
	}
	if _, err := os.Stat(kept); err != nil {
		t.Errorf("the replaced database is not kept: %v", err)
	}
	st, err = Open(ctx, held)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.UserByEmail(ctx, "a@example.org"); err != nil {
		t.Errorf("the backup's account is missing: %v", err)
	}
	if _, err := st.UserByEmail(ctx, "kept@example.org"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the replaced database's account is still served: %v", err)
	}
	var version int
	st.(*sqlStore).db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&version)
	if _, err := st.CreateUser(ctx, User{Email: "an@example.org", Name: "An", Department: "Health", Role: RoleAnalyst, PasswordHash: "h"}); err != nil || version < 6 {
		t.Errorf("the version-4 backup was not migrated forward: version %d, %v", version, err)
	}
}
