package web_test

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"northstar/internal/config"
	"northstar/internal/web"
)

// TestLogFormats: in text and in JSON, every line a request logs carries
// its X-Request-ID, an error line included, and no line holds a query
// string, a password, a session token or what was typed into a path.
func TestLogFormats(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			st := sqliteStore(t)
			seedUsers(t, st)
			logs := &syncBuffer{}
			srv := web.New(config.Config{LogLevel: "info", LogFormat: format}.Logger(logs))
			srv.SetStaff(staffTraining(st))
			installRelease(t, srv, staffSite, staffSite.quizzes)
			ts := httptest.NewServer(srv.Handler())
			t.Cleanup(func() { ts.Close(); srv.Close() })

			learner := client(t, ts, "learner@example.org")
			ids := map[string]string{}
			get := func(name, path string) {
				resp, err := learner.Get(ts.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				ids[name] = resp.Header.Get("X-Request-ID")
			}
			get("search", "/search/?q=CANARYQUERY+my+boss+keeps+my+passport")
			get("referral", "/referrals/"+url.PathEscape("Jane CANARYPATH Doe"))
			anon := client(t, ts, "")
			anon.PostForm(ts.URL+"/login", url.Values{"email": {"learner@example.org"}, "password": {"CANARYPASSWORD"}})
			cookie := ""
			for _, c := range learner.Jar.Cookies(mustURL(t, ts.URL)) {
				cookie = c.Value
			}
			// A failure on our side: the store goes away under a signed-in request.
			st.Close()
			get("error", "/training/my/")

			lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
			byID := map[string][]string{}
			for _, line := range lines {
				var id string
				if format == "json" {
					var rec map[string]any
					if err := json.Unmarshal([]byte(line), &rec); err != nil {
						t.Fatalf("not one JSON object: %s", line)
					}
					id, _ = rec["request_id"].(string)
					if rec["msg"] == "request" && id == "" {
						t.Errorf("a request line without its id: %s", line)
					}
				} else {
					if !strings.HasPrefix(line, "time=") || !strings.Contains(line, " level=") {
						t.Fatalf("not a text line: %s", line)
					}
					if _, rest, ok := strings.Cut(line, "request_id="); ok {
						id, _, _ = strings.Cut(rest, " ")
					} else if strings.Contains(line, "msg=request ") {
						t.Errorf("a request line without its id: %s", line)
					}
				}
				if id != "" {
					byID[id] = append(byID[id], line)
				}
				for _, secret := range []string{"CANARYQUERY", "CANARYPATH", "CANARYPASSWORD", "passport", "?q=", cookie} {
					if secret != "" && strings.Contains(line, secret) {
						t.Errorf("a line holds %q: %s", secret, line)
					}
				}
			}
			for name, id := range ids {
				if id == "" || len(byID[id]) == 0 {
					t.Errorf("%s: no line carries its X-Request-ID %q", name, id)
				}
			}
			if got := byID[ids["error"]]; len(got) < 2 || !strings.Contains(strings.Join(got, "\n"), "ERROR") {
				t.Errorf("the failed request's lines %q: want its error and its request line, both with its id", got)
			}
		})
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
