package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"northstar/internal/quiz"
	"northstar/internal/store"
	"northstar/internal/web"
)

// takenQuiz is an attempt a learner took through the quiz form: what it
// showed, and which question (a single-choice one) they got wrong.
type takenQuiz struct {
	started
	wrong      quiz.Presented
	rightText  string // the right option of the question got wrong
	chosenText string // the wrong option chosen
	answers    map[string][]string
	result     []byte // the result page
}

// takeQuiz answers the referral-basics quiz through its form, as a learner
// without JavaScript: every question right but the first single-choice
// one, which gets a wrong option.
func takeQuiz(t *testing.T, c *http.Client, base string) takenQuiz {
	t.Helper()
	q := staffSite.quizzes["referral-basics"]
	status, page, _ := do(t, c, "GET", base+"/training/referral-basics/quiz/", nil, "")
	if status != http.StatusOK {
		t.Fatalf("quiz page: %d", status)
	}
	// The API shows the same open attempt, with its structure as JSON.
	s, _ := startQuiz(t, c, base, q.ID)
	if !strings.Contains(string(page), `name="attempt" value="`+s.Attempt+`"`) {
		t.Fatalf("the quiz page shows another attempt than %s", s.Attempt)
	}
	tq := takenQuiz{started: s}
	answers := rightAnswers(q, s.Questions)
	for _, p := range s.Questions {
		if p.Kind != quiz.Single {
			continue
		}
		qu := q.Questions[promptIndex(q, p.Prompt)]
		for _, o := range p.Options {
			for _, fo := range qu.Options {
				switch {
				case fo.Text != o.Text:
				case fo.Correct:
					tq.rightText = o.Text
				case tq.chosenText == "":
					tq.chosenText = o.Text
					answers[p.ID] = []string{o.ID}
				}
			}
		}
		tq.wrong = p
		break
	}
	if tq.wrong.ID == "" {
		t.Fatal("no single-choice question drawn")
	}
	tq.answers = answers
	form := url.Values{"attempt": {s.Attempt}}
	for id, opts := range answers {
		form["q."+id] = opts
	}
	status, tq.result, _ = do(t, c, "POST", base+"/training/referral-basics/quiz/", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
	if status != http.StatusOK || !strings.Contains(string(tq.result), "Your result: 75%") {
		t.Fatalf("result page: %d\n%s", status, tq.result)
	}
	return tq
}

// promptIndex is the index in q of the question with prompt.
func promptIndex(q *quiz.Quiz, prompt string) int {
	for i, qu := range q.Questions {
		if qu.Prompt == prompt {
			return i
		}
	}
	return -1
}

// optionLine is the list item of an option on a review page, badges and
// all; "" when the page has none.
func optionLine(page []byte, text string) string {
	m := regexp.MustCompile(`<li>` + regexp.QuoteMeta(html.EscapeString(text)) + `[^\n]*</li>`).Find(page)
	return string(m)
}

// reviewWith serves the staff site with referral-basics' review key set to
// mode.
func reviewWith(t *testing.T, srv *web.Server, mode string) {
	t.Helper()
	quizzes := map[string]*quiz.Quiz{}
	for id, q := range staffSite.quizzes {
		quizzes[id] = q
	}
	c := *quizzes["referral-basics"]
	c.Review = mode
	quizzes["referral-basics"] = &c
	installRelease(t, srv, staffSite, quizzes)
}

func getPage(t *testing.T, c *http.Client, u string) (int, []byte, http.Header) {
	t.Helper()
	return do(t, c, "GET", u, nil, "")
}

// TestAttemptReview: a learner takes a quiz, follows the result page to its
// review and sees each question as shown, their choice and the
// explanation; the right option is marked only when the quiz's review is
// full, and a score review shows no question. Nobody else's attempt can be
// reviewed but by trainers and admins, who see all of it; the review
// writes nothing and logs no id.
func TestAttemptReview(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	var srv *web.Server
	ts, logs := startStaffServer(t, func(s *web.Server) { srv = s; s.SetStaff(staffTraining(st)) })
	learner := client(t, ts, "learner@example.org")
	q := staffSite.quizzes["referral-basics"]
	tq := takeQuiz(t, learner, ts.URL)
	review := "/training/attempts/" + tq.Attempt + "/review"
	if !strings.Contains(string(tq.result), `href="`+review+`"`) {
		t.Fatalf("the result page does not link to the review %s:\n%s", review, tq.result)
	}
	before, err := st.Attempt(context.Background(), tq.Attempt)
	if err != nil {
		t.Fatal(err)
	}

	// explanations, the default: choices, right or not, explanations; no key.
	status, page, h := getPage(t, learner, ts.URL+review)
	if status != http.StatusOK || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("review: %d, Cache-Control %q", status, h.Get("Cache-Control"))
	}
	for _, p := range tq.Questions {
		if !strings.Contains(string(page), html.EscapeString(p.Prompt)) {
			t.Errorf("the review lacks the question %q", p.Prompt)
		}
		for _, o := range p.Options {
			if optionLine(page, o.Text) == "" {
				t.Errorf("the review lacks option %q of %q", o.Text, p.Prompt)
			}
		}
	}
	for _, qu := range q.Questions {
		if mark := explanationMark(q, qu); mark != "" && shown(tq.Questions, qu.Prompt) && !strings.Contains(string(page), html.EscapeString(mark)) {
			t.Errorf("the review lacks the explanation of %s", qu.ID)
		}
	}
	chosen := 0
	for _, opts := range tq.answers {
		chosen += len(opts)
	}
	if got := strings.Count(string(page), "your answer</strong>"); got != chosen {
		t.Errorf("%d choices marked, want %d", got, chosen)
	}
	if line := optionLine(page, tq.chosenText); !strings.Contains(line, "your answer") {
		t.Errorf("the wrong choice is not marked as the learner's: %q", line)
	}
	if line := optionLine(page, tq.rightText); line != "<li>"+html.EscapeString(tq.rightText)+"</li>" {
		t.Errorf("explanations review marks the right option of a question got wrong: %q", line)
	}
	for _, label := range []string{"right answer", "correct answer", "correct option"} {
		if strings.Contains(strings.ToLower(string(page)), label) {
			t.Errorf("explanations review has a %q label", label)
		}
	}
	if strings.Count(string(page), "not right</h2>") != 1 || strings.Count(string(page), "</span>right</h2>") != len(tq.Questions)-1 {
		t.Errorf("right and wrong are not said in words for each question:\n%s", page)
	}

	// full: the right answer is marked as such.
	reviewWith(t, srv, quiz.ReviewFull)
	_, page, _ = getPage(t, learner, ts.URL+review)
	if line := optionLine(page, tq.rightText); !strings.Contains(line, "right answer") {
		t.Errorf("full review does not mark the right option: %q", line)
	}

	// score: no question at all.
	reviewWith(t, srv, quiz.ReviewScore)
	status, page, _ = getPage(t, learner, ts.URL+review)
	if status != http.StatusOK || !strings.Contains(string(page), "Score: <strong>75%</strong>, <strong>passed</strong>") {
		t.Errorf("score review: %d\n%s", status, page)
	}
	for _, qu := range q.Questions {
		if strings.Contains(string(page), html.EscapeString(qu.Prompt)) || strings.Contains(string(page), "See: ") {
			t.Errorf("score review shows question %s or its explanation", qu.ID)
		}
	}

	// Trainers and admins see all of it, whoever's; others see nothing.
	for _, who := range []string{"trainer", "admin"} {
		status, page, _ := getPage(t, client(t, ts, who+"@example.org"), ts.URL+review)
		if status != http.StatusOK || !strings.Contains(optionLine(page, tq.rightText), "right answer") ||
			!strings.Contains(string(page), "Attempt by learner (Police)") || !strings.Contains(string(page), html.EscapeString(tq.wrong.Prompt)) {
			t.Errorf("%s's review of a score-only attempt: %d\n%s", who, status, page)
		}
	}
	for _, who := range []string{"other", "analyst"} {
		status, page, _ := getPage(t, client(t, ts, who+"@example.org"), ts.URL+review)
		if status != http.StatusNotFound || strings.Contains(string(page), "75%") {
			t.Errorf("%s opens the learner's review: %d", who, status)
		}
		if unknown, _, _ := getPage(t, client(t, ts, who+"@example.org"), ts.URL+"/training/attempts/NOSUCHATTEMPT/review"); unknown != status {
			t.Errorf("%s: someone else's attempt %d, an unknown one %d: ids can be probed", who, status, unknown)
		}
	}
	if status, _, h := getPage(t, client(t, ts, ""), ts.URL+review); status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login?next=") {
		t.Errorf("anonymous: %d %s", status, h.Get("Location"))
	}

	// An attempt not submitted yet is not reviewed.
	open, _ := startQuiz(t, learner, ts.URL, q.ID)
	if status, page, _ := getPage(t, learner, ts.URL+"/training/attempts/"+open.Attempt+"/review"); status != http.StatusConflict || !strings.Contains(string(page), "not submitted yet") {
		t.Errorf("an open attempt: %d", status)
	}
	if status, _, _ := getPage(t, client(t, ts, "other@example.org"), ts.URL+"/training/attempts/"+open.Attempt+"/review"); status != http.StatusNotFound {
		t.Errorf("someone else's open attempt: %d, want 404", status)
	}

	// The quiz republished without the question got wrong: said, not failed.
	quizzes := map[string]*quiz.Quiz{}
	for id, other := range staffSite.quizzes {
		quizzes[id] = other
	}
	changed := *q
	changed.Questions = nil
	for _, qu := range q.Questions {
		if qu.Prompt != tq.wrong.Prompt {
			changed.Questions = append(changed.Questions, qu)
		}
	}
	quizzes[q.ID] = &changed
	installRelease(t, srv, staffSite, quizzes)
	status, page, _ = getPage(t, learner, ts.URL+review)
	if status != http.StatusOK || !strings.Contains(string(page), "taken out of the quiz after this attempt") || strings.Contains(string(page), html.EscapeString(tq.wrong.Prompt)) {
		t.Errorf("review after the quiz changed: %d\n%s", status, page)
	}

	// Reviews wrote nothing, logged no attempt id and no error.
	after, err := st.Attempt(context.Background(), tq.Attempt)
	if err != nil || !reflect.DeepEqual(before, after) {
		t.Errorf("the attempt changed while reviewed:\n%+v\n%+v", before, after)
	}
	if strings.Contains(logs.String(), tq.Attempt) || strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("the log holds the attempt id or an error:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "path=/training/attempts/{id}/review") {
		t.Error("reviews are not logged under their route")
	}
}

