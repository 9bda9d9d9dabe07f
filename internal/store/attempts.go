package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Attempt is one try at a quiz: the questions the server drew, then, once
// submitted, the graded results (JSON), score and outcome.
type Attempt struct {
	ID     string
	UserID int64
	QuizID string
	Drawn  []string
	// Seed is the attempt's secret (see quiz.View): it decides the order
	// of the options and the ids the learner sees. Empty for attempts
	// started before seeds were kept.
	Seed        string
	StartedAt   time.Time
	SubmittedAt *time.Time
	Results     []byte // JSON, as graded
	// Answers is a compact JSON record of each answer (question, right or
	// not, options chosen), for item analysis.
	Answers []byte
	Score   int
	Passed  bool
}

// GradedQuery selects graded attempts: of one quiz (all when empty), and
// whether with the answers given.
type GradedQuery struct {
	QuizID  string
	Answers bool
}

// AttemptCount is how many attempts one user started on one quiz.
type AttemptCount struct {
	UserID int64
	QuizID string
	Count  int
}

// Attempts are tries at quizzes, as started and as graded.
type Attempts interface {
	CreateAttempt(ctx context.Context, a Attempt) error
	Attempt(ctx context.Context, id string) (Attempt, error)
	// StartedAttempt returns what an attempt was when started (ID, UserID,
	// QuizID, Drawn, StartedAt), never its submission: enough to grade it,
	// with SubmitAttempt deciding whether the grade is the one recorded.
	// Those never change, so attempts this store started come from memory.
	StartedAttempt(ctx context.Context, id string) (Attempt, error)
	// SubmitAttempt records the grading of an attempt once, and issue, when
	// not nil, in the same transaction, and returns a as recorded. Submitting
	// again changes nothing and returns the attempt as first recorded, read
	// back from the database.
	SubmitAttempt(ctx context.Context, a Attempt, issue *Certificate) (Attempt, error)
	// OpenAttempt returns userID's latest attempt at quizID that was
	// started at or after since and is not submitted (ErrNotFound when
	// there is none), and how many attempts at quizID they started since.
	OpenAttempt(ctx context.Context, userID int64, quizID string, since time.Time) (Attempt, int, error)
	AttemptsByUser(ctx context.Context, userID int64) ([]Attempt, error)
	// AttemptCounts counts attempts per user and quiz, for reports.
	AttemptCounts(ctx context.Context) ([]AttemptCount, error)
	// EachGradedAttempt calls fn for every submitted attempt that q selects,
	// streaming from the database, in no particular order. For speed the
	// attempts come without Drawn or StartedAt, and with Answers only when q
	// asks (then with Results only where Answers is missing: attempts graded
	// before it was kept).
	EachGradedAttempt(ctx context.Context, q GradedQuery, fn func(Attempt) error) error
	// LatestGradedAttempts returns one page of quizID's graded attempts,
	// the latest submission first (ties by id), without Drawn, Results or
	// Answers, and how many graded attempts quizID has in all.
	LatestGradedAttempts(ctx context.Context, quizID string, offset, limit int) ([]Attempt, int, error)
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

func (s *sqlStore) AttemptCounts(ctx context.Context) ([]AttemptCount, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT user_id, quiz_id, COUNT(*) FROM attempts GROUP BY user_id, quiz_id`)
	if err != nil {
		return nil, fmt.Errorf("count attempts: %w", err)
	}
	defer rows.Close()
	var out []AttemptCount
	for rows.Next() {
		var c AttemptCount
		if err := rows.Scan(&c.UserID, &c.QuizID, &c.Count); err != nil {
			return nil, fmt.Errorf("count attempts: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *sqlStore) EachGradedAttempt(ctx context.Context, q GradedQuery, fn func(Attempt) error) error {
	// Reports read many attempts: leave out the drawn questions, and the
	// answers unless asked. No ORDER BY: sorting 100,000s of rows spills
	// to disk, and no caller needs an order.
	// (modernc's SQLite pays for every column of every row, NULL or not.)
	query := `SELECT id, user_id, quiz_id, submitted_at, score, passed`
	if q.Answers {
		query += `, answers, CASE WHEN answers IS NULL THEN results END`
	}
	query += ` FROM attempts WHERE submitted_at IS NOT NULL`
	var args []any
	if q.QuizID != "" {
		query += ` AND quiz_id = ?`
		args = append(args, q.QuizID)
	}
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return fmt.Errorf("graded attempts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a Attempt
		var submitted time.Time
		var answers, results sql.NullString
		dest := []any{&a.ID, &a.UserID, &a.QuizID, &submitted, &a.Score, &a.Passed}
		if q.Answers {
			dest = append(dest, &answers, &results)
		}
		if err := rows.Scan(dest...); err != nil {
			s.log.Error("skip a row that cannot be read", "what", "graded attempts", "err", err)
			continue
		}
		a.SubmittedAt = &submitted
		if answers.Valid {
			a.Answers = []byte(answers.String)
		}
		if results.Valid {
			a.Results = []byte(results.String)
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s *sqlStore) LatestGradedAttempts(ctx context.Context, quizID string, offset, limit int) ([]Attempt, int, error) {
	what := fmt.Sprintf("latest graded attempts at %q", quizID)
	var total int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM attempts WHERE quiz_id = ? AND submitted_at IS NOT NULL`), quizID).Scan(&total)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: count: %w", what, err)
	}
	// A page is a top-N sort of one quiz's attempts: no index on the
	// submission time, which every graded attempt would have to update.
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, user_id, quiz_id, started_at, submitted_at, score, passed FROM attempts
		WHERE quiz_id = ? AND submitted_at IS NOT NULL ORDER BY submitted_at DESC, id LIMIT ? OFFSET ?`), quizID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", what, err)
	}
	list, err := collect(s, rows, what, func(row interface{ Scan(...any) error }) (Attempt, error) {
		var a Attempt
		var submitted time.Time
		if err := row.Scan(&a.ID, &a.UserID, &a.QuizID, &a.StartedAt, &submitted, &a.Score, &a.Passed); err != nil {
			return a, err
		}
		a.SubmittedAt = &submitted
		return a, nil
	})
	return list, total, err
}
