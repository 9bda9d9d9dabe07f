package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// TestUsersAddAtATerminal types a password into users add --password-stdin
// on a real terminal (a pseudo-terminal made by script(1)): it is prompted
// for, not shown, and works for signing in.
func TestUsersAddAtATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the real binary")
	}
	scriptPath, err := exec.LookPath("script")
	if err != nil {
		t.Fatal("script(1) from util-linux/bsdutils is needed for a terminal: ", err)
	}
	bin, data := binary(t), t.TempDir()
	line := bin + " users add --email tty@example.org --name Tee --department Police --password-stdin --site ../.. --data " + data
	cmd := exec.Command(scriptPath, "-q", "-e", "-c", line, "/dev/null")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Type only once the prompt is up, as a person would: echo is off by then.
	eventually(t, time.Now().Add(30*time.Second), "the password prompt", func() bool {
		return strings.Contains(out.String(), "Password (not shown")
	})
	const secret = "typed at a terminal 42"
	io.WriteString(in, secret+"\r")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("users add at a terminal: %v\n%s", err, out.String())
	}
	if strings.Contains(out.String(), secret) {
		t.Errorf("the password was shown:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "added tty@example.org") {
		t.Errorf("output:\n%s", out.String())
	}
	st, err := store.Open(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.UserByEmail(context.Background(), "tty@example.org")
	if ok, _ := auth.VerifyPassword(u.PasswordHash, secret); err != nil || !ok {
		t.Errorf("the typed password does not sign in: %v", err)
	}
}
