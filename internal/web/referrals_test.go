package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"northstar/internal/referral"
	"northstar/internal/store"
	"northstar/internal/web"
)

const formType = "application/x-www-form-urlencoded"

// goodReferral is a form that breaks no rule, dated today in Minneapolis.
func goodReferral() url.Values {
	return url.Values{
		"date": {referral.Today(time.Now()).Format("2006-01-02")}, "source": {"inspection"}, "suspected": {"labor"},
		"age": {"25-plus"}, "danger": {"no"}, "called_911": {"no"}, "child_protection": {""}, "language": {"es"},
		"interpreter": {"qualified"}, "services": {"national-human-trafficking-hotline", "minneapolis-labor-standards"},
		"warm_handoff": {"yes"}, "agreed": {"yes"},
	}
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (int, []byte, http.Header) {
	t.Helper()
	return do(t, noRedirects(c), "POST", u, strings.NewReader(form.Encode()), formType)
}

var referralLink = regexp.MustCompile(`href="/referrals/([A-Z2-7]{16})"`)

// TestReferralsEndToEnd: staff record referrals through the form, see and
// follow up only their own, and the City sees counts with small ones
// suppressed, on the page and in the CSV, and nothing else.
func TestReferralsEndToEnd(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts := staffServer(t, st)
	learner, other, analyst := client(t, ts, "learner@example.org"), client(t, ts, "other@example.org"), client(t, ts, "analyst@example.org")

	status, body, _ := do(t, learner, "GET", ts.URL+"/referrals/new", nil, "")
	for _, want := range []string{"612-348-3552, 24/7", "report by phone within 24 hours; written report within 72 hours",
		"Never family, co-workers or the person who brought them", "National Human Trafficking Hotline", `value="` + goodReferral().Get("date") + `"`} {
		if status != 200 || !bytes.Contains(body, []byte(want)) {
			t.Errorf("the form (%d) lacks %q", status, want)
		}
	}
	// Names in the reader's language where the entry has one.
	req, _ := http.NewRequest("GET", ts.URL+"/referrals/new", nil)
	req.Header.Set("Accept-Language", "es-MX,es;q=0.9,en;q=0.5")
	if resp, err := learner.Do(req); err == nil {
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		resp.Body.Close()
		if !strings.Contains(b.String(), "Protección infantil del condado de Hennepin") {
			t.Logf("Spanish names: %s", referralNames(b.String()))
			t.Error("a Spanish reader does not get the Spanish names")
		}
	}

	// Rules broken come back as a 400 naming the field, and record nothing.
	for _, c := range []struct {
		name  string
		edit  func(url.Values)
		field string
	}{
		{"under 18 without the child-protection answer", func(f url.Values) { f.Set("age", "under-18") }, "child_protection"},
		{"a date in the future", func(f url.Values) { f.Set("date", "2999-01-01") }, "date"},
		{"no service", func(f url.Values) { f.Del("services") }, "services"},
		{"a service not in the directory", func(f url.Values) { f.Add("services", "acme-rescue") }, "services"},
		{"a source not in config.toml", func(f url.Values) { f.Set("source", "tip") }, "source"},
	} {
		f := goodReferral()
		c.edit(f)
		status, body, _ := post(t, learner, ts.URL+"/referrals/", f)
		if status != http.StatusBadRequest || !bytes.Contains(body, []byte(`href="#f-`+c.field+`"`)) {
			t.Errorf("%s: %d, want 400 naming %s (%.200s)", c.name, status, c.field, body)
		}
	}

	// Six by the learner (Police), one by the analyst (Health).
	for i := 0; i < 6; i++ {
		status, _, h := post(t, learner, ts.URL+"/referrals/", goodReferral())
		if status != http.StatusSeeOther || h.Get("Location") != "/referrals/?done=recorded" {
			t.Fatalf("record: %d to %q", status, h.Get("Location"))
		}
	}
	if status, _, _ := post(t, analyst, ts.URL+"/referrals/", goodReferral()); status != http.StatusSeeOther {
		t.Fatalf("the analyst records: %d", status)
	}

	_, body, _ = do(t, learner, "GET", ts.URL+"/referrals/", nil, "")
	ids := referralLink.FindAllStringSubmatch(string(body), -1)
	if len(ids) != 6 || !bytes.Contains(body, []byte("An inspection")) || !bytes.Contains(body, []byte("Add the outcome")) {
		t.Fatalf("the learner's list shows %d referrals, want 6 with outcome forms", len(ids))
	}
	id := ids[0][1]
	if _, body, _ := do(t, other, "GET", ts.URL+"/referrals/", nil, ""); referralLink.Match(body) {
		t.Error("another learner sees the learner's referrals")
	}
	if status, _, _ := do(t, other, "GET", ts.URL+"/referrals/"+id, nil, ""); status != http.StatusNotFound {
		t.Errorf("another learner opens the learner's referral: %d", status)
	}
	if status, _, _ := post(t, other, ts.URL+"/referrals/"+id+"/outcome", url.Values{"outcome": {"declined"}}); status != http.StatusNotFound {
		t.Errorf("another learner sets the learner's outcome: %d", status)
	}
	if status, _, _ := post(t, learner, ts.URL+"/referrals/"+id+"/outcome", url.Values{"outcome": {"found"}}); status != http.StatusBadRequest {
		t.Errorf("an outcome not listed: %d", status)
	}
	for _, outcome := range []string{"unreached", "connected"} {
		if status, _, h := post(t, learner, ts.URL+"/referrals/"+id+"/outcome", url.Values{"outcome": {outcome}}); status != http.StatusSeeOther || h.Get("Location") != "/referrals/?done=outcome" {
			t.Fatalf("set outcome %s: %d", outcome, status)
		}
	}
	_, body, _ = do(t, learner, "GET", ts.URL+"/referrals/"+id, nil, "")
	history := regexp.MustCompile(`<li><time>[^<]+</time>: ([^<]+), by you</li>`).FindAllStringSubmatch(string(body), -1)
	if len(history) != 3 || history[0][1] != "Recorded" || history[1][1] != "Outcome: Could not be reached" || history[2][1] != "Outcome: Connected with the service" {
		t.Errorf("history %v, want recorded, then unreached, then connected", history)
	}

	// What the City sees: this month, Police 6, Health 1 (<5), so the
	// month's total would reveal Health: one more is hidden.
	month := referral.Today(time.Now()).Format("2006-01")
	for _, c := range []*http.Client{learner} {
		if status, _, _ := do(t, c, "GET", ts.URL+"/admin/referrals/", nil, ""); status != http.StatusForbidden {
			t.Errorf("a learner opens the referral report: %d", status)
		}
	}
	status, body, _ = do(t, analyst, "GET", ts.URL+"/admin/referrals/", nil, "")
	if status != 200 || !bytes.Contains(body, []byte("<td>&lt;5</td>")) || !bytes.Contains(body, []byte("<td>hidden</td>")) || !bytes.Contains(body, []byte("<svg")) {
		t.Errorf("the report (%d) lacks a suppressed cell, a hidden one or its chart", status)
	}
	if referralLink.Match(body) || bytes.Contains(body, []byte(id)) {
		t.Error("the report links to a referral")
	}
	status, body, h := do(t, analyst, "GET", ts.URL+"/admin/referrals/referrals.csv", nil, "")
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", status, h.Get("Content-Type"))
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	figure := map[string]string{}
	number := regexp.MustCompile(`^(\d+(\.\d)?|<5|hidden|)$`)
	for _, r := range rows[1:] {
		figure[r[0]+" "+r[1]+" "+r[2]] = r[3]
		if !number.MatchString(r[3]) {
			t.Errorf("csv line %v holds something other than a figure", r)
		}
	}
	if figure["by_month Health "+month] != "<5" || figure["by_month Health total"] != "<5" {
		t.Errorf("Health this month %q, total %q; want <5", figure["by_month Health "+month], figure["by_month Health total"])
	}
	if p, tot := figure["by_month Police "+month], figure["by_month total "+month]; p != "hidden" && tot != "hidden" {
		t.Errorf("Police %q and the month's total %q are both shown: Health's count follows from them", p, tot)
	}
	if figure["by_suspected labor referrals"] == "7" && figure["by_suspected total referrals"] != "7" {
		t.Error("by suspected does not add up")
	}
	if figure["share qualified_interpreter percent"] != "100" {
		t.Errorf("qualified interpreter share %q, want 100 (7 of 7)", figure["share qualified_interpreter percent"])
	}
	if bytes.Contains(body, []byte(id)) || bytes.Contains(body, []byte("learner")) {
		t.Error("the csv names a referral or a person")
	}
}

func referralNames(page string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`name="services" value="[^"]+"> ([^<]+)<`).FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestReferralPrivacyCanary types a canary into every field of the form,
// into fields it does not have, into the follow-up and into query
// parameters: none is accepted, and the canary is in no byte of the
// database, no log line and no export.
func TestReferralPrivacyCanary(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	seedUsers(t, st)
	ts, logs := startStaffServer(t, func(srv *web.Server) { srv.SetStaff(staffTraining(st)) })
	learner, analyst := client(t, ts, "learner@example.org"), client(t, ts, "analyst@example.org")
	const canary = "Jane Doe 612-555-0199 DOB 1990-01-01 CANARY7f3a"

	if status, _, _ := post(t, learner, ts.URL+"/referrals/", goodReferral()); status != http.StatusSeeOther {
		t.Fatalf("a good referral: %d", status)
	}
	_, body, _ := do(t, learner, "GET", ts.URL+"/referrals/", nil, "")
	id := referralLink.FindStringSubmatch(string(body))[1]

	for _, field := range append(referral.Fields, "name", "notes", "phone", "case_number") {
		for _, how := range []string{"set", "add"} {
			f := goodReferral()
			if how == "set" {
				f.Set(field, canary)
			} else {
				f.Add(field, canary)
			}
			status, body, _ := post(t, learner, ts.URL+"/referrals/?note="+url.QueryEscape(canary), f)
			if status == http.StatusSeeOther && !(how == "add" && field == "services") {
				t.Errorf("%s %s to the canary: recorded", how, field)
			}
			if status >= 500 {
				t.Errorf("%s %s: %d", how, field, status)
			}
			if status == http.StatusSeeOther {
				continue
			}
			if _, known := map[string]bool{"name": true, "notes": true, "phone": true, "case_number": true}[field]; known && bytes.Contains(body, []byte("CANARY7f3a")) {
				t.Errorf("a field the form does not have is echoed back: %s", field)
			}
		}
	}
	for _, f := range []url.Values{{"outcome": {canary}}, {"outcome": {"connected"}, "note": {canary}}} {
		post(t, learner, ts.URL+"/referrals/"+id+"/outcome", f)
	}
	post(t, learner, ts.URL+"/referrals/"+url.PathEscape(canary)+"/outcome", url.Values{"outcome": {"declined"}})
	for _, path := range []string{"/referrals/new?date=", "/referrals/?done=", "/referrals/" + id + "?x=", "/admin/referrals/?month=", "/admin/referrals/referrals.csv?q="} {
		do(t, learner, "GET", ts.URL+path+url.QueryEscape(canary), nil, "")
		do(t, analyst, "GET", ts.URL+path+url.QueryEscape(canary), nil, "")
	}
	_, export, _ := do(t, analyst, "GET", ts.URL+"/admin/referrals/referrals.csv", nil, "")
	_, report, _ := do(t, analyst, "GET", ts.URL+"/admin/referrals/", nil, "")
	_, mine, _ := do(t, learner, "GET", ts.URL+"/referrals/", nil, "")

	if strings.Contains(logs.String(), "CANARY7f3a") {
		for _, l := range strings.Split(logs.String(), "\n") {
			if strings.Contains(l, "CANARY7f3a") {
				t.Log(l)
				break
			}
		}
	}
	for name, b := range map[string][]byte{"the log": []byte(logs.String()), "the csv": export, "the report": report, "the list": mine} {
		for _, part := range []string{"CANARY7f3a", "Jane Doe", "612-555-0199"} {
			if bytes.Contains(b, []byte(part)) {
				t.Errorf("%s holds %q", name, part)
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) == 0 {
		t.Fatal("no database files")
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range []string{"CANARY7f3a", "Jane Doe", "612-555-0199"} {
			if bytes.Contains(b, []byte(part)) {
				t.Errorf("%s holds %q", filepath.Base(name), part)
			}
		}
	}
}

// TestReferralListSaysWhenCapped: a recorder with more referrals than the
// list shows is told the list is the newest ones.
func TestReferralListSaysWhenCapped(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts, _ := startServerWith(t, func(s *web.Server) { s.SetStaff(staffTraining(st)) })
	c := client(t, ts, "learner@example.org")
	caption := func() string {
		_, body, _ := do(t, c, "GET", ts.URL+"/referrals/", nil, "")
		m := regexp.MustCompile(`<caption id="referrals-caption">([^<]*)</caption>`).FindSubmatch(body)
		if m == nil {
			t.Fatalf("no list caption: %.300s", body)
		}
		return string(m[1])
	}
	u, _ := st.UserByEmail(context.Background(), "learner@example.org")
	add := func(from, n int) {
		var wg sync.WaitGroup
		for i := from; i < from+n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				at := time.Now().UTC().Add(-time.Duration(i) * time.Minute)
				if err := st.CreateReferral(context.Background(), store.Referral{ID: fmt.Sprintf("CAP%05d", i), RecordedBy: u.ID, Department: u.Department,
					OccurredOn: at.Format("2006-01-02"), RecordedAt: at, Source: "inspection", Suspected: "labor", AgeGroup: "25-plus",
					ChildProtection: "n/a", Language: "en", Interpreter: "qualified", Services: []string{"national-human-trafficking-hotline"}}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	add(0, referral.MaxListed-1)
	if got := caption(); strings.Contains(got, "newest 1000") {
		t.Errorf("%d referrals: caption %q says the list is cut", referral.MaxListed-1, got)
	}
	add(referral.MaxListed-1, 2)
	if got := caption(); !strings.Contains(got, fmt.Sprintf("the newest %d", referral.MaxListed)) {
		t.Errorf("%d referrals: caption %q, want it to say only the newest are shown", referral.MaxListed+1, got)
	}
}
