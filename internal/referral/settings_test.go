package referral

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"northstar/internal/site"
)

func settingsOf(t *testing.T, toml string) (Settings, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := site.LoadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	return SettingsFrom(cfg)
}

func TestSettingsOfTheSite(t *testing.T) {
	cfg, err := site.LoadConfig("../..")
	if err != nil {
		t.Fatal(err)
	}
	set, err := SettingsFrom(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Sources) < 5 || len(set.Languages) < 2 || set.minCell() != 5 || set.retentionYears() != 7 {
		t.Errorf("settings = %+v", set)
	}
}

func TestSettingsRules(t *testing.T) {
	const good = `
[params.referrals]
[[params.referrals.sources]]
id = "inspection"
label = "An inspection"
[[params.referrals.languages]]
id = "en"
label = "English"
`
	set, err := settingsOf(t, good)
	if err != nil || set.Sources[0] != (Choice{"inspection", "An inspection"}) || set.minCell() != DefaultMinCell {
		t.Fatalf("good settings: %+v, %v", set, err)
	}
	for _, c := range []struct{ name, toml, want string }{
		{"none", `title = "x"`, "sources: list at least one"},
		{"no languages", strings.SplitN(good, "[[params.referrals.languages]]", 2)[0], "languages: list at least one"},
		{"id with spaces", strings.Replace(good, `"inspection"`, `"An Inspection"`, 1), `sources[0]: id "An Inspection"`},
		{"twice", good + "[[params.referrals.languages]]\nid = \"en\"\nlabel = \"Again\"\n", `languages[1]: id "en" is listed twice`},
		{"no label", strings.Replace(good, `"English"`, `"  "`, 1), "languages[0]: label"},
		{"min_cell", strings.Replace(good, "[params.referrals]", "[params.referrals]\nmin_cell = -1", 1), "min_cell -1"},
		{"retention", strings.Replace(good, "[params.referrals]", "[params.referrals]\nretention_years = 99", 1), "retention_years 99"},
		{"not a list", strings.Replace(good, "[params.referrals]", "[params.referrals]\nmin_cell = \"five\"", 1), "parse config.toml"},
	} {
		_, err := settingsOf(t, c.toml)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
}
