package reminder_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"northstar/internal/email"
	"northstar/internal/email/smtptest"
	"northstar/internal/reminder"
	"northstar/internal/store"
	"northstar/internal/store/storetest"
	"northstar/internal/training"
)

var ctx = context.Background()

const publicURL = "https://northstar.example.gov"

var modules = []training.Module{
	{Slug: "basics", Title: "Trafficking basics", URL: "/training/basics/", Quiz: "basics", Audience: []string{"all"}},
	{Slug: "signs", Title: "Recognizing the signs", URL: "/training/signs/", Quiz: "signs", Audience: []string{"all"}},
}

// start is the first run's clock: Friday 1 May 2026, 07:00 in Minneapolis.
var start = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// world is a store with staff who each have one reason to get a reminder,
// or not to, and a relay to send them to.
type world struct {
	st    store.Store
	dsn   string
	relay *smtptest.Server
	now   time.Time
	users map[string]store.User
	log   *slog.Logger
}

func newWorld(t *testing.T, st store.Store, dsn string) *world {
	t.Helper()
	w := &world{st: st, dsn: dsn, relay: smtptest.Start(t, smtptest.Config{}), now: start, users: map[string]store.User{},
		log: slog.New(slog.NewTextHandler(t.Output(), nil))}
	joined := start.AddDate(-1, 0, 0)
	for _, u := range []store.User{
		{Email: "trainer@example.org", Name: "Tou Trainer", Department: "Admin", Role: store.RoleTrainer},
		{Email: "ana@example.org", Name: "Ana Assigned", Department: "311"},
		{Email: "bo@example.org", Name: "Bo Overdue", Department: "Fire"},
		{Email: "cy@example.org", Name: "Cy Certified", Department: "Library"},
		{Email: "gus@example.org", Name: "Gus Due-soon", Department: "Parks"},
		{Email: "dee@example.org", Name: "Dee Declined", Department: "311"},
		{Email: "eve@example.org", Name: "Eve Disabled", Department: "311", Disabled: true},
		{Email: "", Name: "Fay No-email", Department: "311"},
	} {
		u.Role = cmp.Or(u.Role, store.RoleLearner)
		u.PasswordHash, u.CreatedAt = "h", joined
		created, err := st.CreateUser(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		w.users[strings.Fields(u.Name)[0]] = created
	}
	by := w.users["Tou"].ID
	assign := func(a store.Assignment) {
		t.Helper()
		a.AssignedBy = by
		if _, err := st.CreateAssignment(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	// Ana, Dee, Eve and Fay: assigned an hour ago, due at the end of Friday 8 May.
	due8, _ := training.DueDate("2026-05-08", start.Add(-time.Hour))
	for _, name := range []string{"Ana", "Dee", "Eve", "Fay"} {
		assign(store.Assignment{Module: "basics", UserID: w.users[name].ID, DueAt: due8, CreatedAt: start.Add(-time.Hour)})
	}
	// Bo's department: assigned in March, due 20 April.
	due20, _ := training.DueDate("2026-04-20", start.AddDate(0, -2, 0))
	assign(store.Assignment{Module: "signs", Department: "Fire", DueAt: due20, CreatedAt: start.AddDate(0, -2, 0)})
	// Gus's department: assigned three weeks ago, due Wednesday 6 May.
	due6, _ := training.DueDate("2026-05-06", start.AddDate(0, 0, -21))
	assign(store.Assignment{Module: "basics", Department: "Parks", DueAt: due6, CreatedAt: start.AddDate(0, 0, -21)})
	// Cy passed basics a year ago, less 24 days.
	passed := start.AddDate(-1, 0, 24)
	cy := w.users["Cy"].ID
	st.CreateAttempt(ctx, store.Attempt{ID: "cy-1", UserID: cy, QuizID: "basics", Drawn: []string{"q"}, StartedAt: passed})
	cert := store.Certificate{Code: "CYCERTIFICAT", UserID: cy, Module: "basics", AttemptID: "cy-1", Score: 100, PassedAt: passed, ValidUntil: training.ValidUntil(passed, 12)}
	if _, err := st.SubmitAttempt(ctx, store.Attempt{ID: "cy-1", SubmittedAt: &passed, Results: []byte(`[]`), Score: 100, Passed: true}, &cert); err != nil {
		t.Fatal(err)
	}
	if err := (reminder.Preferences{Store: st}).Choose(ctx, w.users["Dee"].ID, "no"); err != nil {
		t.Fatal(err)
	}
	return w
}

// service is a run as serve or 'northstar remind' makes it, on st (the
// world's, or another opened on its database), at the world's clock.
func (w *world) service(st store.Store) *reminder.Service {
	return &reminder.Service{
		Store: st, Modules: modules, PublicURL: publicURL, Now: func() time.Time { return w.now }, Log: w.log,
		Dial: func(ctx context.Context) (reminder.Sender, error) {
			return email.Dial(ctx, email.Settings{Addr: w.relay.Addr, From: "Northstar training <training@minneapolis.example>"})
		},
	}
}

func (w *world) run(t *testing.T, st store.Store) reminder.Result {
	t.Helper()
	res, err := w.service(st).Run(ctx)
	if err != nil {
		t.Fatalf("run at %s: %v", w.now, err)
	}
	return res
}

// received is what the relay accepted, as "to: subject", in order.
func received(t *testing.T, relay *smtptest.Server) []string {
	t.Helper()
	var out []string
	for _, m := range relay.Messages() {
		p, err := smtptest.Parse(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.Join(m.To, ",")+": "+p.Header.Get("Subject"))
	}
	slices.Sort(out)
	return out
}

// TestRunSendsEachOnce: the first run sends each reminder due to those
// who want it; a second run, a restart and the next day send nothing
// again; a week on, the weekly overdue reminders go again.
func TestRunSendsEachOnce(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, st store.Store, dsn string) {
		w := newWorld(t, st, dsn)
		res := w.run(t, st)
		want := []string{
			"ana@example.org: New training assigned: Trafficking basics",
			"bo@example.org: Training overdue: Recognizing the signs",
			"cy@example.org: Certificate expires in 24 days: Trafficking basics",
			"gus@example.org: Training due in 5 days: Trafficking basics",
		}
		if got := received(t, w.relay); !slices.Equal(got, want) || res != (reminder.Result{Sent: 4}) {
			t.Fatalf("first run: %+v\n%s\nwant\n%s", res, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		checkContent(t, w.relay.Messages())

		if res := w.run(t, st); res != (reminder.Result{}) {
			t.Errorf("second run: %+v, want nothing sent", res)
		}
		// A restart: another store on the database, another service.
		if res := w.run(t, storetest.Open(t, dsn)); res != (reminder.Result{}) {
			t.Errorf("after a restart: %+v, want nothing sent", res)
		}
		// Saturday: Ana's assignment notice said it is due in 7 days, so
		// no due-soon reminder follows; Bo is still in his second week
		// overdue, whose reminder went yesterday.
		w.now = start.AddDate(0, 0, 1)
		if res := w.run(t, st); res != (reminder.Result{}) {
			t.Errorf("the next day: %+v, want nothing sent", res)
		}
		// A week on: Bo's third week overdue, and Gus's first.
		w.now = start.AddDate(0, 0, 7)
		if res := w.run(t, st); res != (reminder.Result{Sent: 2}) {
			t.Errorf("a week later: %+v, want 2 sent", res)
		}
		got := received(t, w.relay)
		if len(got) != 6 || !slices.Contains(got, "gus@example.org: Training overdue: Trafficking basics") ||
			strings.Count(strings.Join(got, "\n"), "bo@example.org: Training overdue") != 2 {
			t.Errorf("after a week:\n%s", strings.Join(got, "\n"))
		}
	})
}

// checkContent: every message has both parts, links only on the public
// address (absolute), the sentence that says how to stop, and nothing
// that tracks or that is not about training.
func checkContent(t *testing.T, msgs []smtptest.Message) {
	t.Helper()
	href := regexp.MustCompile(`(?i)(?:href|src)="([^"]*)"`)
	link := regexp.MustCompile(`https?://[^\s"<>]+`)
	for _, m := range msgs {
		p, err := smtptest.Parse(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		text, html := p.Parts["text/plain"], p.Parts["text/html"]
		if text == "" || html == "" {
			t.Errorf("to %s: parts %v, want text/plain and text/html", m.To, p.Parts)
			continue
		}
		tag := regexp.MustCompile(`<[^>]*>`)
		for _, part := range []string{text, html} {
			flat := strings.Join(strings.Fields(tag.ReplaceAllString(part, "")), " ")
			if !strings.Contains(flat, `To stop them, sign in, open My training`) || !strings.Contains(flat, `choose "No" under "Email me reminders"`) {
				t.Errorf("to %s: no sentence on how to stop reminders:\n%s", m.To, part)
			}
			for _, l := range link.FindAllString(part, -1) {
				if !strings.HasPrefix(l, publicURL+"/training/") || strings.Contains(l, "?") {
					t.Errorf("to %s: link %s is not a plain link on the public address", m.To, l)
				}
			}
			for _, banned := range []string{"referral", "answer", "<img", "<script", "style="} {
				if strings.Contains(strings.ToLower(part), banned) {
					t.Errorf("to %s: the message holds %q", m.To, banned)
				}
			}
		}
		for _, h := range href.FindAllStringSubmatch(html, -1) {
			if !strings.HasPrefix(h[1], publicURL+"/training/") || strings.Contains(h[1], "?") {
				t.Errorf("to %s: HTML links to %q", m.To, h[1])
			}
		}
		if !strings.Contains(text, publicURL+"/training/my/") || !strings.Contains(html, `href="`+publicURL+`/training/my/#reminders"`) {
			t.Errorf("to %s: no link to My training", m.To)
		}
		for _, k := range []string{"Date", "Message-ID", "From", "To", "Subject", "MIME-Version"} {
			if p.Header.Get(k) == "" {
				t.Errorf("to %s: no %s header", m.To, k)
			}
		}
	}
}

// TestRefusedDeliveryIsRetried: a recipient the relay refuses, or a whole
// session it refuses, is not logged as sent: the next run sends it, once.
func TestRefusedDeliveryIsRetried(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, st store.Store, dsn string) {
		w := newWorld(t, st, dsn)
		w.relay.RefuseRecipients(func(to string) error {
			if to == "bo@example.org" {
				return smtptest.ErrMailbox
			}
			return nil
		})
		if res := w.run(t, st); res != (reminder.Result{Sent: 3, Failed: 1}) {
			t.Errorf("with Bo refused: %+v, want 3 sent and 1 failed", res)
		}
		w.relay.RefuseRecipients(nil)
		w.relay.RefuseSessions(1)
		res, err := w.service(st).Run(ctx)
		if err == nil || res != (reminder.Result{Failed: 1}) {
			t.Errorf("with the session refused: %+v %v, want an error and 1 failed", res, err)
		}
		w.now = w.now.Add(time.Hour)
		if res := w.run(t, st); res != (reminder.Result{Sent: 1}) {
			t.Errorf("once the relay accepts: %+v, want 1 sent", res)
		}
		if res := w.run(t, st); res != (reminder.Result{}) {
			t.Errorf("then: %+v, want nothing", res)
		}
		got := received(t, w.relay)
		if len(got) != 4 || strings.Count(strings.Join(got, "\n"), "bo@example.org") != 1 {
			t.Errorf("received:\n%s\nwant Bo's reminder once among 4", strings.Join(got, "\n"))
		}
	})
}

// TestNothingForThoseWhoSaidNo: no reminder reaches a person who said no,
// a disabled account or one without an address, however many runs; one
// who says yes again gets theirs at the next run.
func TestNothingForThoseWhoSaidNo(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, st store.Store, dsn string) {
		w := newWorld(t, st, dsn)
		for day := range 10 {
			w.now = start.AddDate(0, 0, day)
			w.run(t, st)
		}
		for _, m := range w.relay.Messages() {
			for _, to := range m.To {
				if to == "dee@example.org" || to == "eve@example.org" || to == "" {
					t.Errorf("a reminder reached %q", to)
				}
			}
		}
		prefs := reminder.Preferences{Store: st}
		if err := prefs.Choose(ctx, w.users["Dee"].ID, "yes"); err != nil {
			t.Fatal(err)
		}
		if on, _ := prefs.Wanted(ctx, w.users["Dee"].ID); !on {
			t.Error("Dee said yes, but Wanted says no")
		}
		w.run(t, st)
		last := w.relay.Messages()[len(w.relay.Messages())-1]
		if last.To[0] != "dee@example.org" {
			t.Errorf("after saying yes, the last message went to %v", last.To)
		}
		if err := prefs.Choose(ctx, w.users["Dee"].ID, "maybe"); !errors.Is(err, reminder.ErrBadChoice) {
			t.Errorf("a choice of maybe: %v", err)
		}
	})
}

