package auth_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"northstar/internal/auth"
	"northstar/internal/store"
	"northstar/internal/store/storetest"
)

var adminDepts = []string{"311", "Library", "Police"}

// TestAdminRules: the rules every change to an account keeps, from the
// browser or the command line, on both engines.
func TestAdminRules(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, st store.Store, _ string) {
		ctx := context.Background()
		a := &auth.Admin{Store: st, Departments: adminDepts}
		first, err := a.Add(ctx, auth.CommandLine, auth.Account{Email: "ada@example.org", Name: "Ada", Department: "311", Role: auth.RoleAdmin}, "added")
		if err != nil || first.TemporaryPassword == "" {
			t.Fatalf("first admin: %+v %v", first, err)
		}
		ada := first.User
		if u, err := st.UserByEmail(ctx, "ada@example.org"); err != nil || !verified(u.PasswordHash, first.TemporaryPassword) {
			t.Errorf("the temporary password does not sign in: %v", err)
		}
		bo, err := a.Add(ctx, ada, auth.Account{Email: "bo@example.org", Name: "Bo", Department: "Police", Role: auth.RoleLearner}, "added")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			err  error
			want string // error text, or "" for errors.Is(want err)
			is   error
		}{
			{"same email", second(a.Add(ctx, ada, auth.Account{Email: "BO@example.org", Name: "Bo 2", Department: "Police", Role: auth.RoleLearner}, "added")), "", auth.ErrHasAccount},
			{"unknown department", second(a.Add(ctx, ada, auth.Account{Email: "cy@example.org", Name: "Cy", Department: "Parks", Role: auth.RoleLearner}, "added")), "department \"Parks\"", nil},
			{"last admin demoted", second(a.Change(ctx, auth.CommandLine, ada.ID, auth.RoleLearner, "311")), "", auth.ErrLastAdmin},
			{"last admin disabled", second(a.SetDisabled(ctx, auth.CommandLine, ada.ID, true)), "", auth.ErrLastAdmin},
			{"own account disabled", second(a.SetDisabled(ctx, ada, ada.ID, true)), "", auth.ErrOwnAccount},
			{"unknown role", second(a.Change(ctx, ada, bo.User.ID, "emperor", "Police")), "role \"emperor\"", nil},
			{"department not configured", second(a.Change(ctx, ada, bo.User.ID, auth.RoleLearner, "Parks")), "department \"Parks\"", nil},
			{"no such account", second(a.SetDisabled(ctx, ada, 99999, true)), "", auth.ErrNoAccount},
		} {
			switch {
			case c.err == nil:
				t.Errorf("%s: accepted", c.name)
			case c.is != nil && !errors.Is(c.err, c.is):
				t.Errorf("%s: %v, want %v", c.name, c.err, c.is)
			case c.is == nil && !strings.Contains(c.err.Error(), c.want):
				t.Errorf("%s: %v, want it to say %s", c.name, c.err, c.want)
			}
		}
		// With a second admin, the first may step down, by another's hand
		// or the command line's, never their own.
		if _, err := a.Change(ctx, ada, bo.User.ID, auth.RoleAdmin, "Police"); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Change(ctx, ada, ada.ID, auth.RoleLearner, "311"); !errors.Is(err, auth.ErrOwnAccount) {
			t.Errorf("an admin demoting themself: %v", err)
		}
		if _, err := a.SetDisabled(ctx, bo.User, ada.ID, true); err != nil {
			t.Errorf("disabling one of two admins: %v", err)
		}
		if _, err := a.SetDisabled(ctx, auth.CommandLine, bo.User.ID, true); !errors.Is(err, auth.ErrLastAdmin) {
			t.Errorf("disabling the only active admin left: %v", err)
		}
		if _, err := a.SetDisabled(ctx, bo.User, ada.ID, false); err != nil {
			t.Fatal(err)
		}
		_, hist, err := a.History(ctx, bo.User.ID)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, h := range hist {
			lines = append(lines, h.What+" "+h.Value+" by "+h.ByName)
		}
		if want := []string{"created added by Ada", "role learner → admin by Ada"}; !slices.Equal(lines, want) {
			t.Errorf("Bo's history %q, want %q", lines, want)
		}
		_, hist, _ = a.History(ctx, ada.ID)
		if len(hist) != 3 || hist[0].ByName != "" || hist[1].What != "disabled" || hist[1].ByName != "Bo" || hist[2].What != "enabled" {
			t.Errorf("Ada's history %+v", hist)
		}
	})
}

