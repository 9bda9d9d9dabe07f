package training

import (
	"context"
	"time"

	"northstar/internal/store"
)

// Records the training rules work on, as the store keeps them.
type (
	User        = store.User
	Attempt     = store.Attempt
	Certificate = store.Certificate
	Assignment  = store.Assignment
)

// Store is what training keeps in the database: the part of store.Store
// that attempts, certificates, assignments and reports need.
type Store interface {
	attemptStore
	certificateStore
	assignmentStore
	reportStore
}

type attemptStore interface {
	CreateAttempt(ctx context.Context, a Attempt) error
	Attempt(ctx context.Context, id string) (Attempt, error)
	StartedAttempt(ctx context.Context, id string) (Attempt, error)
	SubmitAttempt(ctx context.Context, a Attempt, issue *Certificate) (Attempt, error)
	OpenAttempt(ctx context.Context, userID int64, quizID string, since time.Time) (Attempt, int, error)
	AttemptsByUser(ctx context.Context, userID int64) ([]Attempt, error)
	CertificateByAttempt(ctx context.Context, attemptID string) (Certificate, error)
}

type certificateStore interface {
	UserByID(ctx context.Context, id int64) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	CertificateByCode(ctx context.Context, code string) (Certificate, error)
	CertificatesByUser(ctx context.Context, userID int64) ([]Certificate, error)
	Certificates(ctx context.Context) ([]Certificate, error)
	RevokeCertificate(ctx context.Context, code string, by int64, reason string, at time.Time) error
}

type assignmentStore interface {
	CreateAssignment(ctx context.Context, a Assignment) (Assignment, error)
	DeleteAssignment(ctx context.Context, id int64) error
	Assignments(ctx context.Context) ([]Assignment, error)
	AssignmentsFor(ctx context.Context, userID int64, department string) ([]Assignment, error)
}

type reportStore interface {
	RosterStore
	EachGradedAttempt(ctx context.Context, q store.GradedQuery, fn func(Attempt) error) error
	LatestGradedAttempts(ctx context.Context, quizID string, offset, limit int) ([]Attempt, int, error)
}
