package web_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"northstar/internal/certificate"
	"northstar/internal/store"
	"northstar/internal/training"
	"northstar/internal/web"
)

// seedCertificate records a pass of module for email, with its certificate,
// straight in the store, and returns the code.
func seedCertificate(t *testing.T, st store.Store, email, module string) string {
	t.Helper()
	ctx := context.Background()
	u, err := st.UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := certificate.NewCode()
	id := "seed-" + code
	at := time.Now().UTC().Add(-time.Hour)
	if err := st.CreateAttempt(ctx, store.Attempt{ID: id, UserID: u.ID, QuizID: module, Drawn: []string{"x"}, StartedAt: at}); err != nil {
		t.Fatal(err)
	}
	cert := store.Certificate{Code: code, UserID: u.ID, Module: module, AttemptID: id, Score: 90, PassedAt: at, ValidUntil: at.AddDate(1, 0, 0)}
	if _, err := st.SubmitAttempt(ctx, store.Attempt{ID: id, SubmittedAt: &at, Results: []byte(`[]`), Score: 90, Passed: true}, &cert); err != nil {
		t.Fatal(err)
	}
	return code
}

// TestCertificateFlow: passing a module through the API issues a
// certificate; its public page shows only what it should; the holder gets
// the PDF; an admin revokes it, with a reason, and the page says so.
func TestCertificateFlow(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts := staffServer(t, st)
	learner := client(t, ts, "learner@example.org")
	q := staffSite.quizzes["referral-basics"]
	s, _ := startQuiz(t, learner, ts.URL, "referral-basics")
	status, g := submit(t, learner, ts.URL, "referral-basics", s.Attempt, rightAnswers(q, s.Questions))
	code, _ := g["certificate"].(string)
	if status != http.StatusOK || g["passed"] != true || len(code) != certificate.CodeLen {
		t.Fatalf("pass: %d %v", status, g)
	}
	// A repeated submission names the same certificate.
	if _, g2 := submit(t, learner, ts.URL, "referral-basics", s.Attempt, map[string][]string{}); g2["certificate"] != code {
		t.Errorf("repeat submission: certificate %v, want %s", g2["certificate"], code)
	}
	// A failed attempt earns none.
	s2, _ := startQuiz(t, learner, ts.URL, "referral-basics")
	if _, g3 := submit(t, learner, ts.URL, "referral-basics", s2.Attempt, map[string][]string{}); g3["passed"] != false || g3["certificate"] != nil {
		t.Errorf("failed attempt: %v", g3)
	}

	anon := client(t, ts, "")
	st2, page, hdr := do(t, anon, "GET", ts.URL+"/certificates/"+code, nil, "")
	if st2 != http.StatusOK || hdr.Get("Set-Cookie") != "" {
		t.Fatalf("public page: %d cookie %q", st2, hdr.Get("Set-Cookie"))
	}
	for _, want := range []string{"learner", "Responding and referring", "This certificate is <strong>valid</strong>", certificate.Format(code), "Valid until", `role="img"`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("public page lacks %q", want)
		}
	}
	// Nothing else about the person: no email, department, score or attempts.
	for _, leak := range []string{"learner@example.org", "Police", "100%", "Sign out"} {
		if bytes.Contains(page, []byte(leak)) {
			t.Errorf("public page shows %q", leak)
		}
	}
	// A typed code (lower case, dashes) finds it; a bad one is told so.
	c := noRedirects(anon)
	if st, _, h := do(t, c, "GET", ts.URL+"/certificates/?code="+url.QueryEscape(strings.ToLower(certificate.Format(code))), nil, ""); st != http.StatusSeeOther || h.Get("Location") != "/certificates/"+code {
		t.Errorf("typed code: %d %s", st, h.Get("Location"))
	}
	if st, body, _ := do(t, anon, "GET", ts.URL+"/certificates/?code=nonsense", nil, ""); st != http.StatusBadRequest || !bytes.Contains(body, []byte("12 letters")) {
		t.Errorf("bad code: %d", st)
	}
	if st, _, _ := do(t, anon, "GET", ts.URL+"/certificates/AAAAAAAAAAAA", nil, ""); st != http.StatusNotFound {
		t.Errorf("unknown code: %d", st)
	}

	st3, pdf, h := do(t, learner, "GET", ts.URL+"/certificates/"+code+".pdf", nil, "")
	if st3 != http.StatusOK || h.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("pdf: %d %s %.10q", st3, h.Get("Content-Type"), pdf)
	}
	other := client(t, ts, "other@example.org")
	if st, _, _ := do(t, other, "GET", ts.URL+"/certificates/"+code+".pdf", nil, ""); st != http.StatusNotFound {
		t.Errorf("another learner's pdf: %d", st)
	}

	admin := client(t, ts, "admin@example.org")
	if st, body, _ := do(t, admin, "GET", ts.URL+"/admin/certificates/?q=learner@example.org", nil, ""); st != http.StatusOK || !bytes.Contains(body, []byte(certificate.Format(code))) {
		t.Errorf("admin search by email: %d", st)
	}
	form := url.Values{"reason": {"Passed on another person’s account"}}
	if st, _, h := do(t, admin, "POST", ts.URL+"/admin/certificates/"+code+"/revoke", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"); st != http.StatusSeeOther {
		t.Fatalf("revoke: %d", st)
	} else if _, body, _ := do(t, admin, "GET", ts.URL+h.Get("Location"), nil, ""); !bytes.Contains(body, []byte("The certificate is revoked")) || !bytes.Contains(body, []byte(form.Get("reason"))) {
		t.Error("the admin page does not confirm the revocation with its reason")
	}
	if st, _, _ := do(t, admin, "POST", ts.URL+"/admin/certificates/"+code+"/revoke", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"); st != http.StatusConflict {
		t.Errorf("revoke twice: %d", st)
	}
	if _, page, _ := do(t, anon, "GET", ts.URL+"/certificates/"+code, nil, ""); !bytes.Contains(page, []byte("<strong>revoked</strong>")) {
		t.Error("the public page does not say revoked")
	}
	c2, _ := st.CertificateByCode(context.Background(), code)
	adminUser, _ := st.UserByEmail(context.Background(), "admin@example.org")
	if c2.RevokedBy != adminUser.ID || c2.RevokeReason != form.Get("reason") {
		t.Errorf("revocation recorded as %+v", c2)
	}
	// Revoked: the learner is back to "in progress" on that module.
	for _, r := range myTraining(t, learner, ts.URL) {
		if r.Module == "referral-basics" && r.Status != training.InProgress {
			t.Errorf("after revocation: %+v", r)
		}
	}
}

