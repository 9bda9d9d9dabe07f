package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

//go:embed migrations
var migrations embed.FS

// engine is what differs between SQLite and PostgreSQL: each capability
// is named, so no query tests which database it is on.
type engine struct {
	name   string // migrations folder
	driver string
	// numberedParams means $1, $2 … placeholders instead of ?.
	numberedParams bool
	// pipeline sends each group of writes in one round trip (pgx batches).
	pipeline bool
	// advisoryLock serialises migrations across instances sharing the
	// database (pg_advisory_lock).
	advisoryLock bool
	// distinctOn means SELECT DISTINCT ON; without it, bare columns of
	// GROUP BY take the row MAX() picks (SQLite).
	distinctOn bool
}

var (
	sqliteEngine   = engine{name: "sqlite", driver: "sqlite"}
	postgresEngine = engine{name: "postgres", driver: "pgx", numberedParams: true, pipeline: true, advisoryLock: true, distinctOn: true}
)

// maxConns bounds each store's connections: enough for a 2-core server's
// concurrent requests, well under PostgreSQL's default of 100 per server for
// several instances.
const maxConns = 16

type sqlStore struct {
	db  *sql.DB
	eng engine
	// group batches attempt writes into shared transactions (see committer).
	group *committer
	// prepared holds the statements of the hot path (sessions, attempts).
	prepared *preparedStatements
	// hotReads admits the reads every request makes, first come first
	// served, a few at a time (see queryRowPrepared).
	hotReads chan struct{}
	// started remembers attempts started here until submitted (see
	// StartedAttempt).
	started *startedAttempts
	log     *slog.Logger
	// observeCommit, when set, is told each group commit's size.
	observeCommit func(int)
}

// Option changes how a store is opened.
type Option func(*sqlStore)

// WithLog sets where the store reports rows it had to skip (see collect);
// slog.Default() otherwise.
func WithLog(l *slog.Logger) Option { return func(s *sqlStore) { s.log = l } }

// WithCommitObserver tells observe the number of writes in each group
// commit (a metric of how busy writing is).
func WithCommitObserver(observe func(writes int)) Option {
	return func(s *sqlStore) { s.observeCommit = observe }
}

// Open opens the store named by dsn: a postgres:// URL, or else the folder in
// which to keep the SQLite database. It applies any pending migrations.
func Open(ctx context.Context, dsn string, opts ...Option) (Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return open(ctx, postgresEngine, dsn, opts)
	}
	if err := os.MkdirAll(dsn, 0o750); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	// WAL with synchronous=FULL: a commit is on disk when it returns.
	// _txlock=immediate: a writer takes the lock at BEGIN, so two writers
	// queue on busy_timeout instead of failing half-way.
	return open(ctx, sqliteEngine, SQLiteDSN(dsn), opts)
}

// SQLiteDSN is how the store opens its SQLite database in dir: the benchmark
// measures its floor with exactly these settings.
func SQLiteDSN(dir string) string {
	return "file:" + filepath.Join(dir, "northstar.db") +
		"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_txlock=immediate"
}

func open(ctx context.Context, eng engine, dsn string, opts []Option) (Store, error) {
	db, err := sql.Open(eng.driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", eng.name, err)
	}
	// database/sql keeps 2 idle connections by default: under load every
	// other request would open a new one (a new server process, for
	// PostgreSQL). Keep as many idle as may be open.
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s: %w", eng.name, err)
	}
	s := &sqlStore{db: db, eng: eng, prepared: &preparedStatements{db: db},
		hotReads: make(chan struct{}, 2*runtime.GOMAXPROCS(0)), started: newStartedAttempts(maxStartedAttempts), log: slog.Default()}
	for _, o := range opts {
		o(s)
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	batch := txBatch(db, s.prepared)
	if eng.pipeline {
		batch = pipelineBatch(db)
	}
	s.group = newCommitter(batch, s.observeCommit)
	return s, nil
}

func (s *sqlStore) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

func (s *sqlStore) Close() error {
	if s.group != nil {
		s.group.close()
		s.group = nil
	}
	s.prepared.close()
	return s.db.Close()
}

