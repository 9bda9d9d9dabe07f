package store

import (
	"context"
	"database/sql"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRebuildKeepsWhatRefersToUsers applies SQLite's migrations up to 004,
// writes accounts, a session, an attempt and a referral, then opens the
// store, which rebuilds users for the analyst role (005): nothing that
// refers to an account may be lost or cascade away, and ids go on from
// where they were, even past a deleted account.
func TestRebuildKeepsWhatRefersToUsers(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	now := time.Now().UTC()
	writeVersion4(t, dir, now)

	st, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sq := st.(*sqlStore)
	var sessions, attempts, referrals int
	sq.db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM sessions), (SELECT COUNT(*) FROM attempts), (SELECT COUNT(*) FROM referrals)`).
		Scan(&sessions, &attempts, &referrals)
	if sessions != 1 || attempts != 1 || referrals != 1 {
		t.Errorf("after the rebuild: %d sessions, %d attempts, %d referrals; want 1 of each", sessions, attempts, referrals)
	}
	u, err := st.CreateUser(ctx, User{Email: "an@example.org", Name: "An", Department: "Health", Role: RoleAnalyst, PasswordHash: "h"})
	if err != nil {
		t.Fatalf("create an analyst: %v", err)
	}
	if u.ID != 4 {
		t.Errorf("new account id %d, want 4: ids must not be reused", u.ID)
	}
	if _, err := st.CreateUser(ctx, User{Email: "x@example.org", Name: "X", Department: "Health", Role: "owner", PasswordHash: "h"}); err == nil {
		t.Error("a role not listed was stored")
	}
	var fk int
	sq.db.QueryRowContext(ctx, `SELECT foreign_keys FROM pragma_foreign_keys`).Scan(&fk)
	if fk != 1 {
		t.Error("foreign keys are off after the migration")
	}
	if _, err := sq.db.ExecContext(ctx, `INSERT INTO sessions VALUES ('u', 99, ?, ?, ?)`, now, now, now); err == nil {
		t.Error("a session of no account was stored: foreign keys are not enforced")
	}
}

// writeVersion4 makes the SQLite database in dir as migrations 001 to 004
// left it, with accounts (one of three deleted), a session, an attempt and
// a referral.
func writeVersion4(t *testing.T, dir string, now time.Time) {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", SQLiteDSN(dir))
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := fs.ReadDir(migrations, "migrations/sqlite")
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)`)
	for _, e := range entries {
		v, _ := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0])
		if v >= 5 {
			break
		}
		body, _ := fs.ReadFile(migrations, "migrations/sqlite/"+e.Name())
		exec(string(body))
		exec(`INSERT INTO schema_migrations VALUES (?, ?)`, v, time.Now().UTC())
	}
	for i, email := range []string{"a@example.org", "b@example.org", "gone@example.org"} {
		exec(`INSERT INTO users (email, name, department, role, password_hash, created_at) VALUES (?, ?, 'Health', 'learner', 'h', ?)`, email, "U"+strconv.Itoa(i), now)
	}
	exec(`DELETE FROM users WHERE email = 'gone@example.org'`)
	exec(`INSERT INTO sessions VALUES ('t', 1, ?, ?, ?)`, now, now, now.Add(time.Hour))
	exec(`INSERT INTO attempts (id, user_id, quiz_id, drawn, started_at) VALUES ('a1', 2, 'q', '[]', ?)`, now)
	exec(`INSERT INTO referrals (id, recorded_by, department, occurred_on, recorded_at, source, suspected, age_group, danger, called_911,
		child_protection, language, interpreter, warm_handoff, agreed, outcome) VALUES ('r1', 1, 'Health', '2026-12-01', ?, 'inspection', 'labor',
		'25-plus', 0, 0, 'n/a', 'en', 'not-needed', 0, 1, '')`, now)
	db.Close()
}
