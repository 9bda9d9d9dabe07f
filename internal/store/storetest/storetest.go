// Package storetest gives tests real databases: a fresh SQLite file, and a
// fresh PostgreSQL database per test on the server NORTHSTAR_TEST_POSTGRES
// names. EachEngine runs one test on both.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver

	"northstar/internal/store"
)

// EachEngine runs test, as a subtest named after the engine, on a fresh
// store on SQLite (a temporary data dir) and on PostgreSQL (a database
// created for it) when the server is configured, always in CI. test gets
// the open store and its DSN, to open it again or look behind its back.
func EachEngine(t *testing.T, test func(t *testing.T, st store.Store, dsn string)) {
	t.Helper()
	type engine struct {
		name  string
		fresh func(t *testing.T) string
	}
	engines := []engine{{"sqlite", func(t *testing.T) string { return t.TempDir() }}}
	if pg := PostgresServer(t); pg != "" {
		engines = append(engines, engine{"postgres", func(t *testing.T) string { return NewDatabase(t, pg) }})
	} else {
		t.Log("NORTHSTAR_TEST_POSTGRES not set: PostgreSQL engine not tested")
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			dsn := e.fresh(t)
			test(t, Open(t, dsn), dsn)
		})
	}
}

// Open opens (and migrates) the store at dsn, closed when the test ends.
func Open(tb testing.TB, dsn string, opts ...store.Option) store.Store {
	tb.Helper()
	st, err := store.Open(context.Background(), dsn, opts...)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// PostgresServer returns the DSN of the PostgreSQL server for tests, or ""
// when none is configured. In CI (CI set) a missing server fails the test.
func PostgresServer(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv("NORTHSTAR_TEST_POSTGRES")
	if dsn == "" && os.Getenv("CI") != "" {
		tb.Fatal("NORTHSTAR_TEST_POSTGRES is not set: CI must run this test on PostgreSQL")
	}
	return dsn
}

// NewDatabase creates an empty database on the server of dsn and returns its
// DSN; the database is dropped when the test ends.
func NewDatabase(tb testing.TB, dsn string) string {
	tb.Helper()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { admin.Close() })
	var b [6]byte
	rand.Read(b[:])
	name := "northstar_test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		tb.Fatalf("create test database (is PostgreSQL running at %s?): %v", dsn, err)
	}
	tb.Cleanup(func() { admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
