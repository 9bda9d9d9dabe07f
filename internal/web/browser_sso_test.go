package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"northstar/internal/auth"
	"northstar/internal/auth/oidctest"
	"northstar/internal/sso"
	"northstar/internal/web"
)

// TestBrowserSignInPageWithCityAccount: with the City's identity provider
// set up, the sign-in page offers the City account first; it passes
// axe-core at 1280 and 320 px without scrolling sideways, and Enter on the
// button leads to the provider's sign-in, with JavaScript off.
func TestBrowserSignInPageWithCityAccount(t *testing.T) {
	ctx := context.Background()
	st := sqliteStore(t)
	seedUsers(t, st)
	var handler http.Handler
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	callback := ts.URL + "/login/sso/callback"
	p := oidctest.Start(t, callback, oidctest.User{Username: "ana", Password: "pw-ana", Email: "ana@example.org", Name: "Ana", EmailVerified: true})
	client, err := sso.New(ctx, sso.Settings{Issuer: p.Issuer, ClientID: p.ClientID, ClientSecret: p.ClientSecret, RedirectURL: callback})
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

	b := newStaffTab(t)
	for _, width := range []int64{1280, 320} {
		if err := chromedp.Do(b.tab, chromedp.EmulateViewport(width, 800), chromedp.Navigate(ts.URL+"/login?next=/training/my/")); err != nil {
			t.Fatal(err)
		}
		b.waitFor("sign-in page", func(s pageState) bool {
			return strings.Contains(s.Text, "Sign in with your City account") && s.ReadyState == "complete"
		})
		if w := b.sideways(); w > 0.5 {
			t.Errorf("the sign-in page at %d px scrolls sideways by %.0f px", width, w)
		}
		b.axeCheck("sign-in with the City account")
	}
	b.tabTo(`a[href^="/login/sso"]`)
	b.press(kb.Enter)
	b.waitFor("the provider's sign-in", func(s pageState) bool { return strings.HasPrefix(s.Href, p.Issuer) })
}
