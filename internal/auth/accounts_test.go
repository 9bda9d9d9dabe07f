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
		{"unknown role", "email,name,department,role\nana@example.org,Ana,Police,king\n", `staff.csv:2: role "king" must be learner, trainer or admin`},
		{"empty name", "email,name,department,role\nana@example.org, ,Police,learner\n", "staff.csv:2: name must not be empty"},
		{"weak password", "email,name,department,role,password\nana@example.org,Ana,Police,learner,short\n", "staff.csv:2: "},
		{"broken quoting", "email,name,department,role\n\"ana@example.org,Ana,Police,learner\n", "staff.csv: "},
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
