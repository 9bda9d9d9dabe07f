package web_test

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"northstar/internal/store"
	"northstar/internal/web"
	"northstar/internal/web/webtest"
)

// TestUsersInTheBrowser: an admin manages accounts without the command
// line: finds them, adds one (whose temporary password signs in), changes
// its role and department, disables it (its session ends) and enables it;
// each change is in its history; the rules refuse what the CLI refuses.
func TestUsersInTheBrowser(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts, _ := startServerWith(t, func(s *web.Server) { s.SetStaff(staffTraining(st)) })
	admin := client(t, ts, "admin@example.org")
	form := func(c *http.Client, path string, v url.Values) (int, string, http.Header) {
		t.Helper()
		status, body, h := do(t, noRedirects(c), "POST", ts.URL+path, strings.NewReader(v.Encode()), "application/x-www-form-urlencoded")
		return status, string(body), h
	}
	page := func(path string) (int, string) {
		t.Helper()
		status, body, _ := do(t, admin, "GET", ts.URL+path, nil, "")
		return status, string(body)
	}

	// The list, its filters and its search.
	for path, want := range map[string][]string{
		"/admin/users/":                   {"learner", "analyst", "trainer", "admin", "other", "5 accounts"},
		"/admin/users/?department=Health": {"analyst", "1 account<"},
		"/admin/users/?role=trainer":      {"trainer", "1 account<"},
		"/admin/users/?q=OTH":             {"other@example.org", "1 account<"},
		"/admin/users/?status=disabled":   {"No account matches."},
	} {
		status, body := page(path)
		if status != 200 {
			t.Errorf("%s: %d", path, status)
		}
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
	}
	for _, path := range []string{"/admin/users/?department=Parks", "/admin/users/?role=emperor", "/admin/users/?status=gone", "/admin/users/?page=0", "/admin/users/?page=x"} {
		if status, body := page(path); status != 400 || !strings.Contains(body, `role="alert"`) {
			t.Errorf("%s: %d, want 400 with the reason", path, status)
		}
	}

	// Add one, refused first for an unknown department.
	status, body, _ := form(admin, "/admin/users/", url.Values{"email": {"new@example.org"}, "name": {"Nia New"}, "department": {"Parks"}, "role": {"learner"}})
	if status != 400 || !strings.Contains(body, "Choose a department from the list.") || !strings.Contains(body, `name="department" required aria-invalid="true"`) {
		t.Errorf("unknown department: %d %.300s", status, body)
	}
	status, body, _ = form(admin, "/admin/users/", url.Values{"email": {"new@example.org"}, "name": {"Nia New"}, "department": {"Health"}, "role": {"learner"}})
	pw := regexp.MustCompile(`<code>([A-Za-z0-9_-]{20})</code>`).FindStringSubmatch(body)
	if status != 200 || pw == nil {
		t.Fatalf("add: %d %.400s", status, body)
	}
	nia := webtest.NewClient(nil)
	if err := webtest.SignIn(nia, ts.URL, "new@example.org", pw[1]); err != nil {
		t.Fatalf("the temporary password does not sign in: %v", err)
	}
	if status, body, _ := form(admin, "/admin/users/", url.Values{"email": {"NEW@example.org"}, "name": {"Nia"}, "department": {"Health"}, "role": {"learner"}}); status != 400 || !strings.Contains(body, "This email already has an account.") {
		t.Errorf("the same email again: %d", status)
	}
	u, err := st.UserByEmail(context.Background(), "new@example.org")
	if err != nil {
		t.Fatal(err)
	}
	id := "/admin/users/" + itoa(u.ID)

	// Change, disable, enable; each in the history.
	if status, _, h := form(admin, id, url.Values{"role": {"trainer"}, "department": {"Police"}}); status != 303 || h.Get("Location") != id+"?done=changed" {
		t.Errorf("change: %d %q", status, h.Get("Location"))
	}
	if status, _, _ := form(admin, id+"/disable", nil); status != 303 {
		t.Errorf("disable: %d", status)
	}
	if status, _, _ := do(t, noRedirects(nia), "GET", ts.URL+"/training/my/", nil, ""); status != 303 {
		t.Errorf("a disabled account's session: %d, want 303 to sign in", status)
	}
	if err := webtest.SignIn(webtest.NewClient(nil), ts.URL, "new@example.org", pw[1]); err == nil {
		t.Error("a disabled account signed in")
	}
	if status, _, _ := form(admin, id+"/enable", nil); status != 303 {
		t.Errorf("enable: %d", status)
	}
	_, body = page(id)
	for _, w := range []string{"created: added", "role: learner → trainer", "department: Health → Police", "disabled", "enabled", "<td>admin</td>"} {
		if !strings.Contains(body, w) {
			t.Errorf("the history lacks %q", w)
		}
	}

	// What the rules refuse.
	me, _ := st.UserByEmail(context.Background(), "admin@example.org")
	mine := "/admin/users/" + itoa(me.ID)
	if status, body, _ := form(admin, mine+"/disable", nil); status != 400 || !strings.Contains(body, "You cannot disable your own account") {
		t.Errorf("disable oneself: %d", status)
	}
	if status, body, _ := form(admin, mine, url.Values{"role": {"learner"}, "department": {"Police"}}); status != 400 || !strings.Contains(body, "give up your own admin role") {
		t.Errorf("demote oneself: %d %.200s", status, body)
	}
	if status, _, _ := form(admin, id, url.Values{"role": {"emperor"}, "department": {"Police"}}); status != 400 {
		t.Errorf("unknown role: %d", status)
	}
	if status, _, _ := form(client(t, ts, "trainer@example.org"), id+"/disable", nil); status != 403 {
		t.Errorf("a trainer disabling: %d", status)
	}
}

