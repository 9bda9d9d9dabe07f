package store

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
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

// engine is what differs between SQLite and PostgreSQL.
type engine struct {
	name   string // migrations folder
	driver string
	// dollar means $1, $2 … placeholders instead of ?.
	dollar bool
	// pipeline sends each group of writes in one round trip (pgx batches).
	pipeline bool
}

var (
	sqliteEngine   = engine{name: "sqlite", driver: "sqlite"}
	postgresEngine = engine{name: "postgres", driver: "pgx", dollar: true, pipeline: true}
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
}

// Option changes how a store is opened.
type Option func(*sqlStore)

// WithLog sets where the store reports rows it had to skip (see collect);
// slog.Default() otherwise.
func WithLog(l *slog.Logger) Option { return func(s *sqlStore) { s.log = l } }

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
	s.group = newCommitter(batch)
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
	if !s.eng.dollar {
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
	if s.eng.dollar {
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
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", e.Name(), err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", e.Name(), err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), version, time.Now().UTC()); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: record: %w", e.Name(), err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s: commit: %w", e.Name(), err)
		}
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

const userColumns = `id, email, name, department, role, password_hash, disabled, created_at`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Department, &u.Role, &u.PasswordHash, &u.Disabled, &u.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	return u, err
}

func normEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

func (s *sqlStore) CreateUser(ctx context.Context, u User) (User, error) {
	u.Email = normEmail(u.Email)
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC()
	}
	err := s.db.QueryRowContext(ctx, s.q(`INSERT INTO users (email, name, department, role, password_hash, disabled, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		u.Email, u.Name, u.Department, u.Role, u.PasswordHash, u.Disabled, u.CreatedAt).Scan(&u.ID)
	if isDuplicate(err) {
		return User{}, fmt.Errorf("create user %q: %w", u.Email, ErrDuplicate)
	}
	if err != nil {
		return User{}, fmt.Errorf("create user %q: %w", u.Email, err)
	}
	return u, nil
}

func (s *sqlStore) UserByEmail(ctx context.Context, email string) (User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, s.q(`SELECT `+userColumns+` FROM users WHERE email = ?`), normEmail(email)))
	if err != nil {
		return u, fmt.Errorf("user by email: %w", err)
	}
	return u, nil
}

func (s *sqlStore) UserByID(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, s.q(`SELECT `+userColumns+` FROM users WHERE id = ?`), id))
	if err != nil {
		return u, fmt.Errorf("user %d: %w", id, err)
	}
	return u, nil
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

func (s *sqlStore) SetRole(ctx context.Context, email, role string) error {
	return s.execOne(ctx, "set role", `UPDATE users SET role = ? WHERE email = ?`, role, normEmail(email))
}

func (s *sqlStore) SetDisabled(ctx context.Context, email string, disabled bool) error {
	return s.execOne(ctx, "disable user", `UPDATE users SET disabled = ? WHERE email = ?`, disabled, normEmail(email))
}

func (s *sqlStore) SetPasswordHash(ctx context.Context, userID int64, hash string) error {
	return s.execOne(ctx, "set password", `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID)
}

func (s *sqlStore) CountAdmins(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM users WHERE role = ? AND disabled = ?`), RoleAdmin, false).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count admins: %w", err)
	}
	return n, nil
}

func (s *sqlStore) CreateSession(ctx context.Context, se Session) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)`),
		se.TokenHash, se.UserID, se.CreatedAt.UTC(), se.LastSeenAt.UTC(), se.ExpiresAt.UTC())
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

