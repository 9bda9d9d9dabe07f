package check

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"northstar/internal/site"
)

// TestSSOClaims: check says what a sign-in through the City's identity
// provider would only show later: a group mapped to no role or to a
// department not configured, a domain written as an address.
func TestSSOClaims(t *testing.T) {
	base, err := os.ReadFile("testdata/broken/config.toml")
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		sso  string
		want []string
	}{
		"good": {`
  [params.sso]
    allowed_domains = ["library.example"]
    [params.sso.department_groups]
      "lib-staff" = "Library"
    [params.sso.role_groups]
      "lib-trainers" = "trainer"
`, nil},
		"mistakes": {`
  [params.sso]
    allowed_domains = ["@library.example", "library.example", ""]
    [params.sso.department_groups]
      "lib-staff" = "Library"
      "parks-staff" = "Parks"
`, []string{
			`config.toml:1: params.sso.department_groups: group "parks-staff" maps to "Parks", which is not a department: use one of Library, Police (params.training.departments)`,
			`config.toml:1: params.sso.allowed_domains: "@library.example": write the domain alone, like minneapolismn.gov`,
			`config.toml:1: params.sso.allowed_domains: "": write the domain alone, like minneapolismn.gov`,
		}},
		"no role": {`
  [params.sso]
    [params.sso.role_groups]
      "lib-bosses" = "boss"
`, []string{`config.toml:1: config.toml, params.sso.role_groups: group "lib-bosses" maps to "boss", which is not a role (learner, analyst, trainer, admin)`}},
	} {
		dir := t.TempDir()
		text := string(base)
		i := strings.Index(text, "[languages.en]")
		if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(text[:i]+c.sso+text[i:]), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := site.LoadConfig(dir)
		if err != nil {
			t.Fatal(err)
		}
		var r Report
		ssoClaims(&r, cfg)
		var got []string
		for _, f := range r.Findings {
			got = append(got, f.String())
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", name, got, c.want)
		}
	}
}
