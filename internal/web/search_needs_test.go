package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestSearchCrisisFirst: a search that says a crisis opens with the right
// line, with call and text links, in the reader's language, on the page and
// in the API; the services of the matched need lead the results.
func TestSearchCrisisFirst(t *testing.T) {
	ts, _ := startServer(t)
	cases := []struct {
		path, line, call string
		inBody           []string
	}{
		{"/search/?q=i+want+to+end+my+life", "/resources/988-lifeline/", `href="tel:988"`, []string{`class="crisis-box"`, "Call 988", `href="sms:988"`, `href="/help/thinking-about-suicide/"`}},
		{"/es/search/?q=me+violaron+anoche", "/es/resources/sexual-violence-center/", `href="tel:&#43;16128715111"`, []string{`class="crisis-box"`, "Llamar 612-871-5111", `href="/es/help/just-sexually-assaulted/"`}},
		{"/search/?q=me+violaron+anoche", "/resources/sexual-violence-center/", `href="tel:`, []string{"Call 612-871-5111"}},
	}
	for _, c := range cases {
		resp, body := get(t, ts, "GET", c.path, nil)
		page := string(body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", c.path, resp.StatusCode)
		}
		box := strings.Index(page, `class="crisis-box"`)
		results := strings.Index(page, `<ol class="results">`)
		if box < 0 || results < 0 || box > results {
			t.Errorf("%s: no crisis box above the results (box at %d, results at %d)", c.path, box, results)
			continue
		}
		if !strings.Contains(page[box:results], c.call) {
			t.Errorf("%s: crisis box lacks %s:\n%s", c.path, c.call, page[box:results])
		}
		for _, want := range c.inBody {
			if !strings.Contains(page, want) {
				t.Errorf("%s: page lacks %q", c.path, want)
			}
		}
		first := regexp.MustCompile(`<a class="result-title" href="([^"]+)"`).FindStringSubmatch(page[results:])
		if first == nil || first[1] != c.line {
			t.Errorf("%s: first result %v, want %s", c.path, first, c.line)
		}
	}

	resp, err := http.Get(ts.URL + "/api/search?" + url.Values{"q": {"i want to kill myself"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		Crisis *struct {
			Need string `json:"need"`
			Line struct {
				URL, Phone, Text string
			} `json:"line"`
		} `json:"crisis"`
		Needs []struct{ Slug, URL string }
		Hits  []struct{ URL string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	if r.Crisis == nil || r.Crisis.Line.Phone != "988" || r.Crisis.Line.Text != "988" || r.Crisis.Need != "thinking-about-suicide" {
		t.Errorf("api crisis = %+v", r.Crisis)
	}
	if len(r.Hits) == 0 || r.Hits[0].URL != "/resources/988-lifeline/" {
		t.Errorf("api first hit %+v", r.Hits)
	}
}

// TestSearchNeverEmpty: words nothing matches still give the essential lines
// and the way to find help by situation; a plain need search has no crisis
// box but links its situation.
func TestSearchNeverEmpty(t *testing.T) {
	ts, _ := startServer(t)
	_, body := get(t, ts, "GET", "/search/?q=qwxzv+plimf", nil)
	page := string(body)
	for _, want := range []string{"/resources/emergency-911/", "/resources/national-human-trafficking-hotline/", "/resources/988-lifeline/", "/resources/united-way-211/", `href="/help/"`} {
		if !strings.Contains(page, want) {
			t.Errorf("no-match page lacks %s", want)
		}
	}
	if strings.Contains(page, `class="crisis-box"`) {
		t.Error("no-match page shows a crisis box")
	}
	var r struct {
		Total      int
		Essentials []struct{ URL string }
	}
	resp, err := http.Get(ts.URL + "/api/search?q=qwxzv+plimf&lang=es")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	json.NewDecoder(resp.Body).Decode(&r)
	if r.Total != 0 || len(r.Essentials) != 4 || r.Essentials[0].URL != "/es/resources/emergency-911/" {
		t.Errorf("api no match: %+v", r)
	}

	_, body = get(t, ts, "GET", "/search/?q=my+boss+keeps+my+passport", nil)
	page = string(body)
	if strings.Contains(page, `class="crisis-box"`) {
		t.Error("a passport search shows a crisis box")
	}
	if !strings.Contains(page, `href="/help/boss-keeps-my-documents/"`) {
		t.Error("a passport search does not link its situation")
	}
}

// TestHelpPages: the guided path works without typing or JavaScript: the
// index links every situation, and a situation page lists its services.
func TestHelpPages(t *testing.T) {
	ts, _ := startServer(t)
	resp, body := get(t, ts, "GET", "/help/", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("/help/: %d", resp.StatusCode)
	}
	for _, want := range []string{"Find help by situation", `href="/help/thinking-about-suicide/"`, `href="/help/pay-missing-or-too-low/"`, `class="quick-exit"`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/help/ lacks %s", want)
		}
	}
	for _, p := range []string{"/", "/get-help/", "/es/"} {
		_, body := get(t, ts, "GET", p, nil)
		if !regexp.MustCompile(`href="(/es)?/help/"`).Match(body) {
			t.Errorf("%s does not link /help/", p)
		}
	}
	_, body = get(t, ts, "GET", "/es/help/boss-keeps-my-documents/", nil)
	if !strings.Contains(string(body), `href="/es/resources/national-human-trafficking-hotline/"`) {
		t.Error("a Spanish situation page does not list its services in Spanish")
	}
	// The quick exit sits inside the banner landmark.
	_, body = get(t, ts, "GET", "/", nil)
	header := regexp.MustCompile(`(?s)<header class="site-header">.*?</header>`).Find(body)
	if !strings.Contains(string(header), `class="quick-exit"`) {
		t.Error("the quick exit is not inside the header landmark")
	}
}
