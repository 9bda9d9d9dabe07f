package auth_test

import (
	"strings"
	"testing"

	"northstar/internal/auth"
)

func TestReadAccounts(t *testing.T) {
	depts := []string{"Police", "Library"}
	good := "email,name,department,role,password\n" +
		" ana@example.org , Ana Ruiz ,Police,learner,\n" +
		"bo@example.org,Bo,Library, trainer ,a long enough passphrase\n"
	got, err := auth.ReadAccounts("staff.csv", strings.NewReader(good), depts)
	if err != nil {
		t.Fatal(err)
	}
	want := []auth.Account{
		{Email: "ana@example.org", Name: "Ana Ruiz", Department: "Police", Role: "learner"},
		{Email: "bo@example.org", Name: "Bo", Department: "Library", Role: "trainer", Password: "a long enough passphrase"},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("accounts:\n got %+v\nwant %+v", got, want)
	}

	for _, tt := range []struct{ name, file, want string }{
		{"no header", "ana@example.org,Ana,Police,learner\n", "staff.csv:1: the first line must be the header"},
		{"too few columns", "email,name,department,role\nana@example.org,Ana,Police\n", "staff.csv:2: want 4 or 5 columns, got 3"},
		{"bad email on line 3", "email,name,department,role\nana@example.org,Ana,Police,learner\nnot-an-email,B,Police,learner\n", `staff.csv:3: email "not-an-email" is not an email address`},
		{"unknown department", "email,name,department,role\nana@example.org,Ana,Mars,learner\n", `staff.csv:2: department "Mars" is not one of: Police, Library`},
		{"unknown role", "email,name,department,role\nana@example.org,Ana,Police,king\n", `staff.csv:2: role "king" must be learner, trainer, admin or analyst`},
		{"empty name", "email,name,department,role\nana@example.org, ,Police,learner\n", "staff.csv:2: name must not be empty"},
		{"weak password", "email,name,department,role,password\nana@example.org,Ana,Police,learner,short\n", "staff.csv:2: "},
		{"broken quoting", "email,name,department,role\n\"ana@example.org,Ana,Police,learner\n", "staff.csv:2: "},
	} {
		accounts, err := auth.ReadAccounts("staff.csv", strings.NewReader(tt.file), depts)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) || accounts != nil {
			t.Errorf("%s: %v %+v, want an error starting %q and no accounts", tt.name, err, accounts, tt.want)
		}
	}
}

func TestTemporaryPassword(t *testing.T) {
	a, b := auth.TemporaryPassword(), auth.TemporaryPassword()
	if a == b || auth.CheckNewPassword(a) != nil {
		t.Errorf("temporary passwords %q and %q", a, b)
	}
}

// TestCheckAccount: the one rule set every way of making an account uses.
func TestCheckAccount(t *testing.T) {
	depts := []string{"Police"}
	ok := auth.Account{Email: "ana@example.org", Name: "Zoë Ana-María Ruiz 😀", Department: "Police", Role: "admin"}
	if err := auth.CheckAccount(ok, depts); err != nil {
		t.Errorf("a good account: %v", err)
	}
	for _, tt := range []struct {
		name string
		edit func(*auth.Account)
		want string
	}{
		{"no @", func(a *auth.Account) { a.Email = "ana.example.org" }, "is not an email address"},
		{"two @", func(a *auth.Account) { a.Email = "ana@b@example.org" }, "is not an email address"},
		{"empty local part", func(a *auth.Account) { a.Email = "@example.org" }, "is not an email address"},
		{"empty domain", func(a *auth.Account) { a.Email = "ana@" }, "is not an email address"},
		{"space", func(a *auth.Account) { a.Email = "ana @example.org" }, "is not an email address"},
		{"angle brackets", func(a *auth.Account) { a.Email = "<ana@example.org>" }, "is not an email address"},
		{"newline", func(a *auth.Account) { a.Email = "ana@example.org\nBcc: x@y.z" }, "is not an email address"},
		{"quote", func(a *auth.Account) { a.Email = `"ana"@example.org` }, "is not an email address"},
		{"long email", func(a *auth.Account) { a.Email = strings.Repeat("a", 250) + "@example.org" }, "longer than 254"},
		{"long name", func(a *auth.Account) { a.Name = strings.Repeat("n", 101) }, "longer than 100"},
		{"control character in name", func(a *auth.Account) { a.Name = "Ana\x00Ruiz" }, "control characters"},
		{"blank name", func(a *auth.Account) { a.Name = " \t" }, "must not be empty"},
	} {
		a := ok
		tt.edit(&a)
		if err := auth.CheckAccount(a, depts); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
	a := ok
	a.Name = strings.Repeat("é", 100)
	if err := auth.CheckAccount(a, depts); err != nil {
		t.Errorf("100 characters (200 bytes) is the limit, not over it: %v", err)
	}
}