func (s *sqlStore) SessionUser(ctx context.Context, tokenHash string, now time.Time) (Session, User, error) {
	var se Session
	var u User
	err := s.queryRowPrepared(ctx, `SELECT s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at,
		u.id, u.email, u.name, u.department, u.role, u.password_hash, u.disabled, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = ?`, []any{tokenHash, now.UTC(), false},
		func(row *sql.Row) error {
			return row.Scan(&se.TokenHash, &se.UserID, &se.CreatedAt, &se.LastSeenAt, &se.ExpiresAt,
				&u.ID, &u.Email, &u.Name, &u.Department, &u.Role, &u.PasswordHash, &u.Disabled, &u.CreatedAt)
		})
	if errors.Is(err, sql.ErrNoRows) {
		return se, u, fmt.Errorf("session: %w", ErrNotFound)
	}
	if err != nil {
		return se, u, fmt.Errorf("session: %w", err)
	}
	return se, u, nil
}

func (s *sqlStore) TouchSession(ctx context.Context, tokenHash string, seen time.Time) error {
	return s.execOne(ctx, "touch session", `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`, seen.UTC(), tokenHash)
}

func (s *sqlStore) DeleteSession(ctx context.Context, tokenHash string) error {
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE token_hash = ?`), tokenHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

func (s *sqlStore) DeleteUserSessions(ctx context.Context, userID int64) error {
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE user_id = ?`), userID); err != nil {
		return fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return nil
}

func (s *sqlStore) CreateAttempt(ctx context.Context, a Attempt) error {
	drawn, err := json.Marshal(a.Drawn)
	if err != nil {
		return fmt.Errorf("create attempt: %w", err)
	}
	_, err = s.grouped(ctx, statement{`INSERT INTO attempts (id, user_id, quiz_id, drawn, seed, started_at) VALUES (?, ?, ?, ?, ?, ?)`,
		[]any{a.ID, a.UserID, a.QuizID, string(drawn), sql.NullString{String: a.Seed, Valid: a.Seed != ""}, a.StartedAt.UTC()}})
	if isDuplicate(err) {
		return fmt.Errorf("create attempt: %w", ErrDuplicate)
	}
	if err != nil {
		return fmt.Errorf("create attempt: %w", err)
	}
	s.started.put(Attempt{ID: a.ID, UserID: a.UserID, QuizID: a.QuizID, Drawn: a.Drawn, Seed: a.Seed, StartedAt: a.StartedAt.UTC()})
	return nil
}

const attemptColumns = `id, user_id, quiz_id, drawn, seed, started_at, submitted_at, results, answers, score, passed`

func scanAttempt(row interface{ Scan(...any) error }) (Attempt, error) {
	var a Attempt
	var drawn string
	var submitted sql.NullTime
	var seed, results, answers sql.NullString
	var score sql.NullInt64
	var passed sql.NullBool
	err := row.Scan(&a.ID, &a.UserID, &a.QuizID, &drawn, &seed, &a.StartedAt, &submitted, &results, &answers, &score, &passed)
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrNotFound
	}
	if err != nil {
		return a, err
	}
	if err := json.Unmarshal([]byte(drawn), &a.Drawn); err != nil {
		return a, fmt.Errorf("decode drawn questions: %w", err)
	}
	a.Seed = seed.String
	if submitted.Valid {
		t := submitted.Time
		a.SubmittedAt = &t
		a.Results = []byte(results.String)
		if answers.Valid {
			a.Answers = []byte(answers.String)
		}
		a.Score = int(score.Int64)
		a.Passed = passed.Bool
	}
	return a, nil
}

func (s *sqlStore) Attempt(ctx context.Context, id string) (Attempt, error) {
	var a Attempt
	err := s.queryRowPrepared(ctx, `SELECT `+attemptColumns+` FROM attempts WHERE id = ?`, []any{id}, func(row *sql.Row) (err error) {
		a, err = scanAttempt(row)
		return err
	})
	if err != nil {
		return a, fmt.Errorf("attempt %q: %w", id, err)
	}
	return a, nil
}

func (s *sqlStore) StartedAttempt(ctx context.Context, id string) (Attempt, error) {
	if a, ok := s.started.get(id); ok {
		return a, nil
	}
	a, err := s.Attempt(ctx, id)
	if err != nil {
		return a, err
	}
	return Attempt{ID: a.ID, UserID: a.UserID, QuizID: a.QuizID, Drawn: a.Drawn, Seed: a.Seed, StartedAt: a.StartedAt}, nil
}

