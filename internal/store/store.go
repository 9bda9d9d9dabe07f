// Package store keeps what Northstar must not lose: accounts, sessions and quiz
// attempts. One interface, two engines: SQLite in the data dir by default, and
// PostgreSQL when several instances share one database. Both run the same SQL
// through database/sql, with numbered migrations per engine.
package store

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors; callers test with errors.Is.
var (
	ErrNotFound  = errors.New("not found")
	ErrDuplicate = errors.New("already exists")
	// ErrOutOfRange means a time the store could not read back (before
	// year 1 or after 9999); callers bound dates long before this.
	ErrOutOfRange = errors.New("time out of range")
)

// Roles a user can have.
const (
	RoleLearner = "learner"
	RoleTrainer = "trainer"
	RoleAdmin   = "admin"
)

// User is a staff account. PasswordHash is an argon2id hash, never a password.
type User struct {
	ID           int64
	Email        string
	Name         string
	Department   string
	Role         string
	PasswordHash string
	Disabled     bool
	CreatedAt    time.Time
}

// Session is a signed-in browser. Only the hash of its token is stored.
type Session struct {
	TokenHash  string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

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

// Certificate is the proof that a user passed a module. Code is its
// unguessable public verification code.
type Certificate struct {
	Code       string
	UserID     int64
	Module     string // module slug
	AttemptID  string
	Score      int
	PassedAt   time.Time
	ValidUntil time.Time
	// Revocation, by an admin, with who and why.
	RevokedAt    *time.Time
	RevokedBy    int64
	RevokeReason string
}

// Assignment asks a department (Department set, UserID 0) or one person
// (UserID set, Department empty) to complete a module by DueAt.
type Assignment struct {
	ID         int64
	Module     string
	Department string
	UserID     int64
	DueAt      time.Time
	AssignedBy int64
	CreatedAt  time.Time
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

// Store is everything the server keeps durably. Every method that returns
// without error has committed its change.
type Store interface {
	CreateUser(ctx context.Context, u User) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	UserByID(ctx context.Context, id int64) (User, error)
	SetRole(ctx context.Context, email, role string) error
	SetDisabled(ctx context.Context, email string, disabled bool) error
	SetPasswordHash(ctx context.Context, userID int64, hash string) error
	CountAdmins(ctx context.Context) (int, error)

	CreateSession(ctx context.Context, s Session) error
	// SessionUser returns a live session and its enabled user, or ErrNotFound.
	SessionUser(ctx context.Context, tokenHash string, now time.Time) (Session, User, error)
	TouchSession(ctx context.Context, tokenHash string, seen time.Time) error
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteUserSessions(ctx context.Context, userID int64) error

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

	Users(ctx context.Context) ([]User, error)

	CertificateByCode(ctx context.Context, code string) (Certificate, error)
	CertificateByAttempt(ctx context.Context, attemptID string) (Certificate, error)
	// CertificatesByUser and Certificates list certificates in no
	// particular order, revoked ones included.
	CertificatesByUser(ctx context.Context, userID int64) ([]Certificate, error)
	Certificates(ctx context.Context) ([]Certificate, error)
	// LatestCertificates gives, per person and module, the latest
	// certificate not revoked (code, holder, module and dates only): what
	// the reports need of 100,000s of certificates.
	LatestCertificates(ctx context.Context) ([]Certificate, error)
	// RevokeCertificate revokes a certificate not yet revoked; ErrNotFound
	// when there is none such.
	RevokeCertificate(ctx context.Context, code string, by int64, reason string, at time.Time) error

	CreateAssignment(ctx context.Context, a Assignment) (Assignment, error)
	DeleteAssignment(ctx context.Context, id int64) error
	Assignments(ctx context.Context) ([]Assignment, error)
	// AssignmentsFor lists the assignments to userID or to department.
	AssignmentsFor(ctx context.Context, userID int64, department string) ([]Assignment, error)

	// TakeTry counts a try by subject (a hash: see auth.Limit) in its
	// current window, when it has had fewer than max there, and reports
	// whether it did; a window of length window starts with the first try
	// after the last one ended. Instances sharing the database share the
	// count. Not taken, it also says when the window ends.
	TakeTry(ctx context.Context, subject string, max int, window time.Duration, now time.Time) (bool, time.Time, error)
	// ReturnTry gives back one try taken, ForgetTries all of them.
	ReturnTry(ctx context.Context, subject string) error
	ForgetTries(ctx context.Context, subject string) error
	// SweepTries deletes windows that ended before now.
	SweepTries(ctx context.Context, now time.Time) error

	// Ping reports whether the database answers, for /readyz.
	Ping(ctx context.Context) error
	Close() error
}
