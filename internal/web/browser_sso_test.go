package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"northstar/internal/auth/oidctest"
	"northstar/internal/sso"
)

// TestBrowserSignInPageWithCityAccount: with the City's identity provider
// set up, the sign-in page offers the City account first; it passes
// axe-core at 1280 and 320 px without scrolling sideways, and Enter on the
// button leads to the provider's sign-in, with JavaScript off.
func TestBrowserSignInPageWithCityAccount(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts, p := ssoServer(t, st, sso.Claims{}, oidctest.User{Username: "ana", Password: "pw-ana", Email: "ana@example.org", Name: "Ana", EmailVerified: true})

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