func second[T any](_ T, err error) error { return err }

// TestAdminImport: a file is checked line by line before anything is
// written; one with a problem adds nobody; existing emails are skipped.
func TestAdminImport(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, t.TempDir())
	a := &auth.Admin{Store: st, Departments: adminDepts}
	ada, err := a.Add(ctx, auth.CommandLine, auth.Account{Email: "ada@example.org", Name: "Ada", Department: "311", Role: auth.RoleAdmin}, "added")
	if err != nil {
		t.Fatal(err)
	}
	file := "email,name,department,role\n" +
		"bo@example.org,Bo,Police,learner\n" +
		"ADA@example.org,Ada again,311,admin\n" +
		"cy@example.org,Cy,Parks,learner\n" +
		"bo@example.org,Bo twice,Police,learner\n" +
		"di@example.org,Di,Library,learner,hunter2hunter2\n" +
		"not-an-email,Ed,Library,learner\n" +
		"fay@example.org,Fay,Library\n"
	rows, err := a.PreviewImport(ctx, strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		switch {
		case r.Problem != "":
			got = append(got, r.Account.Email+": "+r.Problem)
		case r.Exists:
			got = append(got, r.Account.Email+": exists")
		default:
			got = append(got, r.Account.Email+": ok")
		}
	}
	want := []string{
		"bo@example.org: ok",
		"ADA@example.org: exists",
		`cy@example.org: department "Parks" is not one of: 311, Library, Police (config.toml, params.training.departments)`,
		"bo@example.org: the same email as line 2",
		"di@example.org: leave the password column empty: each account gets a temporary password, shown once",
		`not-an-email: email "not-an-email" is not an email address`,
		": want 4 or 5 columns, got 3",
	}
	if !slices.Equal(got, want) {
		t.Errorf("preview:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := a.Import(ctx, ada.User, rows); !errors.Is(err, auth.ErrImportProblems) {
		t.Errorf("import with problems: %v", err)
	}
	if _, n, _ := st.FindUsers(ctx, store.UserFilter{}); n != 1 {
		t.Errorf("%d accounts after a refused import, want 1", n)
	}
	rows, err = a.PreviewImport(ctx, strings.NewReader("\ufeffEmail,name,department,role\nbo@example.org,Bo,Police,learner\nada@example.org,Ada,311,admin\n"))
	if err != nil {
		t.Fatal(err)
	}
	added, err := a.Import(ctx, ada.User, rows)
	if err != nil || len(added) != 1 || added[0].User.Email != "bo@example.org" || added[0].TemporaryPassword == "" {
		t.Fatalf("import: %+v %v", added, err)
	}
	if _, hist, _ := a.History(ctx, added[0].User.ID); len(hist) != 1 || hist[0].Value != "imported" || hist[0].ByName != "Ada" {
		t.Errorf("an imported account's history: %+v", hist)
	}
	for _, bad := range []string{"", "name,email\nx,y\n", "email,name,department,role\n\"unterminated\n"} {
		if _, err := a.PreviewImport(ctx, strings.NewReader(bad)); err == nil {
			t.Errorf("file %q: previewed, want an error for the whole file", bad)
		}
	}
}

func verified(hash, pw string) bool {
	ok, err := auth.VerifyPassword(hash, pw)
	return ok && err == nil
}
