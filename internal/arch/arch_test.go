package arch_test

import (
	"os/exec"
	"strings"
	"testing"
)

// forbidden: a package (left) must not depend on another (right), directly
// or through others. The HTTP side is on top: nothing below it imports it,
// so a rule never needs the web to run; releases are built without it.
var forbidden = map[string][]string{
	"northstar/internal/publish":  {"northstar/internal/web"},
	"northstar/internal/release":  {"northstar/internal/web", "northstar/internal/publish"},
	"northstar/internal/training": {"northstar/internal/web", "northstar/internal/publish", "northstar/internal/release"},
	"northstar/internal/search":   {"northstar/internal/web", "northstar/internal/publish", "northstar/internal/store"},
	"northstar/internal/quiz":     {"northstar/internal/web", "northstar/internal/store", "northstar/internal/training"},
	"northstar/internal/check":    {"northstar/internal/web", "northstar/internal/publish"},
	"northstar/internal/store":    {"northstar/internal/web", "northstar/internal/training", "northstar/internal/auth"},
	"northstar/internal/xapi":     {"northstar/internal/web"},
	"northstar/internal/auth":     {"northstar/internal/web"},
}

// TestDependencies asks go list for each package's dependencies.
func TestDependencies(t *testing.T) {
	for pkg, banned := range forbidden {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		deps := map[string]bool{}
		for _, d := range strings.Fields(string(out)) {
			deps[d] = true
		}
		if !deps[pkg] {
			t.Fatalf("go list %s does not list the package itself: %s", pkg, out)
		}
		for _, b := range banned {
			if deps[b] {
				t.Errorf("%s depends on %s", pkg, b)
			}
		}
	}
}
