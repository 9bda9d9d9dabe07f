package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"northstar/internal/auth"
	"northstar/internal/config"
	"northstar/internal/referral"
	"northstar/internal/release"
	"northstar/internal/site"
	"northstar/internal/store"
	"northstar/internal/web"
	"northstar/internal/web/webtest"
)

const (
	benchReferrals  = 100_000
	referralStaff   = 4_000 // half of them trained
	referralYears   = 3
	busiestRecorder = 1_000 // referrals by the one recorder whose list is timed
)

// BenchmarkReferralReports times the referral report page, its CSV and
// the busiest recorder's own list through HTTP over 100,000 referrals
// recorded by 4,000 staff of eight departments over three years, on
// SQLite and, when NORTHSTAR_TEST_POSTGRES is set, PostgreSQL: the median
// of three requests after one to warm up. Goal: each under 1 s.
func BenchmarkReferralReports(b *testing.B) {
	config.TuneGC(os.LookupEnv)
	out := filepath.Join(b.TempDir(), "public")
	if _, err := site.Build(site.Options{Root: "..", OutDir: out}); err != nil {
		b.Fatal(err)
	}
	cfg, err := site.LoadConfig("..")
	if err != nil {
		b.Fatal(err)
	}
	settings, err := referral.SettingsFrom(cfg)
	if err != nil {
		b.Fatal(err)
	}
	pages, err := site.ScanContent("..", cfg)
	if err != nil {
		b.Fatal(err)
	}
	directory := referral.ResourcesFromContent(pages)
	benchEngines(b, func(b *testing.B, st store.Store, driver, raw string) {
		start := time.Now()
		seedReferrals(b, st, driver, raw, settings, directory)
		b.Logf("seeded in %s", time.Since(start).Round(time.Second))

		srv := web.New(slog.New(slog.NewTextHandler(io.Discard, nil)))
		srv.SetStaff(&web.Staff{Store: st, Sessions: auth.NewSessions(st), PublicURL: "https://northstar.example.gov"})
		if err := srv.Install(release.New(release.Parts{SiteDir: out, Departments: reportDepartments,
			Directory: directory, Referrals: settings})); err != nil {
			b.Fatal(err)
		}
		ts := httptest.NewServer(srv.Handler())
		defer ts.Close()
		analyst, busiest := webtest.NewClient(nil), webtest.NewClient(nil)
		if err := webtest.SignIn(analyst, ts.URL, "analyst@example.org", "a long enough passphrase"); err != nil {
			b.Fatal(err)
		}
		if err := webtest.SignIn(busiest, ts.URL, "busiest@example.org", "a long enough passphrase"); err != nil {
			b.Fatal(err)
		}
		reportMedians(b, ts.URL, []timedRequest{
			{"report", "/admin/referrals/", analyst},
			{"csv", "/admin/referrals/referrals.csv", analyst},
			{"mine", "/referrals/", busiest},
		})
	})
}

// seedReferrals writes staff (half trained: a certificate each), an
// analyst, the busiest recorder, and benchReferrals referrals with one to
// three services and a history each, straight into the tables.
func seedReferrals(b *testing.B, st store.Store, driver, dsn string, set referral.Settings, directory []referral.Resource) {
	ctx := context.Background()
	hash, _ := auth.HashPassword("a long enough passphrase")
	if _, err := st.CreateUser(ctx, store.User{Email: "analyst@example.org", Name: "Analyst", Department: "Other", Role: store.RoleAnalyst, PasswordHash: hash}); err != nil {
		b.Fatal(err)
	}
	busy, err := st.CreateUser(ctx, store.User{Email: "busiest@example.org", Name: "Busiest", Department: "Police", Role: store.RoleLearner, PasswordHash: hash})
	if err != nil {
		b.Fatal(err)
	}
	ins := openBulk(b, driver, dsn)
	defer ins.close()
	now := time.Now().UTC()
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < referralStaff; i++ {
		ins.add(b, "users (id, email, name, department, role, password_hash, disabled, created_at)",
			int64(i+100), fmt.Sprintf("staff%05d@example.org", i), fmt.Sprintf("Staff Member %05d", i), reportDepartments[i%len(reportDepartments)], "learner", "x", false, now.AddDate(-3, 0, 0))
	}
	passedAt := func(i int) time.Time { return now.AddDate(0, 0, -(i*7)%300) }
	for i := 0; i < referralStaff; i += 2 {
		ins.add(b, "attempts (id, user_id, quiz_id, drawn, started_at, submitted_at, results, answers, score, passed)",
			fmt.Sprintf("a%05d", i), int64(i+100), "referral-basics", "[]", passedAt(i), passedAt(i), "[]", "[]", 90, true)
	}
	for i := 0; i < referralStaff; i += 2 {
		ins.add(b, "certificates (code, user_id, module, attempt_id, score, passed_at, valid_until)",
			fmt.Sprintf("C%05dXX", i), int64(i+100), "referral-basics", fmt.Sprintf("a%05d", i), 90, passedAt(i), passedAt(i).AddDate(1, 0, 0))
	}
	ins.flush(b)
	pick := func(list []referral.Choice) string { return list[r.IntN(len(list))].ID }
	yesNo := func() bool { return r.IntN(2) == 0 }
	for i := 0; i < benchReferrals; i++ {
		recorder := int64(100 + r.IntN(referralStaff))
		if i < busiestRecorder {
			recorder = busy.ID
		}
		day := referral.Today(now).AddDate(0, 0, -r.IntN(365*referralYears))
		recorded := day.Add(time.Duration(9+r.IntN(8)) * time.Hour).UTC()
		age := pick(referral.AgeGroups)
		cp := referral.NotAsked
		if age == referral.Under18 {
			cp = []string{"yes", "no"}[r.IntN(2)]
		}
		outcome := ""
		if r.IntN(3) > 0 {
			outcome = pick(referral.Outcomes)
		}
		id := fmt.Sprintf("R%07d", i)
		dept := reportDepartments[int(recorder)%len(reportDepartments)]
		if recorder == busy.ID {
			dept = "Police"
		}
		ins.add(b, "referrals (id, recorded_by, department, occurred_on, recorded_at, source, suspected, age_group, danger, called_911, child_protection, language, interpreter, warm_handoff, agreed, outcome, outcome_at)",
			id, recorder, dept, day.Format("2006-01-02"), recorded, pick(set.Sources), pick(referral.Suspected), age, yesNo(), yesNo(), cp,
			pick(set.Languages), pick(referral.Interpreters), yesNo(), yesNo(), outcome, nullTime(outcome != "", recorded.Add(72*time.Hour)))
		first := r.IntN(len(directory))
		for k := 0; k < 1+r.IntN(3); k++ {
			ins.later("referral_services (referral_id, service)", id, directory[(first+k)%len(directory)].Slug)
		}
		ins.later("referral_changes (referral_id, seq, changed_at, changed_by, what, value)", id, 1, recorded, recorder, "recorded", "")
		if outcome != "" {
			ins.later("referral_changes (referral_id, seq, changed_at, changed_by, what, value)", id, 2, recorded.Add(72*time.Hour), recorder, "outcome", outcome)
		}
	}
	ins.flush(b)
	ins.flushLater(b)
	ins.commit(b)
}

func nullTime(ok bool, t time.Time) any {
	if ok {
		return t
	}
	return nil
}
