package main

import (
	"context"
	"io"
	"strings"
	"testing"
)

// TestBackupOnPostgresNamesItsTools: on PostgreSQL, backup and restore
// say to use pg_dump and pg_restore instead of copying anything.
func TestBackupOnPostgresNamesItsTools(t *testing.T) {
	for _, args := range [][]string{
		{"backup", "--out", t.TempDir() + "/x.db", "--db", "postgres://postgres@127.0.0.1:5432/none"},
		{"restore", "x.db", "--db", "postgres://postgres@127.0.0.1:5432/none"},
	} {
		err := run(context.Background(), args, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "pg_dump") || !strings.Contains(err.Error(), "pg_restore") {
			t.Errorf("%v: %v", args, err)
		}
	}
	if err := run(context.Background(), []string{"backup", "--data", t.TempDir()}, io.Discard, io.Discard); err == nil {
		t.Error("a backup without --out ran")
	}
}
