package web_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"northstar/internal/auth"
	"northstar/internal/store"
	"northstar/internal/web"
)

var updateScreenshots = flag.Bool("screenshots", false, "retake the trainers' guide screenshots in docs/img")

// TestTrainerGuideScreenshots follows the trainers' guide (docs/publishing.md)
// in real Chromium: the sample module, lesson and quiz are taken from the
// guide's own text into a copy of the site, and the staff pages the guide
// shows are opened as a trainer of the Library: the quiz preview, the quiz,
// its result and My training. It checks that each shows what the guide's
// picture says; with -screenshots it retakes those pictures:
//
//	go test ./internal/web -run TestTrainerGuideScreenshots -screenshots
func TestTrainerGuideScreenshots(t *testing.T) {
	root := t.TempDir()
	for _, dir := range []string{"content", "themes", "quizzes"} {
		if err := os.CopyFS(filepath.Join(root, dir), os.DirFS(filepath.Join("../..", dir))); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := os.ReadFile("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	guide, err := os.ReadFile("../../docs/publishing.md")
	if err != nil {
		t.Fatal(err)
	}
	block := func(lang, first string) string {
		t.Helper()
		m := regexp.MustCompile("(?s)```" + lang + "\n(" + regexp.QuoteMeta(first) + ".*?)```").FindSubmatch(guide)
		if m == nil {
			t.Fatalf("the guide has no %s block starting %q", lang, first)
		}
		return string(m[1])
	}
	module := filepath.Join(root, "content", "training", "library-outreach")
	files := map[string]string{
		"config.toml": string(cfg),
		"content/training/library-outreach/_index.md":           block("markdown", "---\ntitle: \"Library outreach\""),
		"content/training/library-outreach/what-you-may-see.md": block("markdown", "---\ntitle: \"What you may see\""),
		"content/training/library-outreach/who-to-tell.md":      "---\ntitle: \"Who to tell\"\ndescription: \"Who to call first, and how to pass your concern on.\"\nweight: 2\n---\n\nIn immediate danger, call 911. Otherwise use the [referral guide](/training/referral-guide/).\n",
		"quizzes/library-outreach.yaml":                         block("yaml", "title: \"Library outreach\""),
	}
	if err := os.MkdirAll(module, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	site := &testSite{root: root}
	if err := site.build(t.TempDir()); err != nil {
		t.Fatalf("the site with the guide's sample module: %v", err)
	}
	st := sqliteStore(t)
	hash, _ := auth.HashPassword(testPassword)
	if _, err := st.CreateUser(context.Background(), store.User{Email: "you@example.org", Name: "Your Name", Department: "Library", Role: store.RoleTrainer, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	ts, _ := serveSite(t, site, func(s *web.Server) { s.SetStaff(staffTraining(st)) })

	b := newStaffTab(t)
	b.signInAt(ts.URL, "/admin/quizzes/", "you@example.org")
	shot := func(name, selector string, want ...string) {
		t.Helper()
		b.waitFor(name, func(s pageState) bool { return s.ReadyState == "complete" })
		text, err := chromedp.Run(b.tab, chromedp.Text(chromedp.CSS(selector)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the picture's text lacks %q", name, w)
			}
		}
		if !*updateScreenshots {
			return
		}
		png, err := chromedp.Run(b.tab, chromedp.Screenshot(chromedp.CSS(selector)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join("../../docs/img", name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	shot("publishing-quiz-preview", "section:has(> h2#library-outreach)",
		"quizzes/library-outreach.yaml", "pass mark 80%", "3 of 3 questions drawn per attempt, shuffled", "Answer: false")
	if err := chromedp.Do(b.tab, chromedp.Navigate(ts.URL+"/training/library-outreach/quiz/")); err != nil {
		t.Fatal(err)
	}
	shot("publishing-quiz", "main", "Signed in as", "3 questions. You pass with 80% or more.", "Submit answers")
	// Answer as the key says, by the options' words.
	for _, label := range []string{"False", "Call 911.", "Use the referral guide to find the right service.", "Tell your supervisor."} {
		if err := chromedp.Do(b.tab, chromedp.Click(`//label[normalize-space(.)="`+label+`"]`)); err != nil {
			t.Fatalf("choose %q: %v", label, err)
		}
	}
	if err := chromedp.Do(b.tab, chromedp.Click(chromedp.CSS(`form.quiz button[type="submit"]`))); err != nil {
		t.Fatal(err)
	}
	b.waitFor("the result", func(s pageState) bool { return strings.Contains(s.Text, "Your result:") })
	shot("publishing-quiz-result", "main", "Your result: 100%", "You passed. The pass mark is 80%.", "Download it as a PDF", "See: who-to-tell", "Review this attempt")
	if err := chromedp.Do(b.tab, chromedp.Navigate(ts.URL+"/training/my/")); err != nil {
		t.Fatal(err)
	}
	shot("publishing-my-training", "main", "Library outreach", "for your department", "completed", "100%", "valid until")
}
