// Package store keeps what Northstar must not lose: accounts, sessions, quiz
// attempts, certificates, assignments, referrals, sign-in tries and
// reminders sent, one file each. One interface, two engines: SQLite in the
// data dir by default, and PostgreSQL when several instances share one
// database. Both run the same SQL through database/sql, with numbered
// migrations per engine; what differs is an engine capability (sql.go).
package store

import (
	"context"
	"errors"
)

// Sentinel errors; callers test with errors.Is.
var (
	ErrNotFound  = errors.New("not found")
	ErrDuplicate = errors.New("already exists")
	// ErrOutOfRange means a time the store could not read back (before
	// year 1 or after 9999); callers bound dates long before this.
	ErrOutOfRange = errors.New("time out of range")
)

// Store is everything the server keeps durably. Every method that returns
// without error has committed its change. Each part is in its entity's
// file; consumers declare the few methods they use.
type Store interface {
	Accounts
	Sessions
	Attempts
	Certificates
	Assignments
	Referrals
	Tries
	Reminders
	// Ping reports whether the database answers, for /readyz.
	Ping(ctx context.Context) error
	Close() error
}
