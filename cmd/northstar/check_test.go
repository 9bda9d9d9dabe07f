package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// checkJSON is what check --format json writes.
type checkJSON struct {
	Findings []struct {
		File     string `json:"file"`
		Line     int    `json:"line"`
		Severity string `json:"severity"`
		Message  string `json:"message"`
	} `json:"findings"`
	Translations []struct {
		Page      string            `json:"page"`
		Languages map[string]string `json:"languages"`
	} `json:"translations"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

func runCheckJSON(t *testing.T, site string) (checkJSON, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"check", "--site", site, "--format", "json"}, &stdout, &stderr)
	var rep checkJSON
	if jerr := json.Unmarshal(stdout.Bytes(), &rep); jerr != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", jerr, stdout.String())
	}
	return rep, stderr.String(), err
}

func TestCheckJSON(t *testing.T) {
	rep, stderr, err := runCheckJSON(t, "../../internal/check/testdata/broken")
	if !errors.Is(err, errSilent) {
		t.Errorf("check of a broken site returned %v, want the silent failure that exits 1", err)
	}
	if stderr != "" {
		t.Errorf("stderr %q, want nothing beside the JSON", stderr)
	}
	var errs, warns int
	for _, f := range rep.Findings {
		switch f.Severity {
		case "error":
			errs++
		case "warning":
			warns++
			if strings.HasPrefix(f.Message, "warning:") {
				t.Errorf("message %q repeats the severity", f.Message)
			}
		default:
			t.Errorf("finding %+v: severity %q", f, f.Severity)
		}
		if f.File == "" || f.Line < 1 {
			t.Errorf("finding %+v has no place", f)
		}
	}
	if errs == 0 || warns == 0 || rep.Errors != errs || rep.Warnings != warns {
		t.Errorf("counts errors %d warnings %d; the findings have %d and %d", rep.Errors, rep.Warnings, errs, warns)
	}
	stale := map[string]string{}
	for _, row := range rep.Translations {
		stale[row.Page] = row.Languages["es"] + " " + row.Languages["so"]
	}
	if got := stale["content/get-help.md"]; got != "stale fallback" {
		t.Errorf("get-help: es, so %q, want stale fallback", got)
	}

	// A site with warnings only passes.
	root := t.TempDir()
	cfg, err := os.ReadFile("../../internal/check/testdata/broken/config.toml")
	if err != nil {
		t.Fatal(err)
	}
	themes, _ := filepath.Abs("../../themes")
	cfg = []byte(strings.Replace(string(cfg), `themesDir = "../../../../themes"`, "themesDir = \""+themes+"\"", 1))
	for name, body := range map[string]string{
		"config.toml":                  string(cfg),
		"content/_index.md":            "---\ntitle: Home\ndescription: Home.\n---\nNo one is rescued here.\n",
		"content/_index.es.md":         "---\ntitle: Inicio\ndescription: Inicio.\ntranslated_from: \"00000000\"\n---\nNadie.\n",
		"content/language-review.yaml": "en:\n  - avoid: [rescued]\n    use: [supported]\n    why: Adults decide.\n",
	} {
		p := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rep, _, err = runCheckJSON(t, root)
	if err != nil {
		t.Errorf("check of a site with warnings only: %v", err)
	}
	if rep.Errors != 0 || rep.Warnings != 2 || len(rep.Findings) != 2 {
		t.Errorf("errors %d warnings %d findings %+v, want the stale translation and the word", rep.Errors, rep.Warnings, rep.Findings)
	}
	if len(rep.Translations) != 1 || rep.Translations[0].Languages["es"] != "stale" || rep.Translations[0].Languages["so"] != "fallback" {
		t.Errorf("translations %+v", rep.Translations)
	}
}

func TestCheckTextPrintsTable(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"check", "--site", "../../internal/check/testdata/broken"}, &stdout, &stderr)
	if !errors.Is(err, errSilent) {
		t.Errorf("check of a broken site returned %v", err)
	}
	out := stdout.String()
	findings, table, ok := strings.Cut(out, "\n\nTranslations:\n")
	if !ok {
		t.Fatalf("no translation table after the findings:\n%s", out)
	}
	if !strings.Contains(findings, `content/get-help.es.md:4: warning: stale:`) {
		t.Errorf("findings lack the stale translation:\n%s", findings)
	}
	if !strings.Contains(table, "content/get-help.md            stale       fallback\n") {
		t.Errorf("table:\n%s", table)
	}
	// The exact findings, as of a fixed date, are internal/check's tests;
	// here the real clock runs, and dates in the site age.
	if !regexp.MustCompile(`^[1-9][0-9]* error\(s\), [0-9]+ warning\(s\)`).MatchString(stderr.String()) {
		t.Errorf("stderr %q", stderr.String())
	}
}

func TestCheckUnknownFormat(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"check", "--site", "../..", "--format", "xml"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), `unknown --format "xml"`) {
		t.Errorf("--format xml returned %v", err)
	}
	if stdout.Len() > 0 || !strings.Contains(stderr.String(), "Usage: northstar check") {
		t.Errorf("stdout %q, stderr %q; want the usage on stderr only", stdout.String(), stderr.String())
	}
}
