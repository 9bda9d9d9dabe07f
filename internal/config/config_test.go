package config

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

func TestEnvThenFlags(t *testing.T) {
	env := map[string]string{
		"NORTHSTAR_ADDR":             "127.0.0.1:9000",
		"NORTHSTAR_DATA":             "/var/lib/northstar",
		"NORTHSTAR_SHUTDOWN_TIMEOUT": "3s",
	}
	c, err := FromEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.Register(fs)
	if err := fs.Parse([]string{"--addr", "127.0.0.1:9100"}); err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9100" || c.DataDir != "/var/lib/northstar" || c.ShutdownTimeout != 3*time.Second || c.SiteDir != "." {
		t.Errorf("got %+v", c)
	}
}

func TestInvalidSettings(t *testing.T) {
	if _, err := FromEnv(func(k string) (string, bool) { return "soon", k == "NORTHSTAR_SHUTDOWN_TIMEOUT" }); err == nil {
		t.Error("bad duration accepted")
	}
	for _, args := range [][]string{{"--log-level", "loud"}, {"--log-format", "xml"}, {"--local-login", "some"}, {"--local-login", "none"}, {"--oidc-issuer", "https://login.example"}, {"--addr", ""}, {"--shutdown-timeout", "0s"}} {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		if _, err := Load(fs, args); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

func TestDSNIsMaskedInLogs(t *testing.T) {
	c := Default()
	c.DB = "postgres://northstar:s3cret@db.internal:5432/northstar"
	v := c.LogValue().String()
	if strings.Contains(v, "s3cret") || !strings.Contains(v, "db.internal") {
		t.Errorf("log value %q", v)
	}
	if c.StoreDSN() != c.DB {
		t.Error("StoreDSN ignores DB")
	}
	c.DB = ""
	if c.StoreDSN() != c.DataDir {
		t.Error("StoreDSN without DB is not the data dir")
	}
}

// TestSMTPSettings: the relay's settings come from the environment and
// flags, and the ones that cannot work are refused before serve starts.
func TestSMTPSettings(t *testing.T) {
	env := map[string]string{"NORTHSTAR_SMTP_ADDR": "smtp.example.gov:587", "NORTHSTAR_SMTP_FROM": "training@example.gov",
		"NORTHSTAR_SMTP_CREDENTIALS_FILE": "/etc/northstar/smtp", "NORTHSTAR_REMIND_AT": "06:30", "NORTHSTAR_PUBLIC_URL": "https://northstar.example.gov"}
	c, err := FromEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTPAddr != "smtp.example.gov:587" || c.SMTPFrom != "training@example.gov" || c.SMTPCredentialsFile != "/etc/northstar/smtp" || c.RemindAt != "06:30" || c.Validate() != nil {
		t.Errorf("from the environment: %+v %v", c, c.Validate())
	}
	if Default().RemindAt != "07:00" || Default().SMTPAddr != "" {
		t.Error("reminders are not off, at 07:00, by default")
	}
	ok := []string{"--smtp-addr", "smtp.example.gov:587", "--smtp-from", "Northstar <training@example.gov>", "--public-url", "https://northstar.example.gov"}
	for _, args := range [][]string{
		{"--smtp-addr", "smtp.example.gov", "--smtp-from", "training@example.gov", "--public-url", "https://northstar.example.gov"},
		{"--smtp-addr", "smtp.example.gov:587", "--public-url", "https://northstar.example.gov"},
		{"--smtp-addr", "smtp.example.gov:587", "--smtp-from", "not an address", "--public-url", "https://northstar.example.gov"},
		{"--smtp-addr", "smtp.example.gov:587", "--smtp-from", "training@example.gov"},
		append(ok, "--remind-at", "7:00"),
		append(ok, "--remind-at", "25:00"),
		{"--remind-at", "noon"},
	} {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		if _, err := Load(fs, args); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	if c, err := Load(fs, ok); err != nil || c.SMTPFrom != "Northstar <training@example.gov>" {
		t.Errorf("%v: %+v %v", ok, c, err)
	}
	if v := c.LogValue().String(); !strings.Contains(v, "smtp_addr=smtp.example.gov:587") || !strings.Contains(v, "remind_at=06:30") {
		t.Errorf("log value %s", v)
	}
}