// TestOneRunAtATime: while another run holds the lease nothing is sent;
// a cap leaves the rest for the next run.
func TestOneRunAtATime(t *testing.T) {
	w := newWorld(t, storetest.Open(t, t.TempDir()), "")
	if ok, _ := w.st.TakeReminderLease(ctx, "another", start, start.Add(time.Minute)); !ok {
		t.Fatal("no lease")
	}
	if res, err := w.service(w.st).Run(ctx); !errors.Is(err, reminder.ErrBusy) || res != (reminder.Result{}) {
		t.Errorf("while another run holds the lease: %+v %v, want ErrBusy", res, err)
	}
	w.now = start.Add(2 * time.Minute)
	svc := w.service(w.st)
	svc.Max = 3
	res, err := svc.Run(ctx)
	if err != nil || res != (reminder.Result{Sent: 3, Left: 1}) {
		t.Errorf("with a cap of 3: %+v %v", res, err)
	}
	if res := w.run(t, w.st); res != (reminder.Result{Sent: 1}) {
		t.Errorf("the next run: %+v, want the one left", res)
	}
	if n := len(w.relay.Messages()); n != 4 {
		t.Errorf("%d messages, want 4", n)
	}
}

func ExampleSubject() {
	r := reminder.Reminder{Module: &modules[0], Kind: reminder.DueSoon, Days: 7}
	fmt.Println(reminder.Subject(r))
	// Output: Training due in 7 days: Trafficking basics
}
