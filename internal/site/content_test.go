package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const testConfig = `defaultContentLanguage = "en"
[params]
  completeLanguages = ["en", "es"]
[languages.en]
  weight = 1
[languages.es]
  weight = 2
[languages.so]
  weight = 3
`

func TestFallbacks(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"config.toml":                  testConfig,
		"content/a.md":                 "---\ntitle: A\n---\nBody A\n",
		"content/a.es.md":              "---\ntitle: A es\n---\n",
		"content/b.md":                 "+++\ntitle = \"B\"\n+++\nBody B\n",
		"content/only.md":              "---\ntitle: Only\nenglish_only: true\n---\n",
		"content/section/_index.md":    "---\ntitle: S\n---\n",
		"content/section/_index.so.md": "---\ntitle: S so\n---\n",
	})
	cfg, err := LoadConfig(root)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cfg.LanguageNames(), ","); got != "en,es,so" {
		t.Errorf("LanguageNames = %s, want en,es,so", got)
	}
	pages, err := ScanContent(root, cfg)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Fallbacks(root, pages, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"content/a.so.md":              "---\nfallback_from: en\ntitle: A\n---\nBody A\n",
		"content/b.es.md":              "+++\nfallback_from = \"en\"\ntitle = \"B\"\n+++\nBody B\n",
		"content/b.so.md":              "+++\nfallback_from = \"en\"\ntitle = \"B\"\n+++\nBody B\n",
		"content/section/_index.es.md": "---\nfallback_from: en\ntitle: S\n---\n",
	}
	if len(got) != len(want) {
		var names []string
		for k := range got {
			names = append(names, k)
		}
		t.Fatalf("fallbacks %v, want %d files", names, len(want))
	}
	for name, body := range want {
		if string(got[name]) != body {
			t.Errorf("%s = %q, want %q", name, got[name], body)
		}
	}
}

func TestScanContentLanguagesAndFrontMatter(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"config.toml":     testConfig,
		"content/x.es.md": "---\ntitle: X\ndescription: d\n---\n",
		"content/y.v2.md": "---\ntitle: [unclosed\n---\n",
		"content/z.md":    "no front matter\n",
	})
	cfg, _ := LoadConfig(root)
	pages, err := ScanContent(root, cfg)
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]Page{}
	for _, p := range pages {
		byPath[p.Path] = p
	}
	if p := byPath["content/x.es.md"]; p.Lang != "es" || p.Key != "x" || p.FrontMatter["title"] != "X" || p.BodyLine != 5 {
		t.Errorf("x.es.md: lang %q key %q title %v body line %d", p.Lang, p.Key, p.FrontMatter["title"], p.BodyLine)
	}
	// ".v2" is not a language, so it stays part of the key.
	if p := byPath["content/y.v2.md"]; p.Lang != "en" || p.Key != "y.v2" || p.FrontMatterErr == nil {
		t.Errorf("y.v2.md: lang %q key %q err %v", p.Lang, p.Key, p.FrontMatterErr)
	}
	if p := byPath["content/z.md"]; p.FrontMatterErr == nil {
		t.Error("z.md: want an error for missing front matter")
	}
}

func TestBuildRefusesToReplaceAForeignFolder(t *testing.T) {
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "precious.txt"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Build(Options{Root: "../..", OutDir: out})
	if err == nil || !strings.Contains(err.Error(), "refusing to replace") {
		t.Fatalf("Build into a foreign folder: err = %v, want refusal", err)
	}
	if _, err := os.Stat(filepath.Join(out, "precious.txt")); err != nil {
		t.Fatalf("foreign file was removed: %v", err)
	}
	// A second build over an earlier build replaces it, dropping stale files.
	out2 := filepath.Join(t.TempDir(), "public")
	if _, err := Build(Options{Root: "../..", OutDir: out2}); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(out2, "stale.html")
	os.WriteFile(stale, nil, 0o644)
	if _, err := Build(Options{Root: "../..", OutDir: out2}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("stale file survived a rebuild")
	}
}
