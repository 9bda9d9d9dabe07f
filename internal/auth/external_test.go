package auth_test

import (
	"context"
	"errors"
	"testing"

	"northstar/internal/auth"
)

// TestSignInExternal: what a sign-in through the identity provider does to
// accounts: existing ones follow the provider's groups, disabled ones stay
// disabled, new ones are made only for allowed domains and configured
// departments.
func TestSignInExternal(t *testing.T) {
	ctx := context.Background()
	ss, st, _, existing := newSessions(t) // d@example.org, Library, learner
	depts := []string{"Library", "Health"}

	token, u, err := ss.SignInExternal(ctx, auth.External{Email: "D@Example.org", Name: "D", Department: "Health", Role: auth.RoleTrainer}, false, depts)
	if err != nil || u.ID != existing.ID || u.Role != auth.RoleTrainer || u.Department != "Health" {
		t.Fatalf("existing account: %+v, %v", u, err)
	}
	if got, err := ss.User(ctx, token); err != nil || got.Role != auth.RoleTrainer {
		t.Errorf("the session's user: %+v, %v", got, err)
	}
	// Groups gone: back to learner; a department not configured keeps the one held.
	if _, u, _ := ss.SignInExternal(ctx, auth.External{Email: "d@example.org", Department: "Mars", Role: ""}, false, depts); u.Role != auth.RoleLearner || u.Department != "Health" {
		t.Errorf("after the groups changed: %+v", u)
	}
	stored, _ := st.UserByEmail(ctx, "d@example.org")
	if stored.Role != auth.RoleLearner || stored.Department != "Health" {
		t.Errorf("stored %+v", stored)
	}

	if err := st.SetDisabled(ctx, "d@example.org", true); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ss.SignInExternal(ctx, auth.External{Email: "d@example.org", Role: auth.RoleAdmin}, true, depts); !errors.Is(err, auth.ErrAccountDisabled) {
		t.Errorf("a disabled account: %v", err)
	}

	if _, _, err := ss.SignInExternal(ctx, auth.External{Email: "new@elsewhere.example", Department: "Health"}, false, depts); !errors.Is(err, auth.ErrNoAccount) {
		t.Errorf("a new person from a domain not allowed: %v", err)
	}
	var unknown *auth.UnknownDepartmentError
	if _, _, err := ss.SignInExternal(ctx, auth.External{Email: "new@minneapolismn.gov", Department: ""}, true, depts); !errors.As(err, &unknown) {
		t.Errorf("a new person without a department: %v", err)
	}
	_, u, err = ss.SignInExternal(ctx, auth.External{Email: "New@minneapolismn.gov", Name: "New Person", Department: "Library", Role: auth.RoleAnalyst}, true, depts)
	if err != nil || u.ID == 0 || u.Email != "new@minneapolismn.gov" || u.Role != auth.RoleAnalyst {
		t.Fatalf("a new person from an allowed domain: %+v, %v", u, err)
	}
	// The account made has a password nobody knows.
	if _, _, err := ss.SignIn(ctx, "new@minneapolismn.gov", "", "192.0.2.1"); err == nil {
		t.Error("the new account signs in with an empty password")
	}
}
