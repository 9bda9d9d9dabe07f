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
	"northstar/internal/referral": {"northstar/internal/web", "northstar/internal/publish", "northstar/internal/release"},
	// Reminders say nothing of referrals; email knows nothing of
	// Northstar at all.
	"northstar/internal/reminder": {"northstar/internal/web", "northstar/internal/publish", "northstar/internal/release", "northstar/internal/referral"},
	"northstar/internal/email":    {"northstar/internal/web", "northstar/internal/store", "northstar/internal/training", "northstar/internal/reminder"},
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

// notImported: a package (left) must not import another (right) itself,
// though it may reach it through others. The web reads and writes the
// database only through the domain packages, which declare what they need
// of the store; cmd wires the store in.
var notImported = map[string][]string{
	"northstar/internal/web": {"northstar/internal/store"},
}

// TestImports asks go list for each package's own imports (tests aside:
// they may open a real store).
func TestImports(t *testing.T) {
	for pkg, banned := range notImported {
		out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		fields := strings.Fields(string(out))
		if len(fields) == 0 || fields[0] != pkg {
			t.Fatalf("go list %s does not name the package: %s", pkg, out)
		}
		for _, imp := range fields[1:] {
			for _, b := range banned {
				if imp == b {
					t.Errorf("%s imports %s", pkg, b)
				}
			}
		}
	}
}