func (s *sqlStore) OpenAttempt(ctx context.Context, userID int64, quizID string, since time.Time) (Attempt, int, error) {
	var n int
	err := s.queryRowPrepared(ctx, `SELECT COUNT(*) FROM attempts WHERE user_id = ? AND quiz_id = ? AND started_at >= ?`,
		[]any{userID, quizID, since.UTC()}, func(row *sql.Row) error { return row.Scan(&n) })
	if err != nil {
		return Attempt{}, 0, fmt.Errorf("open attempt: count: %w", err)
	}
	if n == 0 {
		return Attempt{}, 0, fmt.Errorf("open attempt: %w", ErrNotFound)
	}
	var a Attempt
	err = s.queryRowPrepared(ctx, `SELECT `+attemptColumns+` FROM attempts
		WHERE user_id = ? AND quiz_id = ? AND started_at >= ? AND submitted_at IS NULL
		ORDER BY started_at DESC, id LIMIT 1`, []any{userID, quizID, since.UTC()}, func(row *sql.Row) (err error) {
		a, err = scanAttempt(row)
		return err
	})
	if err != nil {
		return a, n, fmt.Errorf("open attempt: %w", err)
	}
	return a, n, nil
}

func (s *sqlStore) SubmitAttempt(ctx context.Context, a Attempt, issue *Certificate) (Attempt, error) {
	if a.SubmittedAt == nil {
		return a, fmt.Errorf("submit attempt %q: no submission time", a.ID)
	}
	// Only the first submission is recorded: the WHERE makes a repeat a
	// no-op, and then the record is read back. The certificate is issued in
	// the same transaction, so a pass acknowledged to the learner always has
	// its certificate, and only when this submission is the one recorded.
	at := a.SubmittedAt.UTC()
	if issue != nil {
		if err := storable(issue.PassedAt, issue.ValidUntil); err != nil {
			return a, fmt.Errorf("submit attempt %q: %w", a.ID, err)
		}
	}
	stmts := []statement{{`UPDATE attempts SET submitted_at = ?, results = ?, answers = ?, score = ?, passed = ?
		WHERE id = ? AND submitted_at IS NULL`, []any{at, string(a.Results), nullString(a.Answers), a.Score, a.Passed, a.ID}}}
	if c := issue; c != nil {
		stmts = append(stmts, statement{`INSERT INTO certificates (code, user_id, module, attempt_id, score, passed_at, valid_until)
			SELECT ?, ?, ?, ?, ?, ?, ?
			WHERE EXISTS (SELECT 1 FROM attempts WHERE id = ? AND submitted_at = ?)
			AND NOT EXISTS (SELECT 1 FROM certificates WHERE attempt_id = ?)`,
			[]any{c.Code, c.UserID, c.Module, c.AttemptID, c.Score, c.PassedAt.UTC(), c.ValidUntil.UTC(), a.ID, at, a.ID}})
	}
	affected, err := s.grouped(ctx, stmts...)
	if err != nil {
		return a, fmt.Errorf("submit attempt %q: %w", a.ID, err)
	}
	if affected[0] == 0 {
		rec, err := s.Attempt(ctx, a.ID)
		if err != nil {
			return a, fmt.Errorf("submit attempt %q: %w", a.ID, err)
		}
		return rec, nil
	}
	s.started.forget(a.ID)
	rec := a
	rec.SubmittedAt = &at
	return rec, nil
}

func nullString(b []byte) sql.NullString {
	return sql.NullString{String: string(b), Valid: b != nil}
}

func (s *sqlStore) AttemptsByUser(ctx context.Context, userID int64) ([]Attempt, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+attemptColumns+` FROM attempts WHERE user_id = ? ORDER BY started_at, id`), userID)
	if err != nil {
		return nil, fmt.Errorf("attempts of user %d: %w", userID, err)
	}
	return collect(s, rows, fmt.Sprintf("attempts of user %d", userID), scanAttempt)
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
