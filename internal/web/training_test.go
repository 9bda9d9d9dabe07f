package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"northstar/internal/auth"
	"northstar/internal/quiz"
	"northstar/internal/store"
	"northstar/internal/store/storetest"
	"northstar/internal/web"
	"northstar/internal/web/webtest"
)

const testPassword = "a long enough passphrase"

// staffServer serves the real site with the staff side on st, with one account
// per role.
func staffServer(t *testing.T, st store.Store) *httptest.Server {
	t.Helper()
	ts, _ := startStaffServer(t, func(srv *web.Server) { srv.SetStaff(staffTraining(st)) })
	return ts
}

// staffTraining is the staff side the tests serve: the real quizzes and
// modules on st.
func staffTraining(st store.Store) *web.Staff {
	sessions := auth.NewSessions(st)
	// Every test client signs in from 127.0.0.1.
	sessions.Limits.Address = auth.Rule{Max: 1000, Window: 15 * time.Minute}
	return &web.Staff{Store: st, Sessions: sessions, PublicURL: testPublicURL}
}

// testPublicURL is the public address the test servers are configured with.
const testPublicURL = "https://northstar.example.gov"

// TestQuizChangedMidAttempt: a trainer publishes a quiz without a question
// a learner has open; submitting that attempt, by the API or the form, says
// so with a 409 and a way to start again, never a 500.
func TestQuizChangedMidAttempt(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	var srv *web.Server
	tr := staffTraining(st)
	ts, logs := startStaffServer(t, func(s *web.Server) { srv = s; s.SetStaff(tr) })
	learner := client(t, ts, "learner@example.org")
	other := client(t, ts, "other@example.org")
	q := staffSite.quizzes["referral-basics"]
	viaAPI, _ := startQuiz(t, learner, ts.URL, q.ID)
	viaForm, _ := startQuiz(t, other, ts.URL, q.ID)

	// Republish the quiz without the first question of each attempt.
	gone := map[string]bool{fileID(q, viaAPI.Questions[0]): true, fileID(q, viaForm.Questions[0]): true}
	changed := *q
	changed.Questions = nil
	for _, qu := range q.Questions {
		if !gone[qu.ID] {
			changed.Questions = append(changed.Questions, qu)
		}
	}
	next := map[string]*quiz.Quiz{}
	for id, other := range staffSite.quizzes {
		next[id] = other
	}
	next[q.ID] = &changed
	installRelease(t, srv, staffSite, next)

	status, out := submit(t, learner, ts.URL, q.ID, viaAPI.Attempt, rightAnswers(q, viaAPI.Questions))
	if status != http.StatusConflict || !strings.Contains(fmt.Sprint(out["error"]), "start it again") {
		t.Errorf("API submission after the quiz changed: %d %v", status, out)
	}
	form := url.Values{"attempt": {viaForm.Attempt}}
	for id, opts := range rightAnswers(q, viaForm.Questions) {
		form["q."+id] = opts
	}
	status, page, _ := do(t, other, "POST", ts.URL+"/training/referral-basics/quiz/", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
	if status != http.StatusConflict || !bytes.Contains(page, []byte("This quiz was changed")) || !bytes.Contains(page, []byte(`href="/training/referral-basics/quiz/"`)) {
		t.Errorf("form submission after the quiz changed: %d\n%s", status, page)
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a changed quiz was logged as a server error:\n%s", logs.String())
	}
	// A new attempt works with the new version.
	fresh, _ := startQuiz(t, learner, ts.URL, q.ID)
	if status, out := submit(t, learner, ts.URL, q.ID, fresh.Attempt, rightAnswers(&changed, fresh.Questions)); status != http.StatusOK || out["passed"] != true {
		t.Errorf("a new attempt on the changed quiz: %d %v", status, out)
	}
}

// fileID is the quiz file's id of a question an attempt shows.
func fileID(q *quiz.Quiz, p quiz.Presented) string {
	for _, qu := range q.Questions {
		if qu.Prompt == p.Prompt {
			return qu.ID
		}
	}
	return ""
}

func sqliteStore(t *testing.T) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// seedUsers adds learner@, trainer@ and admin@example.org (and other@, a
// second learner) with testPassword.
func seedUsers(t *testing.T, st store.Store) {
	t.Helper()
	hash, _ := auth.HashPassword(testPassword)
	for _, role := range []string{"learner", "analyst", "trainer", "admin", "other"} {
		r := role
		if role == "other" {
			r = store.RoleLearner
		}
		dept := "Police"
		if role == "analyst" {
			dept = "Health" // not counted in the Police reports
		}
		if _, err := st.CreateUser(context.Background(), store.User{Email: role + "@example.org", Name: role, Department: dept, Role: r, PasswordHash: hash}); err != nil {
			t.Fatal(err)
		}
	}
}

// client signs in as email (unless empty) and returns a client with its cookie.
func client(t *testing.T, ts *httptest.Server, email string) *http.Client {
	t.Helper()
	c := webtest.NewClient(nil)
	if email != "" {
		if err := webtest.SignIn(c, ts.URL, email, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func do(t *testing.T, c *http.Client, method, u string, body io.Reader, ctype string) (int, []byte, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, u, body)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

func TestSignInOut(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts := staffServer(t, st)
	anon := client(t, ts, "")
	status, _, _ := do(t, anon, "POST", ts.URL+"/login", strings.NewReader("email=learner@example.org&password=wrong"), "application/x-www-form-urlencoded")
	if status != http.StatusUnauthorized {
		t.Errorf("wrong password: %d", status)
	}
	resp, err := anon.PostForm(ts.URL+"/login", url.Values{"email": {"Learner@Example.org"}, "password": {testPassword}, "next": {"https://evil.example/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/training/my/" {
		t.Errorf("sign in: %d to %q (an outside next= must not be followed)", resp.StatusCode, loc)
	}
	cookie := resp.Header.Get("Set-Cookie")
	for _, want := range []string{"northstar_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("cookie %q lacks %s", cookie, want)
		}
	}
	status, body, _ := do(t, anon, "GET", ts.URL+"/training/my/", nil, "")
	if status != http.StatusOK || !strings.Contains(string(body), `href="/training/referral-basics/"`) || !strings.Contains(string(body), `class="quick-exit"`) {
		t.Errorf("my training: %d", status)
	}
	if status, _, _ := do(t, anon, "POST", ts.URL+"/logout", nil, ""); status != http.StatusSeeOther {
		t.Errorf("sign out: %d", status)
	}
	if status, _, _ := do(t, anon, "GET", ts.URL+"/api/me/training", nil, ""); status != http.StatusUnauthorized {
		t.Errorf("after sign-out: %d", status)
	}
	// Five wrong passwords lock the account's sign-in for a while, even with the right one.
	for i := 0; i < 5; i++ {
		do(t, anon, "POST", ts.URL+"/login", strings.NewReader("email=trainer@example.org&password=nope"), "application/x-www-form-urlencoded")
	}
	status, _, _ = do(t, anon, "POST", ts.URL+"/login", strings.NewReader("email=trainer@example.org&password="+url.QueryEscape(testPassword)), "application/x-www-form-urlencoded")
	if status != http.StatusTooManyRequests {
		t.Errorf("after 5 failures: %d, want 429", status)
	}
	// A cross-site form post is refused (CSRF).
	req, _ := http.NewRequest("POST", ts.URL+"/login", strings.NewReader("email=learner@example.org&password=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", resp.StatusCode)
	}
}

type started struct {
	Attempt   string           `json:"attempt"`
	Questions []quiz.Presented `json:"questions"`
}

func startQuiz(t *testing.T, c *http.Client, base, id string) (started, []byte) {
	t.Helper()
	status, body, _ := do(t, c, "GET", base+"/api/quizzes/"+id, nil, "")
	if status != http.StatusOK {
		t.Fatalf("start %s: %d %s", id, status, body)
	}
	var s started
	if err := json.Unmarshal(body, &s); err != nil {
		t.Fatal(err)
	}
	return s, body
}

// rightAnswers answers every drawn question correctly, from the quiz file.
func rightAnswers(q *quiz.Quiz, drawn []quiz.Presented) map[string][]string {
	return webtest.RightAnswers(q, drawn)
}

func submit(t *testing.T, c *http.Client, base, quizID, attempt string, answers any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"answers": answers})
	status, body, _ := do(t, c, "POST", base+"/api/quizzes/"+quizID+"/attempts/"+attempt, bytes.NewReader(b), "application/json")
	var out map[string]any
	json.Unmarshal(body, &out)
	return status, out
}

// explanationMark is a piece of qu's explanation that no prompt or option
// of q holds (an explanation may repeat the right option), so finding it
// in a response means the explanation was sent; "" when there is none.
func explanationMark(q *quiz.Quiz, qu quiz.Question) string {
	shown := ""
	for _, o := range q.Questions {
		shown += o.Prompt + "\n"
		for _, opt := range o.Options {
			shown += opt.Text + "\n"
		}
	}
	e := []rune(qu.Explanation)
	for i := 0; i+24 <= len(e); i += 4 {
		// JSON would escape these: a mark must read the same in a response.
		if piece := string(e[i : i+24]); !strings.Contains(shown, piece) && !strings.ContainsAny(piece, `"<>&\`) {
			return piece
		}
	}
	return ""
}

func TestQuizAPI(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts := staffServer(t, st)
	learner := client(t, ts, "learner@example.org")
	q := staffSite.quizzes["referral-basics"]
	s, raw := startQuiz(t, learner, ts.URL, "referral-basics")
	if len(s.Questions) != q.Draw {
		t.Fatalf("drew %d questions, want %d", len(s.Questions), q.Draw)
	}
	// No answer key and no explanation before grading.
	for _, leak := range []string{`"correct"`, `"answer"`, `"explanation"`, "See: "} {
		if bytes.Contains(raw, []byte(leak)) {
			t.Errorf("attempt start leaks %s: %s", leak, raw)
		}
	}
	for _, qu := range q.Questions {
		if mark := explanationMark(q, qu); mark != "" && bytes.Contains(raw, []byte(mark)) {
			t.Errorf("attempt start holds the explanation of %s (%q)", qu.ID, mark)
		}
	}
	status, g := submit(t, learner, ts.URL, "referral-basics", s.Attempt, rightAnswers(q, s.Questions))
	if status != http.StatusOK || g["score"] != float64(100) || g["passed"] != true {
		t.Fatalf("right answers: %d %v", status, g)
	}
	results, _ := g["results"].([]any)
	if len(results) != q.Draw || !strings.Contains(fmt.Sprint(results[0]), "See:") {
		t.Errorf("results %v", results)
	}
	// The same attempt again: the first result stands, nothing new is recorded.
	status, g2 := submit(t, learner, ts.URL, "referral-basics", s.Attempt, map[string][]string{})
	if status != http.StatusOK || g2["score"] != float64(100) {
		t.Errorf("resubmission: %d %v", status, g2)
	}
	u, _ := st.UserByEmail(context.Background(), "learner@example.org")
	if list, _ := st.AttemptsByUser(context.Background(), u.ID); len(list) != 1 {
		t.Errorf("%d attempts recorded, want 1", len(list))
	}
	// Bad input gets a 4xx with a message.
	s2, _ := startQuiz(t, learner, ts.URL, "referral-basics")
	notDrawn := ""
	for _, qu := range q.Questions {
		drawn := false
		for _, p := range s2.Questions {
			drawn = drawn || p.ID == qu.ID
		}
		if !drawn {
			notDrawn = qu.ID
		}
	}
	cases := []struct {
		name   string
		body   string
		want   int
		target string
	}{
		{"undrawn question", fmt.Sprintf(`{"answers":{%q:["a"]}}`, notDrawn), 400, s2.Attempt},
		{"unknown option", fmt.Sprintf(`{"answers":{%q:["zz"]}}`, s2.Questions[0].ID), 400, s2.Attempt},
		{"malformed JSON", `{"answers":`, 400, s2.Attempt},
		{"wrong shape", `{"answers":{"x":"a"}}`, 400, s2.Attempt},
		{"unknown field", `{"answers":{},"score":100}`, 400, s2.Attempt},
		{"huge body", `{"answers":{"x":["` + strings.Repeat("a", 70<<10) + `"]}}`, 413, s2.Attempt},
		{"unknown attempt", `{"answers":{}}`, 404, "NOPE"},
	}
	for _, c := range cases {
		status, body, _ := do(t, learner, "POST", ts.URL+"/api/quizzes/referral-basics/attempts/"+c.target, strings.NewReader(c.body), "application/json")
		if status != c.want || !strings.Contains(string(body), `"error"`) {
			t.Errorf("%s: %d %s, want %d with an error message", c.name, status, body, c.want)
		}
	}
	if status, _, _ := do(t, learner, "GET", ts.URL+"/api/quizzes/no-such-quiz", nil, ""); status != 404 {
		t.Errorf("unknown quiz: %d", status)
	}
	// Another learner cannot see or submit this learner's attempt.
	other := client(t, ts, "other@example.org")
	if status, _ := submit(t, other, ts.URL, "referral-basics", s2.Attempt, map[string][]string{}); status != 404 {
		t.Errorf("someone else's attempt: %d, want 404", status)
	}
	// My training reflects the pass.
	_, body, _ := do(t, learner, "GET", ts.URL+"/api/me/training", nil, "")
	if !strings.Contains(string(body), `"status":"completed"`) || !strings.Contains(string(body), `"best_score":100`) {
		t.Errorf("my training: %s", body)
	}
}

func TestQuizPagesWithoutJS(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts := staffServer(t, st)
	learner := client(t, ts, "learner@example.org")
	status, body, _ := do(t, learner, "GET", ts.URL+"/training/referral-basics/quiz/", nil, "")
	if status != http.StatusOK {
		t.Fatalf("quiz page: %d", status)
	}
	attempt := regexp.MustCompile(`name="attempt" value="([A-Z2-7]+)"`).FindSubmatch(body)
	if attempt == nil {
		t.Fatalf("no attempt in the form: %s", body)
	}
	if bytes.Contains(body, []byte("See: ")) {
		t.Error("the quiz form shows explanations before grading")
	}
	// Answer everything wrong: pick an option that is not correct for each question.
	form := url.Values{"attempt": {string(attempt[1])}}
	for _, m := range regexp.MustCompile(`name="q\.([a-z0-9-]+)" value="([a-z0-9]+)"`).FindAllSubmatch(body, -1) {
		form.Set("q."+string(m[1]), string(m[2]))
	}
	status, body, _ = do(t, learner, "POST", ts.URL+"/training/referral-basics/quiz/", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
	if status != http.StatusOK || !bytes.Contains(body, []byte("Your result:")) || !bytes.Contains(body, []byte("See: ")) {
		t.Errorf("result page: %d", status)
	}
	if status, _, _ := do(t, client(t, ts, ""), "GET", ts.URL+"/training/referral-basics/quiz/", nil, ""); status != http.StatusSeeOther {
		t.Errorf("quiz page without signing in: %d, want a redirect to sign in", status)
	}
}

// TestAnswerKeysNotPublished: no built file carries a quiz's explanations or
// its correct options marked as such.
func TestAnswerKeysNotPublished(t *testing.T) {
	var needles []string
	for _, q := range liveSite.quizzes {
		for _, qu := range q.Questions {
			needles = append(needles, qu.Explanation)
			for _, o := range qu.Options {
				if o.Correct {
					needles = append(needles, "correct: true", o.Text+`","correct`)
				}
			}
		}
	}
	filepath.WalkDir(builtSite, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(path)
		for _, n := range needles {
			if bytes.Contains(b, []byte(n)) {
				t.Errorf("%s holds answer-key text %q", path, n)
			}
		}
		return nil
	})
}

// TestTwoInstancesShareOnePostgres: a session and an attempt made through one
// server are good on another server using the same database.
func TestTwoInstancesShareOnePostgres(t *testing.T) {
	dsn := storetest.PostgresServer(t)
	if dsn == "" {
		t.Skip("NORTHSTAR_TEST_POSTGRES not set")
	}
	db := storetest.NewDatabase(t, dsn)
	openPG := func() store.Store {
		st, err := store.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	stA, stB := openPG(), openPG()
	seedUsers(t, stA)
	a, b := staffServer(t, stA), staffServer(t, stB)
	learner := client(t, a, "learner@example.org")
	// The cookie from A, used against B.
	jar := learner.Jar
	ua, _ := url.Parse(a.URL)
	ub, _ := url.Parse(b.URL)
	jar.SetCookies(ub, jar.Cookies(ua))
	s, _ := startQuiz(t, learner, a.URL, "referral-basics")
	status, g := submit(t, learner, b.URL, "referral-basics", s.Attempt, rightAnswers(staffSite.quizzes["referral-basics"], s.Questions))
	if status != http.StatusOK || g["passed"] != true {
		t.Errorf("attempt started on A, submitted on B: %d %v", status, g)
	}
	do(t, learner, "POST", b.URL+"/logout", nil, "")
	jar.SetCookies(ua, jar.Cookies(ub))
	if status, _, _ := do(t, learner, "GET", a.URL+"/api/me/training", nil, ""); status != http.StatusUnauthorized {
		t.Errorf("signed out on B, still in on A: %d", status)
	}
}

// TestReadyNeedsTheStore: /readyz fails once the database is gone.
func TestReadyNeedsTheStore(t *testing.T) {
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ts := staffServer(t, st)
	if status, _, _ := do(t, client(t, ts, ""), "GET", ts.URL+"/readyz", nil, ""); status != http.StatusOK {
		t.Fatalf("ready with an open store: %d", status)
	}
	st.Close()
	if status, body, _ := do(t, client(t, ts, ""), "GET", ts.URL+"/readyz", nil, ""); status != http.StatusServiceUnavailable {
		t.Errorf("ready with a closed store: %d %s", status, body)
	}
}

// TestSetupLink creates the first admin through the one-time link.
func TestSetupLink(t *testing.T) {
	st := sqliteStore(t)
	hash, _ := auth.HashPassword(testPassword)
	st.CreateUser(context.Background(), store.User{Email: "taken@example.org", Name: "T", Department: "Police", Role: store.RoleLearner, PasswordHash: hash})
	link, err := auth.NewSetupLink(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tr := staffTraining(st)
	tr.Setup = link
	ts, _ := startStaffServer(t, func(srv *web.Server) { srv.SetStaff(tr) })
	c := client(t, ts, "")
	if status, _, _ := do(t, c, "GET", ts.URL+"/setup?token=wrong", nil, ""); status != http.StatusNotFound {
		t.Errorf("wrong token: %d", status)
	}
	if status, _, _ := do(t, c, "GET", ts.URL+"/setup?token="+link.Token(), nil, ""); status != http.StatusOK {
		t.Errorf("right token: %d", status)
	}
	form := func(email, dept, pw string) io.Reader {
		return strings.NewReader(url.Values{"token": {link.Token()}, "email": {email}, "name": {"Ada"}, "department": {dept}, "password": {pw}}.Encode())
	}
	for _, bad := range []io.Reader{form("taken@example.org", "Police", testPassword), form("ada@example.org", "Mars", testPassword), form("ada@example.org", "Police", "short")} {
		if status, _, _ := do(t, c, "POST", ts.URL+"/setup", bad, "application/x-www-form-urlencoded"); status != http.StatusBadRequest {
			t.Errorf("bad setup form: %d, want 400", status)
		}
	}
	status, _, _ := do(t, c, "POST", ts.URL+"/setup", form("ada@example.org", "Police", testPassword), "application/x-www-form-urlencoded")
	if status != http.StatusSeeOther {
		t.Fatalf("setup: %d", status)
	}
	if u, err := st.UserByEmail(context.Background(), "ada@example.org"); err != nil || u.Role != store.RoleAdmin {
		t.Errorf("first admin: %+v %v", u, err)
	}
	if status, _, _ := do(t, c, "GET", ts.URL+"/admin/quizzes/", nil, ""); status != http.StatusOK {
		t.Errorf("the new admin is not signed in: %d", status)
	}
	// The link works once.
	if status, _, _ := do(t, c, "POST", ts.URL+"/setup", form("bob@example.org", "Police", testPassword), "application/x-www-form-urlencoded"); status != http.StatusNotFound {
		t.Errorf("second use of the link: %d", status)
	}
}
