package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"northstar/internal/email"
	"northstar/internal/email/smtptest"
	"northstar/internal/reminder"
	"northstar/internal/store"
	"northstar/internal/training"
)

// TestReminderChoice: My training has a form, a fieldset of two labelled
// radio buttons, that works without JavaScript: reminders are on until the
// learner says no; the choice is saved for them alone and shown; a
// cross-site post or a choice that is neither yes nor no changes nothing;
// and a learner who said no gets no reminder, one who said yes again does.
func TestReminderChoice(t *testing.T) {
	ctx := context.Background()
	st := sqliteStore(t)
	seedUsers(t, st)
	ts := staffServer(t, st)
	learner := client(t, ts, "learner@example.org")
	me, _ := st.UserByEmail(ctx, "learner@example.org")
	other, _ := st.UserByEmail(ctx, "other@example.org")

	checked := func(page []byte) string {
		t.Helper()
		m := regexp.MustCompile(`<input type="radio" name="reminders" value="(yes|no)"[^>]*checked>`).FindAllSubmatch(page, -1)
		if len(m) != 1 {
			t.Fatalf("%d reminder choices checked, want 1", len(m))
		}
		return string(m[0][1])
	}
	status, page, _ := do(t, learner, "GET", ts.URL+"/training/my/", nil, "")
	form := regexp.MustCompile(`(?s)<form class="form" method="post" action="/training/my/reminders">.*?</form>`).Find(page)
	if status != http.StatusOK || form == nil {
		t.Fatalf("my training: %d, no reminder form\n%s", status, page)
	}
	for _, want := range []string{`<fieldset>`, `<legend>Email me reminders</legend>`, `<label class="choice"><input type="radio" name="reminders" value="yes"`,
		`<label class="choice"><input type="radio" name="reminders" value="no"`, `<button type="submit">Save</button>`, "learner@example.org"} {
		if !strings.Contains(string(form), want) {
			t.Errorf("the reminder form lacks %s:\n%s", want, form)
		}
	}
	if regexp.MustCompile(`<script| on[a-z]+=`).Match(form) {
		t.Error("the form needs JavaScript")
	}
	if c := checked(page); c != "yes" {
		t.Errorf("by default %q is checked, want yes", c)
	}

	status, body, h := do(t, learner, "POST", ts.URL+"/training/my/reminders", strings.NewReader("reminders=no"), "application/x-www-form-urlencoded")
	if status != http.StatusSeeOther || h.Get("Location") != "/training/my/?saved=reminders#reminders" {
		t.Fatalf("saying no: %d to %q (%s)", status, h.Get("Location"), body)
	}
	_, page, _ = do(t, learner, "GET", ts.URL+h.Get("Location"), nil, "")
	if c := checked(page); c != "no" || !strings.Contains(string(page), `<p role="status" class="notice">Your choice is saved: you get no reminders by email.</p>`) {
		t.Errorf("after saying no: %q checked, or no status\n%s", c, page)
	}
	if on, _ := st.RemindersWanted(ctx, me.ID); on {
		t.Error("the store still says yes")
	}
	if on, _ := st.RemindersWanted(ctx, other.ID); !on {
		t.Error("another learner's choice changed")
	}

	// A cross-site post (CSRF) and a choice that is neither are refused.
	req, _ := http.NewRequest("POST", ts.URL+"/training/my/reminders", strings.NewReader("reminders=yes"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	resp, err := learner.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site post: %d, want 403", resp.StatusCode)
	}
	if status, body, _ := do(t, learner, "POST", ts.URL+"/training/my/reminders", strings.NewReader("reminders=sometimes"), "application/x-www-form-urlencoded"); status != http.StatusBadRequest || !strings.Contains(string(body), "Choose Yes or No") {
		t.Errorf("a choice of sometimes: %d %s", status, body)
	}
	if on, _ := st.RemindersWanted(ctx, me.ID); on {
		t.Error("a refused post changed the choice")
	}
	if status, _, _ := do(t, client(t, ts, ""), "POST", ts.URL+"/training/my/reminders", strings.NewReader("reminders=yes"), "application/x-www-form-urlencoded"); status != http.StatusUnauthorized {
		t.Errorf("signed out: %d, want 401", status)
	}

	// The choice is what reminders read: no, nothing; yes, the reminder.
	trainer, _ := st.UserByEmail(ctx, "trainer@example.org")
	now := time.Now()
	due, _ := training.DueDate(now.In(training.CityTime).AddDate(0, 0, 14).Format("2006-01-02"), now)
	if _, err := st.CreateAssignment(ctx, store.Assignment{Module: "referral-basics", UserID: me.ID, DueAt: due, AssignedBy: trainer.ID, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	relay := smtptest.Start(t, smtptest.Config{})
	svc := &reminder.Service{Store: st, Modules: staffSite.modules, PublicURL: testPublicURL,
		Dial: func(ctx context.Context) (reminder.Sender, error) {
			return email.Dial(ctx, email.Settings{Addr: relay.Addr, From: "training@minneapolis.example"})
		}}
	if res, err := svc.Run(ctx); err != nil || res.Sent != 0 {
		t.Errorf("after saying no: %+v %v, want nothing sent", res, err)
	}
	do(t, learner, "POST", ts.URL+"/training/my/reminders", strings.NewReader("reminders=yes"), "application/x-www-form-urlencoded")
	if res, err := svc.Run(ctx); err != nil || res.Sent != 1 || relay.Messages()[0].To[0] != "learner@example.org" {
		t.Errorf("after saying yes: %+v %v, want the learner's reminder", res, err)
	}
}
