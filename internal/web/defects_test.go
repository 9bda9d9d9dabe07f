package web_test

// One test per defect the hostile sweep of issue 12 found, through real
// HTTP: each failed before its fix.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"northstar/internal/auth"
	"northstar/internal/quiz"
	"northstar/internal/store"
	"northstar/internal/web"
)

func formPost(t *testing.T, c *http.Client, u string, v url.Values) (int, []byte, http.Header) {
	t.Helper()
	return do(t, c, "POST", u, strings.NewReader(v.Encode()), "application/x-www-form-urlencoded")
}

// Defect 1: forty wrong passwords at once for one account are not all
// checked: five are (401), the rest get a quick 429 with Retry-After.
func TestSignInFloodIsCountedBeforeHashing(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts := staffServer(t, st)
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	retry := true
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, _, h := formPost(t, client(t, ts, ""), ts.URL+"/login", url.Values{"email": {"learner@example.org"}, "password": {"wrong-CANARYPW"}})
			mu.Lock()
			statuses[status]++
			if status == http.StatusTooManyRequests && h.Get("Retry-After") == "" {
				retry = false
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[401] != 5 || statuses[429] != 35 || !retry {
		t.Errorf("40 wrong passwords at once: %v (Retry-After on every 429: %v), want 5×401 and 35×429", statuses, retry)
	}
	// The current-password check is limited the same way.
	trainer := client(t, ts, "trainer@example.org")
	for i := 0; i < 5; i++ {
		formPost(t, trainer, ts.URL+"/account/password", url.Values{"current": {"wrong-CANARYPW"}, "new": {"a brand new passphrase"}})
	}
	if status, body, h := formPost(t, trainer, ts.URL+"/account/password", url.Values{"current": {testPassword}, "new": {"a brand new passphrase"}}); status != http.StatusTooManyRequests || h.Get("Retry-After") == "" || !bytes.Contains(body, []byte("Too many tries")) {
		t.Errorf("sixth current-password check: %d", status)
	}
}

// Defect 1, the setup form: tried from one address, limited too.
func TestSetupIsLimited(t *testing.T) {
	st := sqliteStore(t)
	link, _ := auth.NewSetupLink(time.Now())
	tr := staffTraining(st)
	tr.Setup = link
	ts, _ := startStaffServer(t, func(s *web.Server) { s.SetStaff(tr) })
	c := client(t, ts, "")
	got := map[int]int{}
	for i := 0; i < 12; i++ {
		status, _, _ := formPost(t, c, ts.URL+"/setup", url.Values{"token": {"guess"}})
		got[status]++
	}
	if got[404] != auth.DefaultLimits.Setup.Max || got[429] != 12-auth.DefaultLimits.Setup.Max {
		t.Errorf("12 setup tries: %v", got)
	}
}

// Defect 2: nothing shown before grading correlates with the key. Over many
// attempts of every quiz, the strategies that passed 5 of 7 quizzes (the
// smallest id, the first option, "True") pass none, and no option or
// question id repeats across attempts.
func TestShownIDsHideTheKey(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts := staffServer(t, st)
	learner := client(t, ts, "learner@example.org")
	seen := map[string]bool{}
	right, answered := map[string]int{}, map[string]int{}
	for id, q := range staffSite.quizzes {
		for i := 0; i < 12; i++ {
			for _, strategy := range []string{"smallest id", "first option", "true"} {
				s, raw := startQuiz(t, learner, ts.URL, id)
				for _, file := range fileIDsOf(q) {
					if bytes.Contains(raw, []byte(`"`+file+`"`)) {
						t.Fatalf("%s: the attempt shows the file's id %q", id, file)
					}
				}
				answers := map[string][]string{}
				for _, p := range s.Questions {
					if seen[p.ID] {
						t.Errorf("question id %s shown in two attempts", p.ID)
					}
					seen[p.ID] = true
					pick := p.Options[0]
					for _, o := range p.Options {
						if strategy == "smallest id" && o.ID < pick.ID || strategy == "true" && o.Text == "True" {
							pick = o
						}
					}
					answers[p.ID] = []string{pick.ID}
				}
				_, g := submit(t, learner, ts.URL, id, s.Attempt, answers)
				results, _ := g["results"].([]any)
				for _, r := range results {
					answered[strategy]++
					if r.(map[string]any)["correct"] == true {
						right[strategy]++
					}
				}
			}
		}
	}
	// Chance is about 2 in 5 (three or four options, or true/false); the
	// smallest id was right in 89 of 89 choice questions before.
	for strategy, n := range answered {
		if share := float64(right[strategy]) / float64(n); share > 0.55 {
			t.Errorf("always picking the %s is right in %.0f%% of %d answers", strategy, 100*share, n)
		}
	}
}

func fileIDsOf(q *quiz.Quiz) []string {
	var out []string
	for _, qu := range q.Questions {
		out = append(out, qu.ID)
	}
	return out
}

// Defect 3: a due date of 9999-12-31 is a 400 that says why, and a bad row
// already in the database (written before the bound) breaks no page.
func TestFarDueDates(t *testing.T) {
	dir := t.TempDir()
	logs := &syncBuffer{}
	st, err := store.Open(context.Background(), dir, store.WithLog(slog.New(slog.NewTextHandler(logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	seedUsers(t, st)
	ts, _ := startStaffServer(t, func(s *web.Server) { s.SetStaff(staffTraining(st)) })
	trainer := client(t, ts, "trainer@example.org")
	for _, due := range []string{"9999-12-31", "0001-01-01", "2026-02-30", "31/12/2027"} {
		status, body, _ := formPost(t, trainer, ts.URL+"/admin/assignments/", url.Values{"module": {"referral-basics"}, "department": {"Police"}, "due": {due}})
		if status != http.StatusBadRequest || !bytes.Contains(body, []byte("Due date:")) {
			t.Errorf("due %s: %d, want 400 saying why", due, status)
		}
	}
	db, err := sql.Open("sqlite", store.SQLiteDSN(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO assignments (module, department, due_at, assigned_by, created_at) VALUES ('referral-basics', 'Police', '10000-01-01 05:59:59+00:00', 1, CURRENT_TIMESTAMP)`); err != nil {
		t.Fatal(err)
	}
	learner := client(t, ts, "learner@example.org")
	for _, tc := range []struct {
		c    *http.Client
		path string
	}{{trainer, "/admin/assignments/"}, {trainer, "/admin/reports/"}, {trainer, "/admin/reports/overdue"}, {learner, "/training/my/"}, {learner, "/api/me/training"}} {
		if status, _, _ := do(t, tc.c, "GET", ts.URL+tc.path, nil, ""); status != http.StatusOK {
			t.Errorf("%s with one unreadable assignment: %d", tc.path, status)
		}
	}
	if !strings.Contains(logs.String(), "skip a row that cannot be read") {
		t.Error("the unreadable row was not logged")
	}
}

// Defect 4: next= cannot send a signed-in person to another site.
func TestSignInNextStaysOnSite(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts := staffServer(t, st)
	for _, next := range []string{"/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/", "/\n/evil.example",
		"javascript:alert(1)", "/%09/evil.example", " /x", "/\u00a0/evil.example", "\\\\evil.example", "/" + strings.Repeat("a", 3000)} {
		c := client(t, ts, "")
		_, page, _ := do(t, c, "GET", ts.URL+"/login?next="+url.QueryEscape(next), nil, "")
		if bytes.Contains(page, []byte("evil.example")) {
			t.Errorf("the sign-in form carries next=%q", next)
		}
		status, _, h := formPost(t, c, ts.URL+"/login", url.Values{"email": {"learner@example.org"}, "password": {testPassword}, "next": {next}})
		if status != http.StatusSeeOther || h.Get("Location") != "/training/my/" {
			t.Errorf("next=%q: %d to %q, want /training/my/", next, status, h.Get("Location"))
		}
	}
	c := client(t, ts, "")
	if _, _, h := formPost(t, c, ts.URL+"/login", url.Values{"email": {"learner@example.org"}, "password": {testPassword}, "next": {"/admin/reports/?x=1"}}); h.Get("Location") != "/admin/reports/?x=1" {
		t.Errorf("a same-site next: %q", h.Get("Location"))
	}
}

// Defect 5: a certificate's link comes from the configured public URL,
// never the Host header; an over-long Host is a 400.
func TestCertificateLinkIgnoresHost(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	code := seedCertificate(t, st, "learner@example.org", "referral-basics")
	ts := staffServer(t, st)
	req, _ := http.NewRequest("GET", ts.URL+"/certificates/"+code, nil)
	req.Host = "evil.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	page.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || bytes.Contains(page.Bytes(), []byte("evil.example")) || !bytes.Contains(page.Bytes(), []byte(testPublicURL+"/certificates/"+code)) {
		t.Errorf("certificate page with Host evil.example: %d, want the link on %s", resp.StatusCode, testPublicURL)
	}
	req.Host = strings.Repeat("h", 2000) + ".example"
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a 2,000-character Host: %d, want 400", resp.StatusCode)
	}
}

// Defect 6: paths the file system would fail on are 404s, and the log keeps
// a short piece of the path.
func TestPathsFileSystemsRefuse(t *testing.T) {
	ts, logs := startServer(t)
	for _, p := range []string{"/get-help/%00", "/" + strings.Repeat("a", 300) + "/", "/" + strings.Repeat("abcdefgh/", 600), "/get-help/%01x", "/%ff%fe/"} {
		resp, _ := get(t, ts, "GET", p, nil)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%.40s…: %d, want 404", p, resp.StatusCode)
		}
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if len(line) > 600 {
			t.Errorf("a log line of %d bytes: %.100s…", len(line), line)
		}
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a refused path was logged as an error:\n%.500s", logs.String())
	}
}

// Defect 7: a name the PDF cannot draw gets the 422 and the printable page;
// a name over 100 characters cannot be given to an account.
func TestPDFNameWithEmoji(t *testing.T) {
	st := sqliteStore(t)
	hash, _ := auth.HashPassword(testPassword)
	st.CreateUser(context.Background(), store.User{Email: "zoe@example.org", Name: "Zoë 😀 Example", Department: "Police", Role: store.RoleLearner, PasswordHash: hash})
	code := seedCertificate(t, st, "zoe@example.org", "referral-basics")
	ts := staffServer(t, st)
	status, body, _ := do(t, client(t, ts, "zoe@example.org"), "GET", ts.URL+"/certificates/"+code+".pdf", nil, "")
	if status != http.StatusUnprocessableEntity || !bytes.Contains(body, []byte("/certificates/"+code)) {
		t.Errorf("PDF for Zoë 😀 Example: %d %s, want 422 pointing to the printable page", status, body)
	}
}

// Defect 8: one JSON value, nothing after it; unknown fields are named.
func TestStrictJSON(t *testing.T) {
	ts, learner, s := learnerAttempt(t)
	target := ts.URL + "/api/quizzes/referral-basics/attempts/" + s.Attempt
	for _, tc := range []struct{ body, ctype, want string }{
		{`{"answers":{}} xyz`, "application/json", "nothing after it"},
		{`{"answers":{}}{"answers":{}}`, "application/json", "nothing after it"},
		{`{"answers":{},"score":100}`, "application/json", `Unknown field "score"`},
		{`{"answers":{}}`, "text/plain", "application/json"},
		{``, "application/json", "empty"},
	} {
		status, body, _ := do(t, learner, "POST", target, strings.NewReader(tc.body), tc.ctype)
		var out map[string]string
		json.Unmarshal(body, &out)
		if status/100 != 4 || !strings.Contains(out["error"], tc.want) {
			t.Errorf("%q as %s: %d %s, want a 4xx saying %q", tc.body, tc.ctype, status, body, tc.want)
		}
	}
	// Nothing was graded.
	if status, g := submit(t, learner, ts.URL, "referral-basics", s.Attempt, rightAnswers(staffSite.quizzes["referral-basics"], s.Questions)); status != 200 || g["score"] != float64(100) {
		t.Errorf("the attempt after the refused bodies: %d %v", status, g)
	}
}

// Defect 9: reloading a quiz shows the same attempt, and stores one row;
// /setup refuses an email users add refuses.
func TestReloadKeepsOneAttempt(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts := staffServer(t, st)
	learner := client(t, ts, "learner@example.org")
	a, _ := startQuiz(t, learner, ts.URL, "referral-basics")
	for i := 0; i < 5; i++ {
		if b, _ := startQuiz(t, learner, ts.URL, "referral-basics"); b.Attempt != a.Attempt {
			t.Fatalf("reload %d started a new attempt", i+1)
		}
		do(t, learner, "GET", ts.URL+"/training/referral-basics/quiz/", nil, "")
	}
	u, _ := st.UserByEmail(context.Background(), "learner@example.org")
	if list, _ := st.AttemptsByUser(context.Background(), u.ID); len(list) != 1 {
		t.Errorf("%d attempts stored after reloads, want 1", len(list))
	}
}

func TestSetupUsesAccountRules(t *testing.T) {
	st := sqliteStore(t)
	link, _ := auth.NewSetupLink(time.Now())
	tr := staffTraining(st)
	tr.Setup = link
	ts, _ := startStaffServer(t, func(s *web.Server) { s.SetStaff(tr) })
	c := client(t, ts, "")
	for _, tc := range []struct{ email, name string }{
		{"a b@example.org", "Ada"}, {"<ada@example.org>", "Ada"}, {"ada@", "Ada"}, {"ada@example.org", strings.Repeat("n", 101)}, {"ada@example.org", "Ada\x07"},
	} {
		status, body, _ := formPost(t, c, ts.URL+"/setup", url.Values{"token": {link.Token()}, "email": {tc.email}, "name": {tc.name}, "department": {"Police"}, "password": {testPassword}})
		if status != http.StatusBadRequest {
			t.Errorf("setup with %q, %.20q: %d %.100s", tc.email, tc.name, status, body)
		}
	}
	if n, _ := st.CountAdmins(context.Background()); n != 0 {
		t.Errorf("%d admins made from refused forms", n)
	}
}

// learnerAttempt is a staff server with the test accounts and the learner's
// open attempt at referral-basics.
func learnerAttempt(t *testing.T) (*httptest.Server, *http.Client, started) {
	t.Helper()
	st := sqliteStore(t)
	seedUsers(t, st)
	ts := staffServer(t, st)
	learner := client(t, ts, "learner@example.org")
	s, _ := startQuiz(t, learner, ts.URL, "referral-basics")
	return ts, learner, s
}
