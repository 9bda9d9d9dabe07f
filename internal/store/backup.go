package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// ErrInUse means another process holds the data directory: a server.
var ErrInUse = errors.New("a server is using this data directory: stop it first")

// LockDataDir takes the data directory for this process alone until
// unlock, or returns ErrInUse when another process holds it. serve holds
// it while it runs; restore takes it, so it never replaces the database
// under a running server. The lock is the kernel's (flock), so a process
// that dies, even by SIGKILL, leaves none behind.
func LockDataDir(dir string) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "northstar.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock data dir: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s: %w", dir, ErrInUse)
		}
		return nil, fmt.Errorf("lock data dir: %w", err)
	}
	return func() { f.Close() }, nil
}

// dbFile is the SQLite database in a data directory.
func dbFile(dir string) string { return filepath.Join(dir, "northstar.db") }

// BackupSQLite writes a consistent copy of the SQLite database in dataDir
// to out while a server may go on writing (VACUUM INTO reads one snapshot),
// then checks the copy by opening it. out must not exist.
func BackupSQLite(ctx context.Context, dataDir, out string) (version int, err error) {
	if _, err := os.Stat(dbFile(dataDir)); err != nil {
		return 0, fmt.Errorf("no database to back up in %s: %w", dataDir, err)
	}
	if _, err := os.Stat(out); err == nil {
		return 0, fmt.Errorf("%s exists: choose a new file", out)
	}
	db, err := sql.Open("sqlite", SQLiteDSN(dataDir))
	if err != nil {
		return 0, fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, out); err != nil {
		os.Remove(out)
		return 0, fmt.Errorf("back up: %w", err)
	}
	version, err = checkBackup(ctx, out)
	if err != nil {
		os.Remove(out)
		return 0, err
	}
	return version, nil
}

// checkBackup opens a backup read-only, checks its integrity and says the
// last migration it holds.
func checkBackup(ctx context.Context, file string) (int, error) {
	if _, err := os.Stat(file); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		return 0, fmt.Errorf("open backup: %w", err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		return 0, fmt.Errorf("%s is not a sound Northstar database: %v %s", file, err, ok)
	}
	var version int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
		return 0, fmt.Errorf("%s is not a Northstar database: %w", file, err)
	}
	return version, nil
}

// RestoreSQLite makes the backup file the database of dataDir: it refuses
// while a server holds the directory (ErrInUse), checks the backup, keeps
// the database it replaces beside it (northstar.db.before-restore-…),
// and migrates the restored one forward. It returns the name the old
// database was kept under, "" when there was none.
func RestoreSQLite(ctx context.Context, dataDir, file string) (kept string, err error) {
	unlock, err := LockDataDir(dataDir)
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := checkBackup(ctx, file); err != nil {
		return "", err
	}
	tmp := dbFile(dataDir) + ".restoring"
	if err := copySynced(tmp, file); err != nil {
		os.Remove(tmp)
		return "", err
	}
	if _, err := os.Stat(dbFile(dataDir)); err == nil {
		// Fold the write-ahead log into the old database, so the copy kept
		// is whole, then set it aside.
		if old, err := sql.Open("sqlite", SQLiteDSN(dataDir)); err == nil {
			old.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
			old.Close()
		}
		kept = dbFile(dataDir) + ".before-restore-" + time.Now().UTC().Format("20060102T150405Z")
		if err := os.Rename(dbFile(dataDir), kept); err != nil {
			os.Remove(tmp)
			return "", fmt.Errorf("set the old database aside: %w", err)
		}
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dbFile(dataDir) + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return kept, fmt.Errorf("remove the old database's %s: %w", suffix, err)
		}
	}
	if err := os.Rename(tmp, dbFile(dataDir)); err != nil {
		return kept, fmt.Errorf("put the backup in place: %w", err)
	}
	if d, err := os.Open(dataDir); err == nil {
		d.Sync()
		d.Close()
	}
	st, err := Open(ctx, dataDir)
	if err != nil {
		return kept, fmt.Errorf("open the restored database: %w", err)
	}
	return kept, st.Close()
}

// copySynced copies the file from to name and syncs it to disk.
func copySynced(name, from string) error {
	src, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("read backup: %w", err)
	}
	defer src.Close()
	f, err := os.OpenFile(name, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if _, err := io.Copy(f, src); err != nil {
		f.Close()
		return fmt.Errorf("restore: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("restore: %w", err)
	}
	return f.Close()
}
