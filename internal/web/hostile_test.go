package web_test

// The hostile-input suite: every case in testdata/hostile/requests.jsonl
// (written from the README by someone who had not read this code) and the
// families below, sent as raw HTTP over loopback. None may get a 5xx or
// panic the server, each gets the answer its line expects with a message a
// person can read, and no password, token or search query reaches a log
// line. Every new route adds its cases to the file.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"northstar/internal/auth"
	"northstar/internal/referral"
	"northstar/internal/store"
	"northstar/internal/web"
	"northstar/internal/web/webtest"
)

type hostileCase struct {
	Name    string            `json:"name"`
	Family  string            `json:"family"`
	As      string            `json:"as"`
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
	Repeat  *struct {
		Prefix, Chunk, Suffix string
		Times                 int
	} `json:"body_repeat"`
	Want          string `json:"want"`
	Status        int    `json:"status"`
	LocationLocal bool   `json:"location_local"`
}

// hostileWorld is a server with accounts, an attempt, a certificate and an
// assignment for the cases to aim at, and what the placeholders stand for.
type hostileWorld struct {
	ts      *httptest.Server
	logs    *syncBuffer
	cookies map[string]string // role → session cookie value
	fill    *strings.Replacer
	secrets []string
}

func newHostileWorld(t *testing.T) *hostileWorld {
	st := sqliteStore(t)
	seedUsers(t, st)
	code := seedCertificate(t, st, "learner@example.org", "referral-basics")
	tr := staffTraining(st)
	link, _ := auth.NewSetupLink(time.Now())
	tr.Setup = link
	ts, logs := startServerWith(t, func(s *web.Server) { s.SetStaff(tr) })
	w := &hostileWorld{ts: ts, logs: logs, cookies: map[string]string{}}
	u, _ := url.Parse(ts.URL)
	for _, role := range []string{"learner", "analyst", "trainer", "admin", "other"} {
		c := client(t, ts, role+"@example.org")
		for _, ck := range c.Jar.Cookies(u) {
			w.cookies[role] = ck.Value
			w.secrets = append(w.secrets, ck.Value)
		}
	}
	// A graded attempt each for the learner and the other learner, made
	// before their open ones (starting reuses an open attempt), and an
	// open attempt at another quiz, which no case can submit.
	graded := map[string]string{}
	for _, who := range []string{"learner", "other"} {
		c := cookieClient(w, who)
		s, _ := startQuiz(t, c, ts.URL, "referral-basics")
		if status, _ := submit(t, c, ts.URL, "referral-basics", s.Attempt, map[string][]string{}); status != http.StatusOK {
			t.Fatalf("grade %s's attempt: %d", who, status)
		}
		graded[who] = s.Attempt
	}
	openElsewhere, _ := startQuiz(t, cookieClient(w, "learner"), ts.URL, "police-response")
	attempt, _ := startQuiz(t, cookieClient(w, "learner"), ts.URL, "referral-basics")
	otherAttempt, _ := startQuiz(t, cookieClient(w, "other"), ts.URL, "referral-basics")
	trainer, _ := st.UserByEmail(context.Background(), "trainer@example.org")
	a, err := st.CreateAssignment(context.Background(), store.Assignment{Module: "referral-basics", Department: "Police", DueAt: time.Now().AddDate(0, 1, 0), AssignedBy: trainer.ID, CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	// A referral each for the learner and the other learner.
	referrals := map[string]string{}
	for _, who := range []string{"learner", "other"} {
		u, _ := st.UserByEmail(context.Background(), who+"@example.org")
		id := strings.ToUpper(who) + "REFERRAL"
		if err := st.CreateReferral(context.Background(), store.Referral{ID: id, RecordedBy: u.ID, Department: u.Department,
			OccurredOn: time.Now().Format("2006-01-02"), RecordedAt: time.Now().UTC(), Source: "inspection", Suspected: "labor",
			AgeGroup: "25-plus", ChildProtection: "n/a", Language: "en", Interpreter: "qualified",
			Services: []string{"national-human-trafficking-hotline"}}); err != nil {
			t.Fatal(err)
		}
		referrals[who] = id
	}
	ids := map[string]string{}
	for _, who := range []string{"learner", "admin", "other"} {
		u, _ := st.UserByEmail(context.Background(), who+"@example.org")
		ids[who] = strconv.FormatInt(u.ID, 10)
	}
	today := referral.Today(time.Now())
	w.fill = strings.NewReplacer("{learner_id}", ids["learner"], "{admin_id}", ids["admin"], "{other_id}", ids["other"],
		"{recent_day}", today.AddDate(0, 0, -2).Format("2006-01-02"),
		"{future_day}", today.AddDate(0, 1, 0).Format("2006-01-02"), "{referral}", referrals["learner"], "{other_referral}", referrals["other"], "{code}", code, "{attempt}", attempt.Attempt, "{question}", attempt.Questions[0].ID,
		"{option}", attempt.Questions[0].Options[0].ID, "{other_attempt}", otherAttempt.Attempt, "{setup_token}", link.Token(),
		"{assignment}", strconv.FormatInt(a.ID, 10), "{module}", "referral-basics",
		"{graded_attempt}", graded["learner"], "{other_graded_attempt}", graded["other"], "{open_attempt}", openElsewhere.Attempt,
		"{seeded_attempt}", "seed-"+code)
	w.secrets = append(w.secrets, testPassword, link.Token())
	return w
}

func cookieClient(w *hostileWorld, role string) *http.Client {
	c := webtest.NewClient(nil)
	u, _ := url.Parse(w.ts.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "northstar_session", Value: w.cookies[role], Path: "/"}})
	return c
}

