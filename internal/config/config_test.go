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