// grouped runs statements (with ? placeholders) in order in a group
// transaction and returns, once it has committed, how many rows each changed.
func (s *sqlStore) grouped(ctx context.Context, stmts ...statement) ([]int64, error) {
	for i := range stmts {
		stmts[i].query = s.q(stmts[i].query)
	}
	return s.group.write(ctx, stmts...)
}

// queryRowPrepared runs a one-row query of the hot path (sessions,
// attempts) through a statement prepared once, and scan on its row.
//
// Such reads wait their turn at hotReads, two per CPU: a Go channel serves
// waiters in order, whereas database/sql hands a freed connection to a
// random waiter, and with 64 learners submitting that left some waiting
// ten times the median. Fewer at once also keeps PostgreSQL's backends from
// crowding a small machine's cores (bench/, PostgreSQL on 2 cores: 12 at
// once 1,432 attempts/s, p99 89 ms; 4 at once ~2,000, p99 ~45 ms).
func (s *sqlStore) queryRowPrepared(ctx context.Context, query string, args []any, scan func(*sql.Row) error) error {
	st, err := s.prepared.get(ctx, s.q(query))
	if err != nil {
		return err
	}
	select {
	case s.hotReads <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.hotReads }()
	return scan(st.QueryRowContext(ctx, args...))
}

// q rewrites ? placeholders for the engine.
func (s *sqlStore) q(query string) string {
	if !s.eng.numberedParams {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// migrate applies the engine's numbered migrations not yet recorded, each in
// its own transaction. On PostgreSQL an advisory lock keeps two instances
// starting at once from both applying them.
func (s *sqlStore) migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if s.eng.advisoryLock {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7243001)"); err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(7243001)")
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: version table: %w", err)
	}
	dir := "migrations/" + s.eng.name
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil {
			return fmt.Errorf("migrate: %s is not named NNN_description.sql", e.Name())
		}
		var applied int
		if err := conn.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), version).Scan(&applied); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if applied > 0 {
			continue
		}
		body, err := fs.ReadFile(migrations, dir+"/"+e.Name())
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if err := s.apply(ctx, conn, e.Name(), string(body), version); err != nil {
			return err
		}
	}
	return nil
}

// rebuildDirective opens a SQLite migration that rebuilds a table others
// refer to: dropping the old table with foreign keys on would cascade to
// every row that refers to it, so they are off for that migration, on
// that connection, and checked before it commits.
const rebuildDirective = "-- northstar: rebuild"

// apply runs one migration and records it, in one transaction.
func (s *sqlStore) apply(ctx context.Context, conn *sql.Conn, name, body string, version int) error {
	if strings.HasPrefix(body, rebuildDirective) {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		defer conn.ExecContext(context.Background(), "PRAGMA foreign_keys = ON")
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, body); err != nil {
		tx.Rollback()
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	if strings.HasPrefix(body, rebuildDirective) {
		var broken int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM pragma_foreign_key_check").Scan(&broken); err != nil || broken > 0 {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %d rows refer to none (%v)", name, broken, err)
		}
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), version, time.Now().UTC()); err != nil {
		tx.Rollback()
		return fmt.Errorf("migrate %s: record: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %s: commit: %w", name, err)
	}
	return nil
}

// isDuplicate tells a unique-key violation on either engine.
func isDuplicate(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// execOne runs a statement that must change exactly one row.
func (s *sqlStore) execOne(ctx context.Context, what, query string, args ...any) error {
	res, err := s.db.ExecContext(ctx, s.q(query), args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return nil
}

// collect reads every row with scan and closes rows. A row that cannot be
// read (a time out of range, JSON that does not decode) is logged with the
// reason and skipped, so that one bad row never takes down a page that
// lists many.
func collect[T any](s *sqlStore, rows *sql.Rows, what string, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			s.log.Error("skip a row that cannot be read", "what", what, "err", err)
			continue
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// storable refuses times the store could not read back.
func storable(ts ...time.Time) error {
	for _, t := range ts {
		if y := t.UTC().Year(); y < 1 || y > 9999 {
			return fmt.Errorf("%w: %s", ErrOutOfRange, t.UTC().Format(time.RFC3339))
		}
	}
	return nil
}
