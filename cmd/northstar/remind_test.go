package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"northstar/internal/email/smtptest"
	"northstar/internal/quiz"
	"northstar/internal/store"
	"northstar/internal/training"
)

// TestRemindCommand: 'northstar remind' sends the site's reminders through
// a real SMTP server, signed in with the credentials file, and a second
// run (a new process on the same data dir) sends none again. A refused
// message makes the command fail and goes at the next run.
func TestRemindCommand(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	st, err := store.Open(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	joined := now.AddDate(0, -1, 0)
	trainer, _ := st.CreateUser(ctx, store.User{Email: "t@example.org", Name: "T", Department: "Library", Role: store.RoleTrainer, PasswordHash: "h", CreatedAt: joined})
	var learners []store.User
	for _, email := range []string{"pa@example.org", "busy@example.org"} {
		u, err := st.CreateUser(ctx, store.User{Email: email, Name: "Pa Nhia Xiong", Department: "Library", Role: store.RoleLearner, PasswordHash: "h", CreatedAt: joined})
		if err != nil {
			t.Fatal(err)
		}
		learners = append(learners, u)
	}
	due, err := training.DueDate(now.In(training.CityTime).AddDate(0, 0, 20).Format("2006-01-02"), now)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range learners {
		if _, err := st.CreateAssignment(ctx, store.Assignment{Module: "referral-basics", UserID: u.ID, DueAt: due, AssignedBy: trainer.ID, CreatedAt: now.Add(-time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	relay := smtptest.Start(t, smtptest.Config{Username: "northstar", Password: "CANARY-smtp-password", InsecureAuth: true})
	relay.RefuseRecipients(func(to string) error {
		if to == "busy@example.org" {
			return smtptest.ErrMailbox
		}
		return nil
	})
	credentials := filepath.Join(t.TempDir(), "smtp")
	os.WriteFile(credentials, []byte("northstar\nCANARY-smtp-password\n"), 0o600)
	args := []string{"remind", "--site", "../..", "--data", data, "--public-url", "https://northstar.example.gov",
		"--smtp-addr", relay.Addr, "--smtp-from", "Northstar training <training@minneapolis.example>", "--smtp-credentials-file", credentials}
	remind := func() (string, string, error) {
		var out, log bytes.Buffer
		err := run(ctx, args, &out, &log)
		return out.String(), log.String(), err
	}

	out, log, err := remind()
	if err == nil || out != "sent 1 reminder(s), 1 not sent (tried again at the next run)\n" {
		t.Errorf("first run: %q %v, want 1 sent, 1 not and an error", out, err)
	}
	if strings.Contains(log, "CANARY") || !strings.Contains(log, "reminder not sent") {
		t.Errorf("the log shows the password, or not the refusal:\n%s", log)
	}
	relay.RefuseRecipients(nil)
	if out, _, err := remind(); err != nil || out != "sent 1 reminder(s)\n" {
		t.Errorf("second run: %q %v, want the refused one sent", out, err)
	}
	if out, _, err := remind(); err != nil || out != "sent 0 reminder(s)\n" {
		t.Errorf("third run: %q %v, want none", out, err)
	}
	msgs := relay.Messages()
	if len(msgs) != 2 || msgs[0].To[0] != "pa@example.org" || msgs[1].To[0] != "busy@example.org" || msgs[0].User != "northstar" {
		t.Fatalf("messages %+v", msgs)
	}
	p, err := smtptest.Parse(msgs[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	if s := p.Header.Get("Subject"); s != "New training assigned: Responding and referring" {
		t.Errorf("subject %q", s)
	}
	// Nothing of the module's quiz: no answer, no explanation.
	quizzes, _, err := quiz.LoadDir("../../quizzes")
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{p.Parts["text/plain"], p.Parts["text/html"]} {
		if !strings.Contains(part, "https://northstar.example.gov/training/referral-basics/") {
			t.Errorf("no link to the module:\n%s", part)
		}
		for _, qu := range quizzes["referral-basics"].Questions {
			for _, o := range qu.Options {
				if len(o.Text) > 12 && strings.Contains(part, o.Text) {
					t.Errorf("the reminder holds an option of the quiz: %q", o.Text)
				}
			}
			if first := strings.SplitN(qu.Explanation, ".", 2)[0]; len(first) > 12 && strings.Contains(part, first) {
				t.Errorf("the reminder holds an explanation of the quiz: %q", first)
			}
		}
	}

	for _, bad := range [][]string{
		{"remind", "--data", data, "--public-url", "https://northstar.example.gov", "--smtp-from", "training@minneapolis.example"},
		{"remind", "--data", data, "--smtp-addr", relay.Addr, "--smtp-from", "training@minneapolis.example"},
		{"remind", "--data", data, "--public-url", "https://northstar.example.gov", "--smtp-addr", relay.Addr},
	} {
		if err := run(ctx, bad, io.Discard, io.Discard); err == nil {
			t.Errorf("%v ran", bad)
		}
	}
}

// TestServeSaysWhetherItReminds: serve logs once at start-up whether it
// sends reminders by email, and never the relay's password.
func TestServeSaysWhetherItReminds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the site twice")
	}
	relay := smtptest.Start(t, smtptest.Config{})
	credentials := filepath.Join(t.TempDir(), "smtp")
	os.WriteFile(credentials, []byte("northstar:CANARY-smtp-password\n"), 0o600)
	for _, c := range []struct {
		flags []string
		want  string
	}{
		{nil, "reminders by email are off: no --smtp-addr"},
		{[]string{"--smtp-addr", relay.Addr, "--smtp-from", "training@minneapolis.example", "--smtp-credentials-file", credentials,
			"--public-url", "https://northstar.example.gov", "--remind-at", "06:45"}, "reminders by email on"},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		pr, pw := io.Pipe()
		var log lockedBuffer
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--site", "../.."}, c.flags...), pw, &log)
			pw.Close()
		}()
		if _, err := bufio.NewReader(pr).ReadString('\n'); err != nil {
			t.Fatalf("no start-up line: %v (serve returned %v)", err, <-done)
		}
		go io.Copy(io.Discard, pr)
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve %v: %v", c.flags, err)
		}
		if got := log.String(); strings.Count(got, c.want) != 1 || strings.Contains(got, "CANARY") {
			t.Errorf("serve %v logged:\n%s\nwant %q once and no password", c.flags, got, c.want)
		}
	}
	// A credentials file that cannot be read stops serve at start-up,
	// not at the first run a day later.
	err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--site", "../..",
		"--smtp-addr", relay.Addr, "--smtp-from", "training@minneapolis.example", "--public-url", "https://northstar.example.gov",
		"--smtp-credentials-file", filepath.Join(t.TempDir(), "missing")}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "smtp credentials") {
		t.Errorf("serve with no credentials file: %v", err)
	}
}
