package email_test

import (
	"context"
	"errors"
	"mime"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"northstar/internal/email"
	"northstar/internal/email/smtptest"
)

var ctx = context.Background()

// TestSend: a message reaches a real SMTP server with the headers a mail
// client needs and both parts, as written, whatever they hold.
func TestSend(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Config{})
	date := time.Date(2026, 5, 1, 7, 0, 0, 0, time.FixedZone("CDT", -5*3600))
	c, err := email.Dial(ctx, email.Settings{Addr: srv.Addr, From: "Northstar training <training@minneapolis.example>", Now: func() time.Time { return date }})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("A line longer than any mail line should be. ", 5)
	m := email.Message{
		To:      mail.Address{Name: "Nimco Cabdi Xasan-Müller", Address: "nimco@example.org"},
		Subject: "Training due in 7 days: Señales de la trata",
		Text:    "Hello Nimco,\n\n" + long + "\n=equals and ünïcode\n.\nA dot line.\n",
		HTML:    "<p>Hello Nimco,</p>\n<p>" + long + "</p>\n",
	}
	if err := c.Send(m); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("%d messages, want 1", len(got))
	}
	if got[0].From != "training@minneapolis.example" || len(got[0].To) != 1 || got[0].To[0] != "nimco@example.org" {
		t.Errorf("envelope from %q to %q", got[0].From, got[0].To)
	}
	for i, line := range strings.Split(string(got[0].Data), "\r\n") {
		if len(line) > 78 {
			t.Errorf("line %d is %d characters long: %q", i+1, len(line), line)
		}
	}
	p, err := smtptest.Parse(got[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := p.Header.Date(); err != nil || !d.Equal(date) {
		t.Errorf("Date %q: %v", p.Header.Get("Date"), err)
	}
	if id := p.Header.Get("Message-ID"); !regexp.MustCompile(`^<[0-9a-f]{32}@minneapolis\.example>$`).MatchString(id) {
		t.Errorf("Message-ID %q", id)
	}
	from, _ := p.Header.AddressList("From")
	to, _ := p.Header.AddressList("To")
	if len(from) != 1 || from[0].Name != "Northstar training" || from[0].Address != "training@minneapolis.example" {
		t.Errorf("From %q", p.Header.Get("From"))
	}
	if len(to) != 1 || to[0].Name != m.To.Name || to[0].Address != m.To.Address {
		t.Errorf("To %q read as %v", p.Header.Get("To"), to)
	}
	if subject, err := new(mime.WordDecoder).DecodeHeader(p.Header.Get("Subject")); err != nil || subject != m.Subject {
		t.Errorf("Subject %q read as %q, %v", p.Header.Get("Subject"), subject, err)
	}
	for k, want := range map[string]string{"MIME-Version": "1.0", "Auto-Submitted": "auto-generated"} {
		if p.Header.Get(k) != want {
			t.Errorf("%s: %q, want %q", k, p.Header.Get(k), want)
		}
	}
	if !strings.HasPrefix(p.Header.Get("Content-Type"), "multipart/alternative;") {
		t.Errorf("Content-Type %q", p.Header.Get("Content-Type"))
	}
	crlf := strings.NewReplacer("\r\n", "\n")
	if text := crlf.Replace(p.Parts["text/plain"]); text != m.Text {
		t.Errorf("text part:\n%q\nwant\n%q", text, m.Text)
	}
	if html := crlf.Replace(p.Parts["text/html"]); html != m.HTML {
		t.Errorf("HTML part:\n%q\nwant\n%q", html, m.HTML)
	}
}

// TestHeadersStayHeaders: nothing in a subject or an address can add a
// header or a recipient.
func TestHeadersStayHeaders(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Config{})
	c, err := email.Dial(ctx, email.Settings{Addr: srv.Addr, From: "training@minneapolis.example"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	err = c.Send(email.Message{To: mail.Address{Address: "a@example.org"}, Subject: "Due\r\nBcc: b@example.org\nX-Evil: 1", Text: "t", HTML: "h"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Send(email.Message{To: mail.Address{Address: "a@example.org\r\nRCPT TO:<b@example.org>"}, Subject: "s", Text: "t", HTML: "h"}); !errors.Is(err, email.ErrAddress) {
		t.Errorf("an address with a line break: %v, want ErrAddress", err)
	}
	got := srv.Messages()
	if len(got) != 1 || len(got[0].To) != 1 {
		t.Fatalf("messages %+v", got)
	}
	p, _ := smtptest.Parse(got[0].Data)
	if p.Header.Get("Bcc") != "" || p.Header.Get("X-Evil") != "" || !strings.Contains(p.Header.Get("Subject"), "Bcc: b@example.org X-Evil: 1") {
		t.Errorf("subject became headers: %v", p.Header)
	}
	for _, bad := range []string{"", "not an address", "a@example.org, b@example.org", "a@example.org\nb"} {
		if _, err := email.ParseAddress(bad); err == nil {
			t.Errorf("ParseAddress(%q) accepted", bad)
		}
	}
}

// TestStartTLSAndSignIn: a relay that offers STARTTLS gets the message
// over TLS and the sign-in, by PLAIN or LOGIN, only after TLS started.
func TestStartTLSAndSignIn(t *testing.T) {
	for _, mech := range []string{"PLAIN", "LOGIN"} {
		t.Run(mech, func(t *testing.T) {
			srv := smtptest.Start(t, smtptest.Config{TLS: true, Username: "northstar", Password: "relay pass:word", AuthMechanisms: []string{mech}})
			c, err := email.Dial(ctx, email.Settings{Addr: srv.Addr, From: "training@minneapolis.example", Username: "northstar", Password: "relay pass:word", RootCAs: srv.RootCAs})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Send(email.Message{To: mail.Address{Address: "a@example.org"}, Subject: "s", Text: "t", HTML: "h"}); err != nil {
				t.Fatal(err)
			}
			c.Close()
			if got := srv.Messages(); len(got) != 1 || !got[0].TLS || got[0].User != "northstar" {
				t.Errorf("messages %+v, want one over TLS from northstar", got)
			}
		})
	}
	// A wrong password is an error of Dial.
	srv := smtptest.Start(t, smtptest.Config{TLS: true, Username: "northstar", Password: "right"})
	if _, err := email.Dial(ctx, email.Settings{Addr: srv.Addr, From: "training@minneapolis.example", Username: "northstar", Password: "wrong", RootCAs: srv.RootCAs}); err == nil {
		t.Error("a wrong password signed in")
	}
}

// TestNoFallbackToCleartext: when STARTTLS is offered but the certificate
// does not verify, nothing is sent, in the clear or otherwise.
func TestNoFallbackToCleartext(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Config{TLS: true, Username: "northstar", Password: "secret", InsecureAuth: true})
	_, err := email.Dial(ctx, email.Settings{Addr: srv.Addr, From: "training@minneapolis.example", Username: "northstar", Password: "secret"})
	if err == nil || !strings.Contains(err.Error(), "starttls") || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("a certificate no one trusts: %v, want a starttls error naming the certificate", err)
	}
	if srv.AuthTries() != 0 {
		t.Error("the password was sent after STARTTLS failed")
	}
}

// TestCleartextOnlyOnLoopback: without STARTTLS the password goes only to
// a relay on this machine; mail without a password may go anywhere.
func TestCleartextOnlyOnLoopback(t *testing.T) {
	withAuth := smtptest.Config{Username: "northstar", Password: "secret", InsecureAuth: true}
	local := smtptest.Start(t, withAuth)
	c, err := email.Dial(ctx, email.Settings{Addr: local.Addr, From: "training@minneapolis.example", Username: "northstar", Password: "secret"})
	if err != nil {
		t.Fatalf("a relay on loopback without TLS: %v", err)
	}
	c.Close()

	ip := outsideAddress(t)
	withAuth.Addr = net.JoinHostPort(ip, "0")
	remote := smtptest.Start(t, withAuth)
	if _, err := email.Dial(ctx, email.Settings{Addr: remote.Addr, From: "training@minneapolis.example", Username: "northstar", Password: "secret"}); !errors.Is(err, email.ErrCleartext) {
		t.Errorf("a relay at %s without TLS: %v, want ErrCleartext", remote.Addr, err)
	}
	if remote.AuthTries() != 0 {
		t.Error("the password was sent in the clear")
	}
	open := smtptest.Start(t, smtptest.Config{Addr: net.JoinHostPort(ip, "0")})
	c, err = email.Dial(ctx, email.Settings{Addr: open.Addr, From: "training@minneapolis.example"})
	if err != nil {
		t.Fatalf("a relay without TLS, no password: %v", err)
	}
	defer c.Close()
	if err := c.Send(email.Message{To: mail.Address{Address: "a@example.org"}, Subject: "s", Text: "t", HTML: "h"}); err != nil {
		t.Error(err)
	}
	for host, want := range map[string]bool{"127.0.0.1": true, "::1": true, "localhost": true, "127.0.0.2": true, ip: false, "mail.example.org": false, "localhost.example.org": false} {
		if email.Loopback(host) != want {
			t.Errorf("Loopback(%q) = %v", host, !want)
		}
	}
}

// outsideAddress is an address of this machine that is not loopback.
func outsideAddress(t *testing.T) string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	t.Skip("this machine has no address but loopback")
	return ""
}

// TestRefusals: a refused recipient fails that message only; a relay
// that refuses the session fails Dial; a relay that goes away breaks the
// connection, and Send says so.
func TestRefusals(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Config{})
	settings := email.Settings{Addr: srv.Addr, From: "training@minneapolis.example"}
	srv.RefuseSessions(1)
	if _, err := email.Dial(ctx, settings); err == nil || !strings.Contains(err.Error(), "451") {
		t.Errorf("a refused session: %v, want a 451", err)
	}
	c, err := email.Dial(ctx, settings)
	if err != nil {
		t.Fatal(err)
	}
	srv.RefuseRecipients(func(to string) error {
		if to == "busy@example.org" {
			return smtptest.ErrMailbox
		}
		return nil
	})
	msg := func(to string) email.Message {
		return email.Message{To: mail.Address{Address: to}, Subject: "s", Text: "t", HTML: "h"}
	}
	if err := c.Send(msg("busy@example.org")); err == nil || errors.Is(err, email.ErrBroken) {
		t.Errorf("a refused recipient: %v, want a refusal that does not break the connection", err)
	}
	if err := c.Send(msg("free@example.org")); err != nil {
		t.Errorf("the message after a refusal: %v", err)
	}
	if got := srv.Messages(); len(got) != 1 || got[0].To[0] != "free@example.org" {
		t.Errorf("messages %+v", got)
	}
	srv.Stop()
	if err := c.Send(msg("free@example.org")); !errors.Is(err, email.ErrBroken) {
		t.Errorf("after the relay went away: %v, want ErrBroken", err)
	}
	if err := c.Send(msg("free@example.org")); !errors.Is(err, email.ErrBroken) {
		t.Errorf("again: %v, want ErrBroken", err)
	}
	c.Close()
}

