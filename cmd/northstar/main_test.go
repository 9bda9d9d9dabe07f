package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestHelpListsEveryCommand(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"help"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, c := range commands() {
		if !strings.Contains(out.String(), c.name) {
			t.Errorf("help lacks %q", c.name)
		}
	}
	if err := run(context.Background(), []string{"frobnicate"}, io.Discard, io.Discard); err == nil {
		t.Error("unknown command accepted")
	}
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "northstar ") {
		t.Errorf("version printed %q", out.String())
	}
}

// TestServeStartsAndStops runs the real serve command on a free port, fetches a
// page over loopback, then cancels it as SIGINT would.
func TestServeStartsAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--site", "../.."}, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no start-up line: %v (serve returned %v)", err, <-done)
	}
	go io.Copy(io.Discard, pr)
	i := strings.Index(line, "http://")
	if i < 0 {
		t.Fatalf("start-up line %q has no URL", line)
	}
	url := strings.TrimSpace(line[i:])
	for _, path := range []string{"readyz", "es/get-help/"} {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", path, resp.StatusCode)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
}

func TestBuildAndCheckCommands(t *testing.T) {
	out := t.TempDir() + "/public"
	var stdout bytes.Buffer
	data := t.TempDir()
	if err := run(context.Background(), []string{"build", "--site", "../..", "--out", out, "--data", data}, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "built ") {
		t.Errorf("build printed %q", stdout.String())
	}
	if _, err := os.Stat(filepath.Join(data, "search", "docs.json")); err != nil {
		t.Errorf("build wrote no search index: %v", err)
	}
	if err := run(context.Background(), []string{"check", "--site", "../.."}, io.Discard, io.Discard); err != nil {
		t.Errorf("check on the shipped site: %v", err)
	}
	if err := run(context.Background(), []string{"check", "--site", "../../internal/check/testdata/broken"}, io.Discard, io.Discard); err == nil {
		t.Error("check passed a broken site")
	}
}