// shown tells whether an attempt showed the question with prompt.
func shown(questions []quiz.Presented, prompt string) bool {
	for _, p := range questions {
		if p.Prompt == prompt {
			return true
		}
	}
	return false
}

// TestAttemptLinks: My training lists each graded attempt, the latest
// first, linked to its review; the trainers' list of a quiz's attempts
// links each one too, and learners cannot open it.
func TestAttemptLinks(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	ts := staffServer(t, st)
	learner := client(t, ts, "learner@example.org")
	first := takeQuiz(t, learner, ts.URL)
	second := takeQuiz(t, learner, ts.URL)
	other := takeQuiz(t, client(t, ts, "other@example.org"), ts.URL)
	_, page, _ := getPage(t, learner, ts.URL+"/training/my/")
	i, j := strings.Index(string(page), reviewHref(second)), strings.Index(string(page), reviewHref(first))
	if i < 0 || j < 0 || i > j || strings.Contains(string(page), reviewHref(other)) || !strings.Contains(string(page), "Your past attempts") {
		t.Errorf("My training lists reviews at %d (latest) and %d (first), other's too: %v\n%s", i, j, strings.Contains(string(page), reviewHref(other)), page)
	}
	// A learner with no graded attempt gets no empty list.
	if _, page, _ := getPage(t, client(t, ts, "analyst@example.org"), ts.URL+"/training/my/"); strings.Contains(string(page), "Your past attempts") {
		t.Error("My training shows an empty list of past attempts")
	}

	trainer := client(t, ts, "trainer@example.org")
	status, page, _ := getPage(t, trainer, ts.URL+"/admin/reports/attempts?quiz=referral-basics")
	for _, tq := range []takenQuiz{first, second, other} {
		if !strings.Contains(string(page), reviewHref(tq)) {
			t.Errorf("the trainers' list lacks attempt %s", tq.Attempt)
		}
	}
	if status != http.StatusOK || !strings.Contains(string(page), "3 graded attempts") || strings.Index(string(page), reviewHref(other)) > strings.Index(string(page), reviewHref(first)) {
		t.Errorf("trainers' list: %d\n%s", status, page)
	}
	for _, path := range []string{"/admin/reports/attempts", "/admin/reports/items"} {
		_, page, _ := getPage(t, trainer, ts.URL+path+"?quiz=trafficking-basics")
		if !strings.Contains(string(page), `<form class="form" method="get" action="`+path+`">`) || !strings.Contains(string(page), `<option value="trafficking-basics" selected>`) {
			t.Errorf("%s: no quiz to choose, or not the one shown", path)
		}
	}
	if _, page, _ := getPage(t, trainer, ts.URL+"/admin/reports/"); !strings.Contains(string(page), `href="/admin/reports/attempts"`) {
		t.Error("the reports do not link to the attempts")
	}
	for _, c := range []struct {
		path string
		want int
	}{
		{"/admin/reports/attempts", http.StatusOK}, // the first module's quiz
		{"/admin/reports/attempts?quiz=no-such-quiz", http.StatusBadRequest},
		{"/admin/reports/attempts?quiz=referral-basics&page=0", http.StatusBadRequest},
		{"/admin/reports/attempts?quiz=referral-basics&page=x", http.StatusBadRequest},
		{"/admin/reports/attempts?quiz=referral-basics&page=9", http.StatusOK},
	} {
		if status, _, _ := getPage(t, trainer, ts.URL+c.path); status != c.want {
			t.Errorf("%s: %d, want %d", c.path, status, c.want)
		}
	}
	// A hundred more: two pages, linked both ways.
	u, _ := st.UserByEmail(context.Background(), "other@example.org")
	at := time.Now().UTC().Add(-24 * time.Hour)
	for i := range 100 {
		a := store.Attempt{ID: fmt.Sprintf("OLD%03d", i), UserID: u.ID, QuizID: "referral-basics", Drawn: []string{"x"}, StartedAt: at}
		st.CreateAttempt(context.Background(), a)
		a.SubmittedAt, a.Results = &at, []byte("[]")
		if _, err := st.SubmitAttempt(context.Background(), a, nil); err != nil {
			t.Fatal(err)
		}
	}
	_, page, _ = getPage(t, trainer, ts.URL+"/admin/reports/attempts?quiz=referral-basics")
	if !strings.Contains(string(page), "103 graded attempts; showing 1–100.") || !strings.Contains(string(page), `href="/admin/reports/attempts?page=2&amp;quiz=referral-basics" rel="next"`) ||
		strings.Contains(string(page), `rel="prev"`) || strings.Contains(string(page), "OLD099") {
		t.Errorf("the first of two pages:\n%s", page)
	}
	_, page, _ = getPage(t, trainer, ts.URL+"/admin/reports/attempts?quiz=referral-basics&page=2")
	if !strings.Contains(string(page), "showing 101–103.") || !strings.Contains(string(page), `rel="prev"`) || strings.Contains(string(page), `rel="next"`) ||
		!strings.Contains(string(page), "/training/attempts/OLD099/review") {
		t.Errorf("the second of two pages:\n%s", page)
	}
	if status, _, _ := getPage(t, learner, ts.URL+"/admin/reports/attempts?quiz=referral-basics"); status != http.StatusForbidden {
		t.Errorf("a learner opens the trainers' list: %d", status)
	}
}