func TestReadCredentials(t *testing.T) {
	for _, c := range []struct {
		file, user, pass string
	}{
		{"northstar\ns3cret:with colon\n", "northstar", "s3cret:with colon"},
		{"northstar\r\ns3cret\r\n", "northstar", "s3cret"},
		{"northstar:s3cret:with colon", "northstar", "s3cret:with colon"},
		{"northstar@minneapolis.example:s3cret\n", "northstar@minneapolis.example", "s3cret"},
		{"", "", ""},
		{"northstar", "", ""},
		{"northstar:", "", ""},
		{"\ns3cret", "", ""},
		{"northstar\ns3cret\nmore", "", ""},
	} {
		path := filepath.Join(t.TempDir(), "smtp")
		os.WriteFile(path, []byte(c.file), 0o600)
		user, pass, err := email.ReadCredentials(path)
		if user != c.user || pass != c.pass || (err != nil) != (c.user == "") {
			t.Errorf("%q: %q %q %v, want %q %q", c.file, user, pass, err, c.user, c.pass)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
	if _, _, err := email.ReadCredentials(filepath.Join(t.TempDir(), "none")); err == nil {
		t.Error("a missing file was read")
	}
	s := email.Settings{Addr: "relay:587", From: "a@example.org", Username: "northstar", Password: "s3cret"}
	if v := s.LogValue().String(); strings.Contains(v, "s3cret") || !strings.Contains(v, "credentials=true") {
		t.Errorf("log value %s", v)
	}
}

// TestContextEndsTheConnection: when Dial's context ends (serve stops),
// the connection closes, so nothing waits on a slow relay.
func TestContextEndsTheConnection(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Config{})
	runCtx, cancel := context.WithCancel(ctx)
	c, err := email.Dial(runCtx, email.Settings{Addr: srv.Addr, From: "training@minneapolis.example"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cancel()
	// The connection closes in a goroutine of its own, soon after.
	for deadline := time.Now().Add(5 * time.Second); ; {
		err := c.Send(email.Message{To: mail.Address{Address: "a@example.org"}, Subject: "s", Text: "t", HTML: "h"})
		if errors.Is(err, email.ErrBroken) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the context ended: %v, want ErrBroken", err)
		}
	}
}