// myTraining reads /api/me/training.
func myTraining(t *testing.T, c *http.Client, base string) []training.ModuleRecord {
	t.Helper()
	var body struct{ Modules []training.ModuleRecord }
	_, raw, _ := do(t, c, "GET", base+"/api/me/training", nil, "")
	if err := json.Unmarshal(raw, &body); err != nil || len(body.Modules) == 0 {
		t.Fatalf("my training: %v %s", err, raw)
	}
	return body.Modules
}

func noRedirects(c *http.Client) *http.Client {
	cc := *c
	cc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cc
}

// TestAssignmentsAndReports: a trainer assigns modules through the forms;
// staff see them in My training; the reports, CSV and xAPI agree.
func TestAssignmentsAndReports(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts := staffServer(t, st)
	ctx := context.Background()
	trainer := client(t, ts, "trainer@example.org")
	// post sends a form and, like a browser, follows the redirect after it.
	post := func(path string, form url.Values) (int, []byte) {
		s, b, h := do(t, trainer, "POST", ts.URL+path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
		if s == http.StatusSeeOther {
			s, b, _ = do(t, trainer, "GET", ts.URL+h.Get("Location"), nil, "")
		}
		return s, b
	}
	due := time.Now().UTC().AddDate(0, 1, 0).Format("2006-01-02")
	if s, b := post("/admin/assignments/", url.Values{"module": {"referral-basics"}, "department": {"Police"}, "due": {due}}); s != http.StatusOK || !bytes.Contains(b, []byte("The assignment is saved")) {
		t.Fatalf("assign to a department: %d", s)
	}
	if s, _ := post("/admin/assignments/", url.Values{"module": {"police-response"}, "email": {"other@example.org"}, "due": {due}}); s != http.StatusOK {
		t.Fatalf("assign to a person: %d", s)
	}
	for _, bad := range []url.Values{
		{"module": {"nope"}, "department": {"Police"}, "due": {due}},
		{"module": {"referral-basics"}, "department": {"Nowhere"}, "due": {due}},
		{"module": {"referral-basics"}, "email": {"nobody@example.org"}, "due": {due}},
		{"module": {"referral-basics"}, "department": {"Police"}, "email": {"other@example.org"}, "due": {due}},
		{"module": {"referral-basics"}, "department": {"Police"}, "due": {"31/12/2030"}},
		{"module": {"referral-basics"}, "department": {"Police"}, "due": {"2001-01-01"}},
		{"module": {"referral-basics"}, "due": {due}},
	} {
		if s, b := post("/admin/assignments/", bad); s != http.StatusBadRequest || !bytes.Contains(b, []byte(`role="alert"`)) {
			t.Errorf("bad assignment %v: %d", bad, s)
		}
	}
	// Past-due assignments, as time would make them (the form refuses a
	// date in the past): one for each of the four Police accounts.
	tr, _ := st.UserByEmail(ctx, "trainer@example.org")
	now := time.Now().UTC()
	for _, who := range []string{"learner", "trainer", "admin", "other"} {
		u, _ := st.UserByEmail(ctx, who+"@example.org")
		if _, err := st.CreateAssignment(ctx, store.Assignment{Module: "trafficking-basics", UserID: u.ID, DueAt: now.Add(-48 * time.Hour), AssignedBy: tr.ID, CreatedAt: now.AddDate(0, -1, 0)}); err != nil {
			t.Fatal(err)
		}
	}

	// The learner passes the assigned module.
	learner := client(t, ts, "learner@example.org")
	q := staffSite.quizzes["referral-basics"]
	s, _ := startQuiz(t, learner, ts.URL, "referral-basics")
	if st, g := submit(t, learner, ts.URL, "referral-basics", s.Attempt, rightAnswers(q, s.Questions)); st != 200 || g["passed"] != true {
		t.Fatal(g)
	}
	recs := myTraining(t, client(t, ts, "other@example.org"), ts.URL)
	// other@: overdue trafficking-basics first, then the two due next month.
	if len(recs) < 3 || recs[0].Module != "trafficking-basics" || recs[0].Status != training.Overdue ||
		recs[1].Status != training.Assigned || recs[2].Status != training.Assigned || !recs[1].Assigned {
		t.Errorf("other's training: %+v", recs[:3])
	}
	_, page, _ := do(t, learner, "GET", ts.URL+"/training/my/", nil, "")
	if !bytes.Contains(page, []byte("completed")) || !bytes.Contains(page, []byte(".pdf")) {
		t.Error("My training shows no completed module with its certificate")
	}

	// Completion: 4 Police staff, 1 completed referral-basics.
	_, rep, _ := do(t, trainer, "GET", ts.URL+"/admin/reports/", nil, "")
	for _, want := range []string{"<svg", "1 / 4 (25%)", "4 overdue", "Completion by department and module"} {
		if !bytes.Contains(rep, []byte(want)) {
			t.Errorf("completion report lacks %q", want)
		}
	}
	_, over, _ := do(t, trainer, "GET", ts.URL+"/admin/reports/overdue?department=Police&module=trafficking-basics", nil, "")
	if !bytes.Contains(over, []byte("4 overdue or expired")) {
		t.Errorf("overdue list: %s", regexp.MustCompile(`(?s)<main.*</main>`).Find(over))
	}
	for _, bad := range []string{"?department=Nowhere", "?module=nope", "?page=0", "?page=x"} {
		if s, _, _ := do(t, trainer, "GET", ts.URL+"/admin/reports/overdue"+bad, nil, ""); s != http.StatusBadRequest {
			t.Errorf("overdue %s: %d", bad, s)
		}
	}
	if s, _, _ := do(t, trainer, "GET", ts.URL+"/admin/reports/items?quiz=nope", nil, ""); s != http.StatusBadRequest {
		t.Errorf("items of an unknown quiz: %d", s)
	}
	if s, body, _ := do(t, trainer, "GET", ts.URL+"/admin/reports/items?quiz=referral-basics", nil, ""); s != 200 || !bytes.Contains(body, []byte("From 1 graded attempts")) {
		t.Errorf("items: %d", s)
	}

	// CSV: BOM, a header, one row per certificate, ISO dates; parsed back.
	s2, body, h := do(t, trainer, "GET", ts.URL+"/admin/reports/completions.csv", nil, "")
	if s2 != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("csv: %d %s %.3q", s2, h.Get("Content-Type"), body)
	}
	recsCSV, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	if err != nil || len(recsCSV) != 2 {
		t.Fatalf("csv parsed: %v %v", recsCSV, err)
	}
	row := map[string]string{}
	for i, k := range recsCSV[0] {
		row[k] = recsCSV[1][i]
	}
	iso := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	if row["email"] != "learner@example.org" || row["module"] != "referral-basics" || row["status"] != "valid" || row["score"] != "100" ||
		!iso.MatchString(row["passed_on"]) || !iso.MatchString(row["valid_until"]) || len(row["certificate"]) != certificate.CodeLen {
		t.Errorf("csv row %v", row)
	}

	// xAPI: one statement per graded attempt, JSON lines.
	_, body, _ = do(t, trainer, "GET", ts.URL+"/admin/reports/xapi.jsonl", nil, "")
	sc := bufio.NewScanner(bytes.NewReader(body))
	n := 0
	for sc.Scan() {
		var stmt struct {
			Actor struct {
				Account struct{ HomePage, Name string }
			}
			Verb   struct{ ID string }
			Object struct{ ID string }
			Result struct {
				Score struct {
					Raw    int
					Scaled float64
				}
				Success bool
			}
		}
		if err := json.Unmarshal(sc.Bytes(), &stmt); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		n++
		if stmt.Actor.Account.Name != "learner@example.org" || stmt.Verb.ID != "http://adlnet.gov/expapi/verbs/passed" ||
			stmt.Object.ID != testPublicURL+"/training/referral-basics/" || stmt.Result.Score.Raw != 100 || stmt.Result.Score.Scaled != 1 || !stmt.Result.Success {
			t.Errorf("statement %s", sc.Bytes())
		}
	}
	if n != 1 {
		t.Errorf("%d statements, want 1", n)
	}

}