// raw sends one request as written, whatever its path holds, and reads the
// answer.
func (w *hostileWorld) raw(t *testing.T, c hostileCase) (int, http.Header, []byte) {
	t.Helper()
	body := w.fill.Replace(c.Body)
	if c.Repeat != nil {
		body = c.Repeat.Prefix + strings.Repeat(c.Repeat.Chunk, c.Repeat.Times) + c.Repeat.Suffix
	}
	host := strings.TrimPrefix(w.ts.URL, "http://")
	conn, err := net.DialTimeout("tcp", host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	var req bytes.Buffer
	fmt.Fprintf(&req, "%s %s HTTP/1.1\r\n", c.Method, w.fill.Replace(c.Path))
	hdr := map[string]string{"Host": host, "Connection": "close"}
	if role := c.As; role != "" && role != "anonymous" {
		hdr["Cookie"] = "northstar_session=" + w.cookies[role]
	}
	for k, v := range c.Headers {
		hdr[http.CanonicalHeaderKey(k)] = w.fill.Replace(v)
	}
	if body != "" || c.Method == "POST" || c.Method == "PUT" || c.Method == "PATCH" {
		hdr["Content-Length"] = strconv.Itoa(len(body))
	}
	for k, v := range hdr {
		fmt.Fprintf(&req, "%s: %s\r\n", k, v)
	}
	req.WriteString("\r\n")
	req.WriteString(body)
	if _, err := conn.Write(req.Bytes()); err != nil {
		// The server may answer and close before taking a huge body.
		t.Logf("%s: write: %v", c.Name, err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	for err == nil && resp.StatusCode < 200 { // 100 Continue: the answer follows
		resp, err = http.ReadResponse(br, nil)
	}
	if err != nil {
		t.Fatalf("%s: no answer: %v", c.Name, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, resp.Header, b
}

func readHostileCases(t *testing.T) []hostileCase {
	f, err := os.ReadFile("testdata/hostile/requests.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var out []hostileCase
	for i, line := range strings.Split(strings.TrimSpace(string(f)), "\n") {
		var c hostileCase
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("requests.jsonl:%d: %v", i+1, err)
		}
		out = append(out, c)
	}
	return out
}

func TestHostileRequests(t *testing.T) {
	w := newHostileWorld(t)
	cases := readHostileCases(t)
	if len(cases) < 300 {
		t.Fatalf("%d hostile cases, want at least 300", len(cases))
	}
	families := map[string]int{}
	for _, c := range cases {
		families[c.Family]++
		status, h, body := w.raw(t, c)
		switch {
		case status >= 500:
			t.Errorf("%s (%s %.80s): %d %.200s", c.Name, c.Method, c.Path, status, body)
			continue
		case c.Status != 0 && status != c.Status:
			t.Errorf("%s (%s %.80s): %d, want %d (%.120s)", c.Name, c.Method, c.Path, status, c.Status, body)
		case !wantClass(c.Want, status):
			t.Errorf("%s (%s %.80s): %d, want %s (%.120s)", c.Name, c.Method, c.Path, status, c.Want, body)
		}
		if status >= 400 && c.Method != http.MethodHead && len(bytes.TrimSpace(body)) == 0 {
			t.Errorf("%s: %d without a message", c.Name, status)
		}
		if status >= 400 && strings.HasPrefix(c.Path, "/api/") && !bytes.Contains(body, []byte(`"error"`)) {
			t.Errorf("%s: %d under /api/ without a JSON error: %.100s", c.Name, status, body)
		}
		if loc := h.Get("Location"); loc != "" && !localLocation(loc) {
			t.Errorf("%s: redirect off the site to %q", c.Name, loc)
		}
	}
	t.Logf("%d cases: %v", len(cases), families)
	checkLogs(t, w)
}

// wantClass matches a status against "4xx", "2xx|3xx", "not5xx" and so on.
func wantClass(want string, status int) bool {
	if want == "" || want == "not5xx" {
		return status < 500
	}
	for _, class := range strings.Split(want, "|") {
		if len(class) == 3 && class[1:] == "xx" && int(class[0]-'0') == status/100 {
			return true
		}
	}
	return false
}

// localLocation: a redirect target on this site (a path, or this host).
func localLocation(loc string) bool {
	u, err := url.Parse(loc)
	return err == nil && u.Scheme == "" && u.Host == "" && strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//") && !strings.ContainsAny(loc, "\\\t\r\n ")
}

// checkLogs: no canary, password, token or session reached a log line, and
// nothing panicked.
func checkLogs(t *testing.T, w *hostileWorld) {
	t.Helper()
	logs := w.logs.String()
	for _, secret := range append([]string{"CANARYPW", "canaryq", "CANARYTOK", "CANARYREF"}, w.secrets...) {
		if strings.Contains(strings.ToLower(logs), strings.ToLower(secret)) {
			i := strings.Index(strings.ToLower(logs), strings.ToLower(secret))
			t.Errorf("a log line holds %q: …%s…", secret, logs[max(0, i-200):min(len(logs), i+100)])
		}
	}
	if strings.Contains(logs, "panic") {
		t.Errorf("the server panicked:\n%.2000s", logs)
	}
}

// TestHostileFamilies: what one line of the file cannot say: many at once,
// replays, every size.
func TestHostileFamilies(t *testing.T) {
	w := newHostileWorld(t)
	learner := cookieClient(w, "learner")
	s, _ := startQuiz(t, learner, w.ts.URL, "referral-basics")
	answers := rightAnswers(liveSite.quizzes["referral-basics"], s.Questions)

	// Twenty submissions of one attempt at once: one grade, the same for all.
	var wg sync.WaitGroup
	codes := make(chan string, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, g := submit(t, learner, w.ts.URL, "referral-basics", s.Attempt, answers)
			if status != 200 || g["score"] != float64(100) {
				t.Errorf("concurrent replay: %d %v", status, g["score"])
			}
			codes <- fmt.Sprint(g["certificate"])
		}()
	}
	wg.Wait()
	close(codes)
	first := ""
	for c := range codes {
		if first == "" {
			first = c
		}
		if c != first {
			t.Errorf("concurrent replays issued certificates %s and %s", first, c)
		}
	}

	// Bodies of every size up to past the cap, and paths and queries too.
	for _, n := range []int{0, 1, 1 << 10, 16 << 10, 64 << 10, 65 << 10, 1 << 20, 4 << 20} {
		for _, c := range []hostileCase{
			{Name: fmt.Sprintf("attempt body %d", n), As: "learner", Method: "POST", Path: "/api/quizzes/referral-basics/attempts/" + s.Attempt,
				Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"answers":{"` + strings.Repeat("q", n) + `":[]}}`},
			{Name: fmt.Sprintf("login body %d", n), Method: "POST", Path: "/login", Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
				Body: "email=x%40example.org&password=CANARYPW" + strings.Repeat("p", n)},
			{Name: fmt.Sprintf("search query %d", n), Method: "GET", Path: "/api/search?q=canaryq" + strings.Repeat("a", min(n, 60<<10))},
			{Name: fmt.Sprintf("page path %d", n), Method: "GET", Path: "/get-help/" + strings.Repeat("a", min(n, 60<<10))},
		} {
			status, _, body := w.raw(t, c)
			if status >= 500 {
				t.Errorf("%s: %d %.100s", c.Name, status, body)
			}
		}
	}
	// Headers past the server's limit are refused by net/http itself.
	status, _, _ := w.raw(t, hostileCase{Name: "huge cookie", Method: "GET", Path: "/training/my/", Headers: map[string]string{"Cookie": "northstar_session=CANARYTOK" + strings.Repeat("x", 2<<20)}})
	if status < 400 || status >= 500 {
		t.Errorf("a 2 MB cookie: %d", status)
	}
	checkLogs(t, w)
}