func reviewHref(tq takenQuiz) string {
	return fmt.Sprintf(`href="/training/attempts/%s/review"`, tq.Attempt)
}

// TestScoreOnlyResultPage: with review: score, neither the result page nor
// the API's grade shows a question or an explanation; the review link is
// still there, for the score.
func TestScoreOnlyResultPage(t *testing.T) {
	st := sqliteStore(t)
	seedUsers(t, st)
	var srv *web.Server
	ts, _ := startStaffServer(t, func(s *web.Server) { srv = s; s.SetStaff(staffTraining(st)) })
	reviewWith(t, srv, quiz.ReviewScore)
	q := staffSite.quizzes["referral-basics"]
	tq := takeQuiz(t, client(t, ts, "learner@example.org"), ts.URL)
	if !strings.Contains(string(tq.result), reviewHref(tq)) || !strings.Contains(string(tq.result), "shows only your score") {
		t.Errorf("score-only result page:\n%s", tq.result)
	}
	for _, qu := range q.Questions {
		if strings.Contains(string(tq.result), html.EscapeString(qu.Prompt)) || strings.Contains(string(tq.result), "See: ") {
			t.Errorf("the score-only result page shows question %s or its explanation", qu.ID)
		}
	}
	other := client(t, ts, "other@example.org")
	s, _ := startQuiz(t, other, ts.URL, q.ID)
	status, g := submit(t, other, ts.URL, q.ID, s.Attempt, rightAnswers(q, s.Questions))
	if results, ok := g["results"].([]any); status != http.StatusOK || g["score"] != float64(100) || !ok || len(results) != 0 {
		t.Errorf("score-only API grade: %d %v", status, g)
	}
}