// TestDueDatesAreMinneapolisDays: a due date given as a day ends at midnight
// in Minneapolis (CDT in July, CST in January), and is shown as that day.
func TestDueDatesAreMinneapolisDays(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts := staffServer(t, st)
	trainer := client(t, ts, "trainer@example.org")
	for _, day := range []string{"2030-07-15", "2031-01-15"} {
		form := url.Values{"module": {"referral-basics"}, "department": {"Police"}, "due": {day}}
		if s, _, _ := do(t, trainer, "POST", ts.URL+"/admin/assignments/", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"); s != http.StatusSeeOther {
			t.Fatalf("assign: %d", s)
		}
	}
	list, err := st.Assignments(context.Background())
	if err != nil || len(list) != 2 {
		t.Fatal(list, err)
	}
	want := []time.Time{
		time.Date(2030, 7, 16, 4, 59, 59, 0, time.UTC), // midnight CDT (UTC−5), less a second
		time.Date(2031, 1, 16, 5, 59, 59, 0, time.UTC), // midnight CST (UTC−6)
	}
	for i, a := range list {
		if !a.DueAt.Equal(want[i]) {
			t.Errorf("due %v, want %v", a.DueAt, want[i])
		}
	}
	_, page, _ := do(t, trainer, "GET", ts.URL+"/admin/assignments/", nil, "")
	if !bytes.Contains(page, []byte("<td>2030-07-15</td>")) || !bytes.Contains(page, []byte("<td>2031-01-15</td>")) {
		t.Error("the list does not show the days as given")
	}
}

