package web_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"northstar/internal/auth"
	"northstar/internal/auth/oidctest"
	"northstar/internal/sso"
	"northstar/internal/store"
	"northstar/internal/web"
	"northstar/internal/web/webtest"
)

// ssoServer serves the staff test site on st with sign-in through a real
// OpenID Provider holding users, read by claims; passwords for admins only.
func ssoServer(t *testing.T, st store.Store, claims sso.Claims, users ...oidctest.User) (*httptest.Server, *oidctest.Provider) {
	t.Helper()
	var handler http.Handler
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	callback := ts.URL + "/login/sso/callback"
	p := oidctest.Start(t, callback, users...)
	client, err := sso.New(context.Background(), sso.Settings{Issuer: p.Issuer, ClientID: p.ClientID, ClientSecret: p.ClientSecret,
		RedirectURL: callback, Claims: claims})
	if err != nil {
		t.Fatal(err)
	}
	staff := staffTraining(st)
	staff.SSO = client
	staff.Sessions.Passwords = auth.PasswordsAdmins
	srv := web.New(nil)
	srv.SetStaff(staff)
	installRelease(t, srv, staffSite, staffSite.quizzes)
	handler = srv.Handler()
	t.Cleanup(func() { srv.Close() })
	return ts, p
}

// TestSignInWithTheCityAccount signs staff in through a real OpenID
// Provider's login form and lands them on My training with the role and
// department its claims give; a domain not allowed, a disabled account
// and a forged state are refused; passwords follow --local-login.
func TestSignInWithTheCityAccount(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st) // learner@example.org … in Police
	ts, p := ssoServer(t, st, sso.Claims{DepartmentGroups: map[string]string{"mpls-health": "Health"},
		RoleGroups: map[string]string{"northstar-trainers": "trainer"}, AllowedDomains: []string{"minneapolismn.gov"}},
		oidctest.User{Username: "ana", Password: "pw-ana", Email: "ana@minneapolismn.gov", Name: "Ana Lopez", EmailVerified: true,
			Groups: []string{"mpls-health", "northstar-trainers"}},
		oidctest.User{Username: "eve", Password: "pw-eve", Email: "eve@elsewhere.example", Name: "Eve", EmailVerified: true},
		oidctest.User{Username: "lee", Password: "pw-lee", Email: "learner@example.org", Name: "Learner", EmailVerified: true, Groups: []string{"mpls-health"}})
	ctx := context.Background()

	// signIn follows the sign-in as a browser would: our page, the
	// provider's form, back to us.
	signIn := func(user, password string) (*http.Client, int, string) {
		t.Helper()
		c := client0()
		resp, err := c.Get(ts.URL + "/login/sso?next=/training/my/")
		if err != nil || resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("start: %v %v", resp, err)
		}
		resp.Body.Close()
		back, err := p.Login(c, resp.Header.Get("Location"), user, password)
		if err != nil {
			t.Fatal(err)
		}
		status, body, h := do(t, c, "GET", back, nil, "")
		if status == http.StatusSeeOther {
			status, body, _ = do(t, c, "GET", ts.URL+h.Get("Location"), nil, "")
		}
		return c, status, string(body)
	}

	_, body, _ := do(t, client0(), "GET", ts.URL+"/login", nil, "")
	if !strings.Contains(string(body), "Sign in with your City account") {
		t.Error("the sign-in page does not offer the City account")
	}
	c, status, page := signIn("ana", "pw-ana")
	if status != 200 || !strings.Contains(page, "Signed in as <strong>Ana Lopez</strong>") || !strings.Contains(page, "Your department: Health") {
		t.Fatalf("Ana after sign-in: %d %.300s", status, page)
	}
	if u, _ := st.UserByEmail(ctx, "ana@minneapolismn.gov"); u.Role != auth.RoleTrainer || u.Department != "Health" {
		t.Errorf("Ana's account %+v", u)
	}
	if status, _, _ := do(t, c, "GET", ts.URL+"/admin/reports/", nil, ""); status != 200 {
		t.Errorf("Ana, a trainer by her group, opens the reports: %d", status)
	}
	// An existing account takes the provider's department at sign-in.
	if _, status, page := signIn("lee", "pw-lee"); status != 200 || !strings.Contains(page, "Your department: Health") {
		t.Errorf("the learner after sign-in: %d", status)
	}
	if _, status, _ := signIn("eve", "pw-eve"); status != http.StatusForbidden {
		t.Errorf("a domain not allowed, no account: %d", status)
	}
	st.SetDisabled(ctx, "ana@minneapolismn.gov", true)
	if _, status, _ := signIn("ana", "pw-ana"); status != http.StatusForbidden {
		t.Errorf("a disabled account: %d", status)
	}
	// A callback that did not start here.
	if status, _, _ := do(t, client0(), "GET", ts.URL+"/login/sso/callback?state=forged&code=x", nil, ""); status != http.StatusBadRequest {
		t.Errorf("a forged callback: %d", status)
	}
	// Passwords: admins only.
	form := url.Values{"email": {"trainer@example.org"}, "password": {testPassword}}
	if status, _, _ := do(t, client0(), "POST", ts.URL+"/login", strings.NewReader(form.Encode()), formType); status != http.StatusForbidden {
		t.Errorf("a trainer's password: %d, want 403", status)
	}
	form.Set("email", "admin@example.org")
	if status, _, _ := do(t, client0(), "POST", ts.URL+"/login", strings.NewReader(form.Encode()), formType); status != http.StatusSeeOther {
		t.Errorf("the break-glass admin's password: %d, want 303", status)
	}
}

func client0() *http.Client { return webtest.NewClient(nil) }

// TestSignInWhileTheProviderIsDown: with the City's identity provider out
// of reach, the site still serves, and the City account's sign-in is a 503
// saying to try again soon, on the sign-in page.
func TestSignInWhileTheProviderIsDown(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + ln.Addr().String()
	ln.Close()
	client, err := sso.New(context.Background(), sso.Settings{Issuer: down, ClientID: "northstar", ClientSecret: "x", RedirectURL: "http://127.0.0.1/login/sso/callback"})
	if !errors.Is(err, sso.ErrUnavailable) {
		t.Fatalf("New with the provider down: %v", err)
	}
	staff := staffTraining(st)
	staff.SSO = client
	ts, _ := startStaffServer(t, func(s *web.Server) { s.SetStaff(staff) })
	if status, body, _ := do(t, client0(), "GET", ts.URL+"/login", nil, ""); status != 200 || !strings.Contains(string(body), "Sign in with your City account") {
		t.Errorf("the sign-in page: %d", status)
	}
	status, body, h := do(t, noRedirects(client0()), "GET", ts.URL+"/login/sso?next=/training/my/", nil, "")
	if status != http.StatusServiceUnavailable || h.Get("Retry-After") == "" || !strings.Contains(string(body), "cannot be reached right now") {
		t.Errorf("/login/sso with the provider down: %d %q %.200s", status, h.Get("Retry-After"), body)
	}
}
