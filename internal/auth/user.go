package auth

import (
	"context"
	"strings"
	"time"

	"northstar/internal/store"
)

// User is a staff account, as the store keeps it. PasswordHash is an
// argon2id hash, never a password.
type User = store.User

// The roles an account can have. An analyst reads the referral reports
// and nothing else of other people's.
const (
	RoleLearner = store.RoleLearner
	RoleTrainer = store.RoleTrainer
	RoleAdmin   = store.RoleAdmin
	RoleAnalyst = store.RoleAnalyst
)

// Roles lists them, for messages and forms.
var Roles = []string{RoleLearner, RoleTrainer, RoleAdmin, RoleAnalyst}

// RoleList is Roles as a message says them: "learner, trainer, admin or analyst".
func RoleList() string {
	return strings.Join(Roles[:len(Roles)-1], ", ") + " or " + Roles[len(Roles)-1]
}

// Store is what accounts, sessions and sign-in limits keep in the
// database: the part of store.Store that auth needs.
type Store interface {
	tryStore
	UserByEmail(ctx context.Context, email string) (User, error)
	CreateUser(ctx context.Context, u User) (User, error)
	CountAdmins(ctx context.Context) (int, error)
	SetPasswordHash(ctx context.Context, userID int64, hash string) error
	SetRoleAndDepartment(ctx context.Context, userID int64, role, department string) error

	CreateSession(ctx context.Context, s store.Session) error
	SessionUser(ctx context.Context, tokenHash string, now time.Time) (store.Session, User, error)
	TouchSession(ctx context.Context, tokenHash string, seen time.Time) error
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteUserSessions(ctx context.Context, userID int64) error
}
