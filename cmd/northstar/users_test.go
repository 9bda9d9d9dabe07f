package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"northstar/internal/auth"
	"northstar/internal/store"
)

func TestUsersCommands(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	run := func(input string, args ...string) (string, error) {
		stdin = strings.NewReader(input)
		defer func() { stdin = os.Stdin }()
		var out bytes.Buffer
		args = append(args, "--data", data)
		if args[0] == "add" || args[0] == "import" {
			args = append(args, "--site", "../..")
		}
		err := run(ctx, append([]string{"users"}, args...), &out, io.Discard)
		return out.String(), err
	}
	if _, err := run("a long enough passphrase\n", "add", "--email", "Ana@Example.org", "--name", "Ana", "--department", "Police", "--role", "admin", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	bad := [][]string{
		{"add", "--email", "b@example.org", "--name", "B", "--department", "Police"},                                       // no --password-stdin
		{"add", "--email", "b@example.org", "--name", "B", "--department", "Mars", "--password-stdin"},                     // unknown department
		{"add", "--email", "b@example.org", "--name", "B", "--department", "Police", "--role", "king", "--password-stdin"}, // unknown role
		{"add", "--email", "ana@example.org", "--name", "A", "--department", "Police", "--password-stdin"},                 // duplicate
		{"set-role", "--email", "nobody@example.org", "--role", "admin"},
	}
	for _, args := range bad {
		if _, err := run("a long enough passphrase\n", args...); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	if _, err := run("short\n", "add", "--email", "c@example.org", "--name", "C", "--department", "Police", "--password-stdin"); err == nil {
		t.Error("weak password accepted")
	}
	csvFile := filepath.Join(t.TempDir(), "staff.csv")
	os.WriteFile(csvFile, []byte("email,name,department,role,password\nd@example.org,D,Health,learner,\ne@example.org,E,311,trainer,another long passphrase\n"), 0o600)
	out, err := run("", "import", csvFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "d@example.org\ttemporary password: ") || strings.Contains(out, "e@example.org") {
		t.Errorf("import printed %q", out)
	}
	broken := filepath.Join(t.TempDir(), "broken.csv")
	os.WriteFile(broken, []byte("email,name,department,role\nf@example.org,F,Health,learner\ng@example.org,G,Nowhere,learner\n"), 0o600)
	if _, err := run("", "import", broken); err == nil || !strings.Contains(err.Error(), "broken.csv:3:") {
		t.Errorf("broken import: %v", err)
	}
	if _, err := run("", "set-role", "--email", "d@example.org", "--role", "trainer"); err != nil {
		t.Fatal(err)
	}
	if _, err := run("", "disable", "--email", "e@example.org"); err != nil {
		t.Fatal(err)
	}

	st, err := store.Open(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ana, _ := st.UserByEmail(ctx, "ana@example.org")
	if ok, _ := auth.VerifyPassword(ana.PasswordHash, "a long enough passphrase"); !ok || ana.Role != store.RoleAdmin {
		t.Errorf("ana: %+v", ana)
	}
	if _, err := st.UserByEmail(ctx, "f@example.org"); err == nil {
		t.Error("a file with a bad row added its good rows")
	}
	if d, _ := st.UserByEmail(ctx, "d@example.org"); d.Role != store.RoleTrainer {
		t.Errorf("d: %+v", d)
	}
	if e, _ := st.UserByEmail(ctx, "e@example.org"); !e.Disabled {
		t.Errorf("e not disabled: %+v", e)
	}
}
