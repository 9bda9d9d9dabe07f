package web_test

import (
	"net/http"
	"regexp"
	"slices"
	"testing"

	"northstar/internal/web"
)

// TestStaffNavMatchesRoutes: every place in the staff navigation is a page
// the router has, in the group the navigation shows it to.
func TestStaffNavMatchesRoutes(t *testing.T) {
	routes := web.New(nil).Routes()
	for _, it := range web.StaffNav {
		i := slices.IndexFunc(routes, func(rt web.Route) bool {
			return rt.Path == it.Path && slices.Contains(rt.Methods, http.MethodGet)
		})
		switch {
		case i < 0:
			t.Errorf("the navigation links %s (%s), which is no GET route", it.Path, it.Label)
		case routes[i].Role != it.Group:
			t.Errorf("the navigation shows %s to %q, but the route lets in %q", it.Path, it.Group, routes[i].Role)
		}
	}
}

var navLink = regexp.MustCompile(`<li><a href="([^"]+)"( aria-current="page")?>`)

// TestStaffNavByRole: each role's navigation holds exactly the pages the
// authorization table opens to it, marks the page shown, and names the
// person with a way to sign out; public pages have none.
func TestStaffNavByRole(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts, _ := startServerWith(t, func(s *web.Server) { s.SetStaff(staffTraining(st)) })
	for _, role := range []string{"learner", "analyst", "trainer", "admin"} {
		c := client(t, ts, role+"@example.org")
		status, body, _ := do(t, c, "GET", ts.URL+"/referrals/new", nil, "")
		if status != 200 {
			t.Fatalf("%s: /referrals/new %d", role, status)
		}
		nav := regexp.MustCompile(`(?s)<nav class="staff-nav".*?</nav>`).Find(body)
		if nav == nil {
			t.Fatalf("%s: no staff navigation on /referrals/new", role)
		}
		var got, want []string
		current := ""
		for _, m := range navLink.FindAllSubmatch(nav, -1) {
			got = append(got, string(m[1]))
			if len(m[2]) > 0 {
				current += string(m[1])
			}
		}
		for _, it := range web.StaffNav {
			if authorization["GET "+it.Path][role] == http.StatusOK {
				want = append(want, it.Path)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s's navigation %v, want the pages the role may open %v", role, got, want)
		}
		if current != "/referrals/new" {
			t.Errorf("%s: current page marked %q, want /referrals/new (not My referrals too)", role, current)
		}
		for _, s := range []string{`action="/logout"`, "Signed in as <strong>"} {
			if !regexp.MustCompile(regexp.QuoteMeta(s)).Match(nav) {
				t.Errorf("%s: the navigation lacks %s", role, s)
			}
		}
	}
	_, body, _ := do(t, client(t, ts, "admin@example.org"), "GET", ts.URL+"/get-help/", nil, "")
	if regexp.MustCompile(`staff-nav`).Match(body) {
		t.Error("a public page shows the staff navigation")
	}
}
