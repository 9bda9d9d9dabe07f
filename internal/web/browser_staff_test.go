package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"northstar/internal/store"
)

// TestBrowserStaffWorkspace opens every staff page an admin has in real
// Chromium with JavaScript off: each has the staff navigation with the page
// marked, passes axe-core at 1280 px and at 320 px, shows every table whole
// at 1280 px (no scrolling inside it) and never scrolls sideways at 320 px.
func TestBrowserStaffWorkspace(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	seedCertificate(t, st, "learner@example.org", "referral-basics")
	ctx := context.Background()
	admin, _ := st.UserByEmail(ctx, "admin@example.org")
	learner, _ := st.UserByEmail(ctx, "learner@example.org")
	now := time.Now().UTC()
	for _, m := range []string{"referral-basics", "police-response", "trafficking-basics", "recognizing-signs"} {
		st.CreateAssignment(ctx, store.Assignment{Module: m, Department: "Police", DueAt: now.AddDate(0, 0, -3), AssignedBy: admin.ID, CreatedAt: now.AddDate(0, -1, 0)})
	}
	ts := staffServer(t, st)
	b := newStaffTab(t)
	viewport := func(w, h int64) {
		t.Helper()
		if err := chromedp.Do(b.tab, chromedp.EmulateViewport(w, h)); err != nil {
			t.Fatal(err)
		}
	}
	b.signInAt(ts.URL, "/training/my/", "admin@example.org")
	for _, p := range []struct{ path, want, current string }{
		{"/training/my/", "Your modules", "/training/my/"},
		{"/referrals/new", "Record a referral", "/referrals/new"},
		{"/referrals/", "Your referrals", "/referrals/"},
		{"/admin/referrals/", "Referrals", "/admin/referrals/"},
		{"/admin/reports/", "Completion by department and module", "/admin/reports/"},
		{"/admin/reports/overdue", "overdue", "/admin/reports/"},
		{"/admin/reports/items?quiz=referral-basics", "Item analysis", "/admin/reports/"},
		{"/admin/assignments/", "Current assignments", "/admin/assignments/"},
		{"/admin/quizzes/", "Quiz", "/admin/quizzes/"},
		{"/admin/certificates/?q=learner@example.org", "Reason for revoking", "/admin/certificates/"},
		{"/admin/users/", "5 accounts", "/admin/users/"},
		{"/admin/users/new", "Add an account", "/admin/users/"},
		{"/admin/users/import", "Import accounts", "/admin/users/"},
		{"/admin/users/" + strconv.FormatInt(learner.ID, 10), "History", "/admin/users/"},
	} {
		viewport(1280, 900)
		if err := chromedp.Do(b.tab, chromedp.Navigate(ts.URL+p.path)); err != nil {
			t.Fatal(err)
		}
		b.waitFor(p.path, func(s pageState) bool { return strings.Contains(s.Text, p.want) && s.ReadyState == "complete" })
		current, err := chromedp.Run(b.tab, chromedp.Evaluate[string](`(document.querySelector('.staff-nav a[aria-current="page"]') || {}).getAttribute?.('href') || ''`))
		if err != nil || current != p.current {
			t.Errorf("%s: the navigation marks %q, want %q (%v)", p.path, current, p.current, err)
		}
		cut, err := chromedp.Run(b.tab, chromedp.Evaluate[string](`[...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1).map(w => (w.querySelector('caption') || w).textContent.trim().slice(0, 40) + ' ' + w.scrollWidth + '>' + w.clientWidth).join('; ')`))
		if err != nil || cut != "" {
			t.Errorf("%s at 1280 px: tables scroll inside their box: %s %v", p.path, cut, err)
		}
		b.axeCheck(p.path + " at 1280 px")
		viewport(320, 800)
		if w := b.sideways(); w > 0.5 {
			wide, _ := chromedp.Run(b.tab, chromedp.Evaluate[string](`[...document.body.querySelectorAll('*')].filter(el => !el.closest('.table-wrap') && el.getBoundingClientRect().right > innerWidth + 0.5).slice(-3).map(el => el.tagName + '.' + el.className + '#' + el.id).join(' ')`))
			t.Errorf("%s at 320 px scrolls sideways by %.0f px: %s", p.path, w, wide)
		}
		b.axeCheck(p.path + " at 320 px")
	}
}

