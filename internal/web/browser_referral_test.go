package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// press sends one key to the focused element.
func (b *staffTab) press(key string) {
	b.t.Helper()
	if err := chromedp.Do(b.tab, chromedp.KeyEvent(key)); err != nil {
		b.t.Fatalf("press %q: %v", key, err)
	}
}

// tabTo presses Tab until the focused element matches selector, as a
// keyboard user moves through a form.
func (b *staffTab) tabTo(selector string) {
	b.t.Helper()
	for i := 0; i < 300; i++ {
		b.press(kb.Tab)
		on, err := chromedp.Run(b.tab, chromedp.Evaluate[bool](fmt.Sprintf(`document.activeElement && document.activeElement.matches(%q)`, selector)))
		if err != nil {
			b.t.Fatal(err)
		}
		if on {
			return
		}
	}
	b.t.Fatalf("Tab never reaches %s", selector)
}

// sideways is how far the page is wider than the window, 0 when it fits.
func (b *staffTab) sideways() float64 {
	b.t.Helper()
	w, err := chromedp.Run(b.tab, chromedp.Evaluate[float64](`document.documentElement.scrollWidth - innerWidth`))
	if err != nil {
		b.t.Fatal(err)
	}
	return w
}

// TestBrowserRecordReferralByKeyboard records a referral with the keyboard
// alone and JavaScript off: Tab between fields, Space and arrows to
// choose, Enter to send. The server's under-18 rule sends the form back
// naming the field, the fix goes through, and an outcome is added. Every
// page passes axe-core at 1280 px and fits a 320 px screen.
func TestBrowserRecordReferralByKeyboard(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts := staffServer(t, st)
	b := newStaffTab(t)
	b.signInAt(ts.URL, "/referrals/new", "learner@example.org")
	b.waitFor("the form", func(s pageState) bool {
		return strings.Contains(s.Text, "Record a referral") && s.ReadyState == "complete"
	})
	b.axeCheck("/referrals/new")
	at320 := func(label string) {
		t.Helper()
		if err := chromedp.Do(b.tab, chromedp.EmulateViewport(320, 800)); err != nil {
			t.Fatal(err)
		}
		if w := b.sideways(); w > 0.5 {
			wide, _ := chromedp.Run(b.tab, chromedp.Evaluate[string](`[...document.body.querySelectorAll('*')].filter(el => !el.closest('.table-wrap') && el.getBoundingClientRect().right > innerWidth + 0.5).slice(0, 5).map(el => el.tagName).join(' ')`))
			t.Errorf("%s at 320 px scrolls sideways by %.0f px: %s", label, w, wide)
		}
		b.axeCheck(label + " at 320 px")
		if err := chromedp.Do(b.tab, chromedp.EmulateViewport(1280, 900)); err != nil {
			t.Fatal(err)
		}
	}
	at320("/referrals/new")

	// The date is today already. How it came up: the first source.
	b.tabTo("#source")
	b.press(kb.ArrowDown)
	// Each group's first answer: labor trafficking, under 18, danger yes, 911 yes.
	for _, group := range []string{"suspected", "age", "danger", "called_911"} {
		b.tabTo(`input[name="` + group + `"]`)
		b.press(" ")
	}
	// Child protection stays "Not asked", which the server refuses for under 18.
	b.tabTo("#language")
	b.press(kb.ArrowDown)
	b.tabTo(`input[name="interpreter"]`)
	b.press(" ")
	b.tabTo(`input[name="services"]`)
	b.press(" ")
	for _, group := range []string{"warm_handoff", "agreed"} {
		b.tabTo(`input[name="` + group + `"]`)
		b.press(" ")
	}
	b.tabTo(`form.referral-form button[type="submit"]`)
	b.press(kb.Enter)
	b.waitFor("the form sent back", func(s pageState) bool {
		return strings.Contains(s.Text, "The referral is not recorded yet") && s.ReadyState == "complete"
	})
	if !strings.Contains(b.text(), "say whether child protection was called") {
		t.Error("the form sent back does not say what is missing")
	}
	b.axeCheck("the form with an error")
	at320("the form with an error")

	// Fix it: the group's checked answer is "Not asked"; Down wraps to Yes.
	b.tabTo(`input[name="child_protection"]`)
	b.press(kb.ArrowDown)
	b.tabTo(`form.referral-form button[type="submit"]`)
	b.press(kb.Enter)
	b.waitFor("the list", func(s pageState) bool {
		return strings.Contains(s.Text, "The referral is recorded") && s.ReadyState == "complete"
	})
	b.axeCheck("/referrals/")
	at320("/referrals/")

	b.tabTo(`select[name="outcome"]`)
	b.press(kb.ArrowDown)
	b.tabTo(`td form button[type="submit"]`)
	b.press(kb.Enter)
	b.waitFor("the outcome", func(s pageState) bool {
		return strings.Contains(s.Text, "The outcome is saved") && s.ReadyState == "complete"
	})
	if !strings.Contains(b.text(), "Connected with the service") {
		t.Error("the list does not show the outcome")
	}

	mine, err := st.UserByEmail(t.Context(), "learner@example.org")
	if err != nil {
		t.Fatal(err)
	}
	list, err := st.ReferralsBy(t.Context(), mine.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("stored %d referrals, %v; want 1", len(list), err)
	}
	r := list[0]
	if r.Source != "inspection" || r.Suspected != "labor" || r.AgeGroup != "under-18" || !r.Danger || !r.Called911 ||
		r.ChildProtection != "yes" || r.Language != "en" || r.Interpreter != "not-needed" || len(r.Services) != 1 ||
		!r.WarmHandoff || !r.Agreed || r.Outcome != "connected" {
		t.Errorf("stored %+v: not what the keys chose", r)
	}

	// The City's view, for an analyst.
	a := newStaffTab(t)
	if err := chromedp.Do(a.tab, chromedp.Navigate(ts.URL+"/login?next=/admin/referrals/")); err != nil {
		t.Fatal(err)
	}
	a.waitFor("sign-in page", func(s pageState) bool { return s.ReadyState == "complete" })
	a.typeSignIn("analyst@example.org")
	a.waitFor("the report", func(s pageState) bool {
		return strings.Contains(s.Text, "By month and department") && s.ReadyState == "complete"
	})
	if err := chromedp.Do(a.tab, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	a.axeCheck("/admin/referrals/")
	if err := chromedp.Do(a.tab, chromedp.EmulateViewport(320, 800)); err != nil {
		t.Fatal(err)
	}
	if w := a.sideways(); w > 0.5 {
		t.Errorf("/admin/referrals/ at 320 px scrolls sideways by %.0f px", w)
	}
	a.axeCheck("/admin/referrals/ at 320 px")
}

func (b *staffTab) text() string {
	b.t.Helper()
	s, err := chromedp.Run(b.tab, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		b.t.Fatal(err)
	}
	return s
}
