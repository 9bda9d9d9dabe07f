package store_test

import (
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // the "sqlite" driver, to read the schema back

	"northstar/internal/store/storetest"
)

// TestEnginesShareOneSchema: the SQLite and PostgreSQL migration folders
// are written twice, in two dialects; after both are applied, every table,
// column and index is the same on both, so a migration added to one folder
// only fails here rather than on the engine nobody tried.
func TestEnginesShareOneSchema(t *testing.T) {
	dsn := storetest.PostgresServer(t)
	if dsn == "" {
		t.Skip("NORTHSTAR_TEST_POSTGRES not set")
	}
	dir := t.TempDir()
	storetest.Open(t, dir)
	pgDB := storetest.NewDatabase(t, dsn)
	storetest.Open(t, pgDB)

	lite := schema(t, "sqlite", "file:"+filepath.Join(dir, "northstar.db"),
		`SELECT 'column ' || m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
		 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`,
		`SELECT 'index ' || name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`)
	pg := schema(t, "pgx", pgDB,
		`SELECT 'column ' || table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public'`,
		// Keys' own indexes are implicit in SQLite.
		`SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = 'public'
		 AND indexname NOT LIKE '%\_pkey' AND indexname NOT LIKE '%\_key'`)
	if len(lite) < 10 {
		t.Fatalf("SQLite schema read back as %v", lite)
	}
	for _, s := range lite {
		if !slices.Contains(pg, s) {
			t.Errorf("SQLite has %s, PostgreSQL does not", s)
		}
	}
	for _, s := range pg {
		if !slices.Contains(lite, s) {
			t.Errorf("PostgreSQL has %s, SQLite does not", s)
		}
	}
}

func schema(t *testing.T, driver, dsn string, queries ...string) []string {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out []string
	for _, q := range queries {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", driver, err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, strings.ToLower(s))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	slices.Sort(out)
	return out
}