// TestBrowserAddUserByKeyboard adds an account and disables it with the
// keyboard alone and JavaScript off, as an admin without a mouse would.
func TestBrowserAddUserByKeyboard(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts := staffServer(t, st)
	b := newStaffTab(t)
	b.signInAt(ts.URL, "/admin/users/", "admin@example.org")
	b.waitFor("users", func(s pageState) bool { return strings.Contains(s.Text, "5 accounts") })
	b.tabTo(`a[href="/admin/users/new"]`)
	b.press(kb.Enter)
	b.waitFor("the form", func(s pageState) bool {
		return strings.Contains(s.Text, "Add an account") && s.ReadyState == "complete"
	})
	b.tabTo("#email")
	b.typeKeys("kim@example.org")
	b.tabTo("#name")
	b.typeKeys("Kim Keyboard")
	b.tabTo("#department")
	b.typeKeys("Health") // a select takes the option typed
	b.tabTo(`input[name="role"]:checked`)
	b.press(kb.ArrowDown) // learner → analyst
	b.press(kb.Enter)
	b.waitFor("added", func(s pageState) bool {
		return strings.Contains(s.Text, "1 account added") && strings.Contains(s.Text, "Temporary password")
	})
	b.axeCheck("account added")
	u, err := st.UserByEmail(context.Background(), "kim@example.org")
	if err != nil || u.Department != "Health" || u.Role != "analyst" || u.Name != "Kim Keyboard" {
		t.Fatalf("the account added: %+v %v", u, err)
	}
	b.tabTo(`a[href="/admin/users/` + strconv.FormatInt(u.ID, 10) + `"]`)
	b.press(kb.Enter)
	b.waitFor("the account", func(s pageState) bool {
		return strings.Contains(s.Text, "Disable this account") && s.ReadyState == "complete"
	})
	b.tabTo(`form[action$="/disable"] button`)
	b.press(kb.Enter)
	b.waitFor("disabled", func(s pageState) bool { return strings.Contains(s.Text, "The account is disabled") })
	b.axeCheck("account disabled")
	if u, _ := st.UserByID(context.Background(), u.ID); !u.Disabled {
		t.Error("the account is not disabled")
	}
}

// typeKeys types text into the focused element.
func (b *staffTab) typeKeys(text string) {
	b.t.Helper()
	if err := chromedp.Do(b.tab, chromedp.KeyEvent(text)); err != nil {
		b.t.Fatalf("type %q: %v", text, err)
	}
}

// TestBrowserImportUsers pastes a CSV file into the import form, checks it
// and confirms it in real Chromium with JavaScript off: what the preview
// carries to the confirmation (its lines and their breaks) reaches the
// server whole.
func TestBrowserImportUsers(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts := staffServer(t, st)
	b := newStaffTab(t)
	b.signInAt(ts.URL, "/admin/users/import", "admin@example.org")
	b.waitFor("the import form", func(s pageState) bool { return strings.Contains(s.Text, "Import accounts") })
	csv := "email,name,department,role\nana@example.org,Ana Import,Health,learner\nbo@example.org,\"Bo, Jr.\",Police,trainer\n"
	if err := chromedp.Do(b.tab, chromedp.SetValue(chromedp.CSS("#csv"), csv), chromedp.Click(chromedp.CSS(`form[action="/admin/users/import"] button`))); err != nil {
		t.Fatal(err)
	}
	b.waitFor("the preview", func(s pageState) bool {
		return strings.Contains(s.Text, "2 accounts to add") && s.ReadyState == "complete"
	})
	b.axeCheck("import preview")
	b.tabTo(`form[action="/admin/users/import/confirm"] button`)
	b.press(kb.Enter)
	b.waitFor("added", func(s pageState) bool { return strings.Contains(s.Text, "2 accounts added") })
	b.axeCheck("accounts imported")
	for email, name := range map[string]string{"ana@example.org": "Ana Import", "bo@example.org": "Bo, Jr."} {
		if u, err := st.UserByEmail(context.Background(), email); err != nil || u.Name != name {
			t.Errorf("%s: %+v %v", email, u, err)
		}
	}
}
