// Package storetest gives tests real databases: a fresh PostgreSQL database
// per test on the server NORTHSTAR_TEST_POSTGRES names.
package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

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