// TestUserImport: a CSV file is previewed line by line before anything is
// written; one with a problem adds nobody; a good one adds its accounts
// once, uploaded as a file or pasted.
func TestUserImport(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts, _ := startServerWith(t, func(s *web.Server) { s.SetStaff(staffTraining(st)) })
	admin := client(t, ts, "admin@example.org")
	count := func() int {
		_, n, err := st.FindUsers(context.Background(), storeFilterAll)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	bad := "email,name,department,role\nana@example.org,Ana,Health,learner\nbo@example.org,Bo,Parks,learner\nlearner@example.org,Again,Police,learner\n"
	status, body, _ := do(t, admin, "POST", ts.URL+"/admin/users/import", strings.NewReader(url.Values{"csv": {bad}}.Encode()), "application/x-www-form-urlencoded")
	page := string(body)
	if status != 400 || !strings.Contains(page, `department &#34;Parks&#34; is not one of`) || !strings.Contains(page, "Skipped: has an account") ||
		!strings.Contains(page, "Will be added") || strings.Contains(page, "/admin/users/import/confirm") {
		t.Errorf("preview of a file with a problem: %d %.600s", status, page)
	}
	if status, _, _ := do(t, admin, "POST", ts.URL+"/admin/users/import/confirm", strings.NewReader(url.Values{"csv": {bad}}.Encode()), "application/x-www-form-urlencoded"); status != 400 || count() != before {
		t.Errorf("confirming a file with a problem: %d, %d accounts (was %d)", status, count(), before)
	}

	good := "email,name,department,role\r\nana@example.org,Ana,Health,learner\r\ncy@example.org,\"Cy, Jr.\",Police,trainer\r\nlearner@example.org,Again,Police,learner\r\n"
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "staff.csv")
	fw.Write([]byte(good))
	mw.Close()
	status, body, _ = do(t, admin, "POST", ts.URL+"/admin/users/import", &buf, mw.FormDataContentType())
	hidden := regexp.MustCompile(`name="csv" value="([^"]*)"`).FindSubmatch(body)
	if status != 200 || hidden == nil || !strings.Contains(string(body), "2 accounts to add, 1 skipped") || count() != before {
		t.Fatalf("preview of an uploaded file: %d %.600s", status, body)
	}
	carried := htmlUnescape(string(hidden[1]))
	status, body, _ = do(t, admin, "POST", ts.URL+"/admin/users/import/confirm", strings.NewReader(url.Values{"csv": {carried}}.Encode()), "application/x-www-form-urlencoded")
	if status != 200 || strings.Count(string(body), "<code>") != 2 || !strings.Contains(string(body), "Cy, Jr.") || count() != before+2 {
		t.Errorf("confirm: %d, %d accounts (was %d) %.500s", status, count(), before, body)
	}
	if status, body, _ := do(t, admin, "POST", ts.URL+"/admin/users/import/confirm", strings.NewReader(url.Values{"csv": {carried}}.Encode()), "application/x-www-form-urlencoded"); status != 200 || !strings.Contains(string(body), "0 accounts added") || count() != before+2 {
		t.Errorf("the same file again: %d %.300s", status, body)
	}
	for name, c := range map[string]struct{ body, ctype string }{
		"empty":            {"", "application/x-www-form-urlencoded"},
		"no header":        {url.Values{"csv": {"ana@example.org,Ana,Health,learner\n"}}.Encode(), "application/x-www-form-urlencoded"},
		"too big":          {url.Values{"csv": {strings.Repeat("x", 300<<10)}}.Encode(), "application/x-www-form-urlencoded"},
		"too many":         {url.Values{"csv": {"email,name,department,role\n" + strings.Repeat("z@example.org,Z,Police,learner\n", 201)}}.Encode(), "application/x-www-form-urlencoded"},
		"broken multipart": {"--x\r\nnonsense", "multipart/form-data; boundary=x"},
	} {
		if status, body, _ := do(t, admin, "POST", ts.URL+"/admin/users/import", strings.NewReader(c.body), c.ctype); status != 400 || !strings.Contains(string(body), `role="alert"`) {
			t.Errorf("%s: %d, want 400 with the reason: %.200s", name, status, body)
		}
	}
	if count() != before+2 {
		t.Errorf("refused files added accounts: %d", count())
	}
}

var storeFilterAll = store.UserFilter{}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func htmlUnescape(s string) string { return html.UnescapeString(s) }
