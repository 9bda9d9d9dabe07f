package web_test

import (
	"bytes"
	"flag"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"northstar/internal/site"
	"northstar/internal/web"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite docs/authorization.md from the router")

// authorization is what each route answers each role: every route the
// router holds must be here (TestAuthorization fails on one that is not),
// so a new route cannot be added without saying who may use it.
var authorization = map[string]map[string]int{
	"GET /healthz":                   everyone(200),
	"GET /readyz":                    everyone(200),
	"GET /api/search":                everyone(400), // no q
	"GET /search/":                   everyone(200),
	"GET /{lang:[a-z]{2,3}}/search/": everyone(200),
	"GET /login":                     everyone(200),
	"POST /login":                    everyone(401), // no email or password
	"POST /logout":                   everyone(303),
	"GET /login/sso":                 everyone(404), // no identity provider on this server
	"GET /login/sso/callback":        everyone(404),
	"GET /setup":                     everyone(404), // no setup link: an admin exists
	"POST /setup":                    everyone(404),
	"GET /account/password":          roles(303, 200, 200, 200, 200),
	"POST /account/password":         roles(401, 400, 400, 400, 400),
	"GET /api/quizzes/{id}":          roles(401, 200, 200, 200, 200),
	"POST /api/quizzes/{id}/attempts/{attempt}": roles(401, 415, 415, 415, 415), // a form, not JSON
	"GET /api/me/training":                      roles(401, 200, 200, 200, 200),
	"GET /training/my/":                         roles(303, 200, 200, 200, 200),
	"POST /training/my/reminders":               roles(401, 400, 400, 400, 400), // neither yes nor no
	"GET /training/{module}/quiz/":              roles(303, 200, 200, 200, 200),
	"POST /training/{module}/quiz/":             roles(401, 404, 404, 404, 404), // no such attempt
	"GET /training/attempts/{id}/review":        roles(303, 404, 404, 404, 404), // no such attempt; trainers see any that exists
	"GET /admin/quizzes/":                       roles(303, 403, 403, 200, 200),
	"GET /certificates/":                        everyone(200),
	"GET /certificates/{code}.pdf":              roles(303, 200, 404, 404, 200), // the holder is the learner
	"GET /certificates/{code}":                  everyone(200),
	"GET /admin/certificates/":                  roles(303, 403, 403, 403, 200),
	"POST /admin/certificates/{code}/revoke":    roles(401, 403, 403, 403, 400),
	"GET /admin/users/":                         roles(303, 403, 403, 403, 200),
	"POST /admin/users/":                        roles(401, 403, 403, 403, 400), // an empty form names its first field
	"GET /admin/users/new":                      roles(303, 403, 403, 403, 200),
	"GET /admin/users/import":                   roles(303, 403, 403, 403, 200),
	"POST /admin/users/import":                  roles(401, 403, 403, 403, 400), // no file
	"POST /admin/users/import/confirm":          roles(401, 403, 403, 403, 400),
	"GET /admin/users/{id:[0-9]+}":              roles(303, 403, 403, 403, 404), // no such account
	"POST /admin/users/{id:[0-9]+}":             roles(401, 403, 403, 403, 404),
	"POST /admin/users/{id:[0-9]+}/disable":     roles(401, 403, 403, 403, 404),
	"POST /admin/users/{id:[0-9]+}/enable":      roles(401, 403, 403, 403, 404),
	"GET /admin/assignments/":                   roles(303, 403, 403, 200, 200),
	"POST /admin/assignments/":                  roles(401, 403, 403, 400, 400),
	"POST /admin/assignments/{id}/delete":       roles(401, 403, 403, 404, 404),
	"GET /admin/reports/":                       roles(303, 403, 403, 200, 200),
	"GET /admin/reports/overdue":                roles(303, 403, 403, 200, 200),
	"GET /admin/reports/items":                  roles(303, 403, 403, 200, 200),
	"GET /admin/reports/attempts":               roles(303, 403, 403, 200, 200),
	"GET /admin/reports/completions.csv":        roles(303, 403, 403, 200, 200),
	"GET /admin/reports/xapi.jsonl":             roles(303, 403, 403, 200, 200),
	"GET /referrals/new":                        roles(303, 200, 200, 200, 200),
	"POST /referrals/":                          roles(401, 400, 400, 400, 400), // an empty form names its first field
	"GET /referrals/":                           roles(303, 200, 200, 200, 200),
	"GET /referrals/{id}":                       roles(303, 404, 404, 404, 404), // nobody's referral but their own
	"POST /referrals/{id}/outcome":              roles(401, 400, 400, 400, 400), // no outcome
	"GET /admin/referrals/":                     roles(303, 403, 200, 200, 200),
	"GET /admin/referrals/referrals.csv":        roles(303, 403, 200, 200, 200),
	"GET /*":                                    everyone(200),
}

var roleNames = []string{"anonymous", "learner", "analyst", "trainer", "admin"}

func everyone(status int) map[string]int { return roles(status, status, status, status, status) }

func roles(anonymous, learner, analyst, trainer, admin int) map[string]int {
	return map[string]int{"anonymous": anonymous, "learner": learner, "analyst": analyst, "trainer": trainer, "admin": admin}
}

// samplePath fills a route's template with values that exist.
func samplePath(route, code string) string {
	return strings.NewReplacer(
		"{lang:[a-z]{2,3}}", "es", "/api/quizzes/{id}", "/api/quizzes/referral-basics", "{attempt}", "X",
		"{module}", "referral-basics", "{code}", code, "/admin/assignments/{id}", "/admin/assignments/999",
		"/referrals/{id}", "/referrals/NOSUCHREFERRAL", "/admin/users/{id:[0-9]+}", "/admin/users/999999",
		"/training/attempts/{id}", "/training/attempts/NOSUCHATTEMPT",
		"/*", "/get-help/",
	).Replace(route)
}

// TestAuthorization walks the router: every route, every role, the status
// in the table above; and every method a route does not take is a 405
// naming the ones it does.
func TestAuthorization(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	code := seedCertificate(t, st, "learner@example.org", "referral-basics")
	var srv *web.Server
	ts, _ := startServerWith(t, func(s *web.Server) { srv = s; s.SetStaff(staffTraining(st)) })
	clients := map[string]*http.Client{
		"anonymous": client(t, ts, ""),
		"learner":   client(t, ts, "learner@example.org"),
		"analyst":   client(t, ts, "analyst@example.org"),
		"trainer":   client(t, ts, "trainer@example.org"),
		"admin":     client(t, ts, "admin@example.org"),
	}
	routes := srv.Routes()
	// Signing out last: it ends the clients' sessions.
	slices.SortStableFunc(routes, func(a, b web.Route) int {
		return boolInt(a.Path == "/logout") - boolInt(b.Path == "/logout")
	})
	seen := map[string]bool{}
	methodsOf := map[string][]string{}
	for _, rt := range routes {
		methodsOf[rt.Path] = append(methodsOf[rt.Path], rt.Methods...)
	}
	for _, rt := range routes {
		key := rt.Methods[0] + " " + rt.Path
		seen[key] = true
		want, ok := authorization[key]
		if !ok {
			t.Errorf("route %s (%s) is not in the authorization table: say what each role gets", key, rt.Role)
			continue
		}
		path := samplePath(rt.Path, code)
		for _, role := range roleNames {
			status, body, _ := do(t, clients[role], rt.Methods[0], ts.URL+path, strings.NewReader(""), "application/x-www-form-urlencoded")
			if status != want[role] {
				t.Errorf("%s %s as %s: %d, want %d (%.80s)", rt.Methods[0], path, role, status, want[role], body)
			}
		}
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
			if slices.Contains(methodsOf[rt.Path], m) {
				continue
			}
			status, body, h := do(t, clients["admin"], m, ts.URL+path, strings.NewReader(""), "application/x-www-form-urlencoded")
			allow := strings.Split(h.Get("Allow"), ", ")
			if status != http.StatusMethodNotAllowed || !containsAll(allow, methodsOf[rt.Path]) {
				t.Errorf("%s %s: %d Allow %q, want 405 allowing %v (%.60s)", m, path, status, h.Get("Allow"), methodsOf[rt.Path], body)
			}
			if strings.HasPrefix(path, "/api/") && !bytes.Contains(body, []byte(`"error"`)) {
				t.Errorf("%s %s: a 405 under /api/ is not JSON: %s", m, path, body)
			}
		}
	}
	for key := range authorization {
		if !seen[key] {
			t.Errorf("the table names %s, which the router does not have", key)
		}
	}
	// The trainers' preview is where answer keys are: a learner's 403 page holds none.
	_, body, _ := do(t, clients["learner"], "GET", ts.URL+"/admin/quizzes/", nil, "")
	if bytes.Contains(body, []byte("✔")) {
		t.Error("the 403 page shows answers")
	}
	// An app route without its slash leads to its one address, query kept.
	c := noRedirects(clients["trainer"])
	if status, _, h := do(t, c, "GET", ts.URL+"/admin/reports?x=1", nil, ""); status != http.StatusMovedPermanently || h.Get("Location") != "/admin/reports/?x=1" {
		t.Errorf("/admin/reports: %d to %q, want 301 to /admin/reports/?x=1", status, h.Get("Location"))
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func containsAll(list, want []string) bool {
	for _, w := range want {
		if !slices.Contains(list, w) {
			return false
		}
	}
	return true
}

// TestAuthorizationDoc: docs/authorization.md is the router's table, for
// the City's IT and reviewers; go test ./internal/web -run
// TestAuthorizationDoc -update-docs rewrites it.
func TestAuthorizationDoc(t *testing.T) {
	var b strings.Builder
	b.WriteString("# Who may use which address\n\n")
	b.WriteString("Made from the router by `go test ./internal/web -run TestAuthorizationDoc -update-docs`;\n")
	b.WriteString("the test fails when this file and the router disagree. `TestAuthorization` checks each\n")
	b.WriteString("route for each role (anonymous, learner, analyst, trainer, admin).\n\n")
	b.WriteString("| methods | path | who |\n|---|---|---|\n")
	for _, rt := range web.New(nil).Routes() {
		fmt.Fprintf(&b, "| %s | `%s` | %s |\n", strings.Join(rt.Methods, ", "), rt.Path, rt.Role)
	}
	b.WriteString("\n- **public**: no session is read and no cookie is set.\n")
	b.WriteString("- **anyone**: a session is read when sent (sign-in, sign-out, setup).\n")
	b.WriteString("- **signed in**, **analyst, trainer or admin**, **trainer or admin**, **admin**: others get 401 (API and posts), a redirect to sign in (pages), or 403.\n")
	b.WriteString("- Any other method on a path is a 405 with `Allow` naming the methods it takes.\n")
	const path = "../../docs/authorization.md"
	if *updateDocs {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != b.String() {
		t.Errorf("docs/authorization.md is not the router's table (rerun with -update-docs):\n%s", b.String())
	}
}

// TestServerPagesAreRoutes: content may link to the pages the server
// renders (site.ServerPages) because each is a GET route here.
func TestServerPagesAreRoutes(t *testing.T) {
	routes := web.New(nil).Routes()
	for _, p := range site.ServerPages {
		if !slices.ContainsFunc(routes, func(rt web.Route) bool { return rt.Path == p && slices.Contains(rt.Methods, http.MethodGet) }) {
			t.Errorf("site.ServerPages has %s, which is no GET route", p)
		}
	}
}
