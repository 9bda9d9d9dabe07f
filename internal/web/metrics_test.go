package web_test

import (
	"bufio"
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"northstar/internal/metrics"
	"northstar/internal/store"
	"northstar/internal/web"
)

// TestMetricsScrape serves metrics on a listener of their own, sends
// requests a resident and staff would (and an attacker), scrapes over
// HTTP, and checks the names and labels: route patterns and fixed words
// only, never a path, a query or anything typed.
func TestMetricsScrape(t *testing.T) {
	m := metrics.New()
	dir := t.TempDir()
	st, err := store.Open(t.Context(), dir, store.WithCommitObserver(m.CommitBatch))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	seedUsers(t, st)
	ts, _ := startServerWith(t, func(s *web.Server) { s.SetMetrics(m); s.SetStaff(staffTraining(st)) })
	scrape := httptest.NewServer(m.Handler())
	t.Cleanup(scrape.Close)

	learner := client(t, ts, "learner@example.org")
	for _, path := range []string{"/search/?q=CANARYQUERY+i+want+to+end+my+life", "/search/?q=CANARYQUERY+boss+keeps+my+passport",
		"/search/?q=zzqxjv+CANARYQUERY", "/get-help/", "/no/such/CANARYPAGE", "/referrals/CANARYPATH", "/admin/referrals/"} {
		resp, err := learner.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	req, _ := http.NewRequest("BREW", ts.URL+"/get-help/", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	s, _ := startQuiz(t, learner, ts.URL, "referral-basics")
	submit(t, learner, ts.URL, "referral-basics", s.Attempt, rightAnswers(liveSite.quizzes["referral-basics"], s.Questions))
	anon := client(t, ts, "")
	for i := 0; i < 7; i++ {
		anon.PostForm(ts.URL+"/login", url.Values{"email": {"other@example.org"}, "password": {"CANARYPASSWORD"}})
	}
	if resp, err := anon.Get(ts.URL + "/metrics"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("the public port answers /metrics: %v %v", resp.StatusCode, err)
	}

	resp, err := http.Get(scrape.URL)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	resp.Body.Close()
	text := body.String()
	samples := map[string]float64{}
	line := regexp.MustCompile(`^([a-z_:][a-z0-9_:]*)(\{.*\})? (\S+)$`)
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, "#") || l == "" {
			continue
		}
		mm := line.FindStringSubmatch(l)
		if mm == nil {
			t.Errorf("not a sample line: %s", l)
			continue
		}
		if v, err := strconv.ParseFloat(mm[3], 64); err == nil {
			samples[mm[1]+mm[2]] += v
		}
	}
	for _, secret := range []string{"CANARY", "passport", "end my life", "/no/such", "BREW", "q="} {
		if strings.Contains(text, secret) {
			t.Errorf("the metrics hold %q", secret)
		}
	}
	want := map[string]func(float64) bool{
		`northstar_searches_total{outcome="crisis"}`:                                         func(v float64) bool { return v >= 1 },
		`northstar_searches_total{outcome="zero"}`:                                           func(v float64) bool { return v >= 0 },
		`northstar_attempts_graded_total`:                                                    func(v float64) bool { return v == 1 },
		`northstar_sign_in_throttled_total`:                                                  func(v float64) bool { return v >= 1 },
		`northstar_http_requests_total{method="GET",route="/search/",status="200"}`:          func(v float64) bool { return v == 3 },
		`northstar_http_requests_total{method="GET",route="/referrals/{id}",status="404"}`:   func(v float64) bool { return v == 1 },
		`northstar_http_requests_total{method="GET",route="/admin/referrals/",status="403"}`: func(v float64) bool { return v == 1 },
		`northstar_http_requests_total{method="GET",route="page",status="404"}`:              func(v float64) bool { return v >= 1 },
		`northstar_http_requests_total{method="other",route="unmatched",status="405"}`:       func(v float64) bool { return v == 1 },
		`northstar_store_commit_batch_size_count`:                                            func(v float64) bool { return v >= 1 },
		`northstar_release_built_timestamp_seconds`:                                          func(v float64) bool { return v > 1.7e9 },
		`northstar_release_age_seconds`:                                                      func(v float64) bool { return v >= 0 && v < 3600 },
		`go_goroutines`:                                                                      func(v float64) bool { return v > 0 },
	}
	for name, ok := range want {
		v, found := samples[name]
		if !found || !ok(v) {
			t.Errorf("%s = %v (found %v)", name, v, found)
		}
	}
	if !strings.Contains(text, `northstar_http_request_duration_seconds_bucket{route="/search/",le="0.1"}`) {
		t.Error("no latency histogram by route")
	}
}