// TestCertificatePDFUnprintableName: a name the PDF font cannot draw gets a
// clear 422 pointing to the printable page, not a PDF of empty boxes.
func TestCertificatePDFUnprintableName(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	hash, _ := st.UserByEmail(context.Background(), "learner@example.org")
	if _, err := st.CreateUser(context.Background(), store.User{Email: "wang@example.org", Name: "王小明", Department: "Police", Role: store.RoleLearner, PasswordHash: hash.PasswordHash}); err != nil {
		t.Fatal(err)
	}
	code := seedCertificate(t, st, "wang@example.org", "referral-basics")
	ts := staffServer(t, st)
	status, body, _ := do(t, client(t, ts, "wang@example.org"), "GET", ts.URL+"/certificates/"+code+".pdf", nil, "")
	if status != http.StatusUnprocessableEntity || !bytes.Contains(body, []byte("/certificates/"+code)) {
		t.Errorf("%d %s", status, body)
	}
	// The HTML certificate shows the name as written.
	if _, page, _ := do(t, client(t, ts, ""), "GET", ts.URL+"/certificates/"+code, nil, ""); !bytes.Contains(page, []byte("王小明")) {
		t.Error("the page does not show the name")
	}
}

// TestAssignmentsSayWhetherStaffAreReminded: trainers are told on the
// assignments page whether reminders by email go out, and when.
func TestAssignmentsSayWhetherStaffAreReminded(t *testing.T) {
	for remindAt, want := range map[string]string{"": "Reminders by email are off on this server", "07:00": "daily at 07:00, Minneapolis time"} {
		st := sqliteStore(t)
		seedUsers(t, st)
		staff := staffTraining(st)
		staff.RemindAt = remindAt
		ts, _ := startStaffServer(t, func(s *web.Server) { s.SetStaff(staff) })
		_, body, _ := do(t, client(t, ts, "trainer@example.org"), "GET", ts.URL+"/admin/assignments/", nil, "")
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("remind at %q: the assignments page lacks %q", remindAt, want)
		}
	}
}
