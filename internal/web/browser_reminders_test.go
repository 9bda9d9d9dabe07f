package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserReminderChoiceByKeyboard turns reminders by email off on My
// training with the keyboard alone and JavaScript off: Tab to the choice,
// an arrow to No, Enter to save. The page passes axe-core before and
// after, and fits a 320 px screen.
func TestBrowserReminderChoiceByKeyboard(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts := staffServer(t, st)
	b := newStaffTab(t)
	if err := chromedp.Do(b.tab, chromedp.Navigate(ts.URL+"/login?next=/training/my/")); err != nil {
		t.Fatal(err)
	}
	b.waitFor("sign-in page", func(s pageState) bool { return s.ReadyState == "complete" })
	b.typeSignIn("learner@example.org")
	b.waitFor("My training", func(s pageState) bool {
		return strings.Contains(s.Text, "Email me reminders") && s.ReadyState == "complete"
	})
	b.axeCheck("/training/my/ with the reminder choice")
	if err := chromedp.Do(b.tab, chromedp.EmulateViewport(320, 800)); err != nil {
		t.Fatal(err)
	}
	if w := b.sideways(); w > 0.5 {
		t.Errorf("My training at 320 px scrolls sideways by %.0f px", w)
	}
	if err := chromedp.Do(b.tab, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	// Tab reaches the checked answer, Yes; Down moves the choice to No.
	b.tabTo(`input[name="reminders"]`)
	b.press(kb.ArrowDown)
	b.tabTo(`#reminders button[type="submit"]`)
	b.press(kb.Enter)
	b.waitFor("the choice saved", func(s pageState) bool {
		return strings.Contains(s.Text, "Your choice is saved: you get no reminders by email") && s.ReadyState == "complete"
	})
	b.axeCheck("/training/my/ after saving")
	me, _ := st.UserByEmail(context.Background(), "learner@example.org")
	if on, _ := st.RemindersWanted(context.Background(), me.ID); on {
		t.Error("saved by keyboard, but the store still says yes")
	}
}
