package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"northstar/internal/auth"
	"northstar/internal/config"
	"northstar/internal/quiz"
	"northstar/internal/release"
	"northstar/internal/site"
	"northstar/internal/store"
	"northstar/internal/training"
	"northstar/internal/web"
	"northstar/internal/web/webtest"
)

const (
	reportStaff    = 10_000
	reportModules  = 10
	reportAttempts = 3 // per person and module
)

var reportDepartments = []string{"311", "Civil Rights", "Fire", "Health", "Library", "Police", "Regulatory Services", "Other"}

// BenchmarkReports times every trainer report through HTTP over 10,000 staff
// × 10 modules × 3 graded attempts each (300,000 attempts, with real graded
// results and compact answers), on SQLite and, when NORTHSTAR_TEST_POSTGRES
// is set, PostgreSQL: the median of three requests after one to warm up.
// Goal: each under 1 s.
func BenchmarkReports(b *testing.B) {
	config.TuneGC(os.LookupEnv)
	quizzes, probs, err := quiz.LoadDir("../quizzes")
	if err != nil || len(probs) > 0 {
		b.Fatal(err, probs)
	}
	out := filepath.Join(b.TempDir(), "public")
	if _, err := site.Build(site.Options{Root: "..", OutDir: out}); err != nil {
		b.Fatal(err)
	}
	siteModules, err := training.ReadModules("..")
	if err != nil {
		b.Fatal(err)
	}
	modules, quizzes := tenModules(siteModules, quizzes)
	benchEngines(b, func(b *testing.B, st store.Store, driver, raw string) {
		start := time.Now()
		seedReports(b, st, driver, raw, modules, quizzes)
		b.Logf("seeded in %s", time.Since(start).Round(time.Second))

		srv := web.New(slog.New(slog.NewTextHandler(io.Discard, nil)))
		srv.SetStaff(&web.Staff{Store: st, Sessions: auth.NewSessions(st), PublicURL: "https://northstar.example.gov"})
		if err := srv.Install(release.New(release.Parts{SiteDir: out, Quizzes: quizzes, Modules: modules, Departments: reportDepartments})); err != nil {
			b.Fatal(err)
		}
		ts := httptest.NewServer(srv.Handler())
		defer ts.Close()
		c := webtest.NewClient(nil)
		if err := webtest.SignIn(c, ts.URL, "trainer@example.org", "a long enough passphrase"); err != nil {
			b.Fatal(err)
		}
		reportMedians(b, ts.URL, []timedRequest{
			{"completion", "/admin/reports/", c},
			{"overdue-all", "/admin/reports/overdue", c},
			{"overdue-filtered", "/admin/reports/overdue?department=Police&module=" + modules[0].Slug, c},
			{"items", "/admin/reports/items?quiz=" + modules[0].Quiz, c},
			{"csv", "/admin/reports/completions.csv", c},
			{"xapi", "/admin/reports/xapi.jsonl", c},
		})
	})
}

// tenModules makes the site's modules up to ten, the extra ones copies of
// the first quizzes under their own ids.
func tenModules(mods []training.Module, quizzes map[string]*quiz.Quiz) ([]training.Module, map[string]*quiz.Quiz) {
	out := append([]training.Module(nil), mods...)
	qs := map[string]*quiz.Quiz{}
	for k, v := range quizzes {
		qs[k] = v
	}
	for i := 0; len(out) < reportModules; i++ {
		m := mods[i%len(mods)]
		q := *quizzes[m.Quiz]
		q.ID = fmt.Sprintf("%s-copy%d", q.ID, i)
		qs[q.ID] = &q
		m.Slug, m.Quiz, m.Title = fmt.Sprintf("%s-copy%d", m.Slug, i), q.ID, m.Title+" (copy)"
		m.URL = "/training/" + m.Slug + "/"
		out = append(out, m)
	}
	return out, qs
}

// seedReports writes the data set straight into the tables in multi-row
// inserts (the store's one-row API would take too long for 300,000
// attempts): staff across departments, three graded attempts per person and
// module — real results from the quiz's own grading — a certificate for each
// pass (some expired by now), and department and personal assignments.
func seedReports(b *testing.B, st store.Store, driver, dsn string, modules []training.Module, quizzes map[string]*quiz.Quiz) {
	ctx := context.Background()
	hash, _ := auth.HashPassword("a long enough passphrase")
	trainer, err := st.CreateUser(ctx, store.User{Email: "trainer@example.org", Name: "Trainer", Department: "Other", Role: store.RoleTrainer, PasswordHash: hash})
	if err != nil {
		b.Fatal(err)
	}
	ins := openBulk(b, driver, dsn)
	defer ins.close()
	now := time.Now().UTC()
	r := rand.New(rand.NewPCG(1, 2))
	joined := now.AddDate(-3, 0, 0)
	for i := 0; i < reportStaff; i++ {
		ins.add(b, "users (id, email, name, department, role, password_hash, disabled, created_at)",
			int64(i+100), fmt.Sprintf("staff%05d@example.org", i), fmt.Sprintf("Staff Member %05d", i), reportDepartments[i%len(reportDepartments)], "learner", "x", false, joined)
	}
	ins.flush(b)
	for i, m := range modules {
		q := quizzes[m.Quiz]
		ids := make([]string, len(q.Questions))
		for k, qu := range q.Questions {
			ids[k] = qu.ID
		}
		key := q.Key(ids)
		wrong := map[string][]string{}
		for _, qu := range q.Questions {
			if qu.Kind == quiz.TrueFalse {
				wrong[qu.ID] = []string{fmt.Sprint(!*qu.Answer)}
			}
			for _, o := range qu.Options {
				if !o.Correct && wrong[qu.ID] == nil {
					wrong[qu.ID] = []string{o.ID}
				}
			}
		}
		for u := 0; u < reportStaff; u++ {
			userID := int64(u + 100)
			for a := 0; a < reportAttempts; a++ {
				drawn := q.DrawQuestions(r)
				// Ability differs by person; the third attempt is the best.
				ability := 0.45 + 0.5*float64((u*7+i)%100)/100 + 0.1*float64(a)
				answers := map[string][]string{}
				for _, id := range drawn {
					if r.Float64() < ability {
						answers[id] = key[id]
					} else {
						answers[id] = wrong[id]
					}
				}
				g, err := q.Grade(drawn, answers)
				if err != nil {
					b.Fatal(err)
				}
				results, _ := json.Marshal(g.Results)
				compact := make([]training.Answer, len(g.Results))
				for k, res := range g.Results {
					compact[k] = training.Answer{Question: res.Question, Correct: res.Correct, Chosen: res.Chosen}
				}
				answersJSON, _ := json.Marshal(compact)
				drawnJSON, _ := json.Marshal(drawn)
				id := fmt.Sprintf("m%02du%05da%d", i, u, a)
				submitted := now.AddDate(0, 0, -r.IntN(540)).Add(time.Duration(a) * time.Hour)
				ins.add(b, "attempts (id, user_id, quiz_id, drawn, started_at, submitted_at, results, answers, score, passed)",
					id, userID, q.ID, string(drawnJSON), submitted.Add(-20*time.Minute), submitted, string(results), string(answersJSON), g.Score, g.Passed)
				if g.Passed {
					ins.later("certificates (code, user_id, module, attempt_id, score, passed_at, valid_until)",
						fmt.Sprintf("C%02d%05d%d", i, u, a)+"XX", userID, m.Slug, id, g.Score, submitted, training.ValidUntil(submitted, 12))
				}
			}
		}
		ins.flush(b)
	}
	certs := len(ins.deferred["certificates (code, user_id, module, attempt_id, score, passed_at, valid_until)"])
	b.Logf("%d staff, %d modules, %d attempts, %d certificates", reportStaff, len(modules), reportStaff*len(modules)*reportAttempts, certs)
	ins.flushLater(b)
	for i, m := range modules[:5] {
		for k, d := range reportDepartments {
			due := now.AddDate(0, 0, 30*(i+k)%90-30) // some past, some to come
			ins.add(b, "assignments (module, department, due_at, assigned_by, created_at)", m.Slug, d, due, trainer.ID, now.AddDate(0, -2, 0))
		}
	}
	for u := 0; u < reportStaff; u += 50 {
		ins.add(b, "assignments (module, user_id, due_at, assigned_by, created_at)", modules[7].Slug, int64(u+100), now.AddDate(0, 0, -3), trainer.ID, now.AddDate(0, -1, 0))
	}
	ins.flush(b)
	ins.commit(b)
}

// bulk gathers rows into multi-row INSERTs of up to 500 rows, in one
// transaction.
type bulk struct {
	db       *sql.DB
	tx       *sql.Tx
	pgx      bool
	table    string
	rows     [][]any
	deferred map[string][][]any
}

// openBulk begins a transaction on the database at dsn.
func openBulk(b *testing.B, driver, dsn string) *bulk {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		b.Fatal(err)
	}
	tx, err := db.BeginTx(context.Background(), nil)
	if err != nil {
		db.Close()
		b.Fatal(err)
	}
	return &bulk{db: db, tx: tx, pgx: driver == "pgx"}
}

// commit writes what is left and commits. Ids were given explicitly, so
// PostgreSQL's user sequence moves past them, and its planner gets
// statistics of the new rows.
func (k *bulk) commit(b *testing.B) {
	ctx := context.Background()
	k.flush(b)
	if k.pgx {
		if _, err := k.tx.ExecContext(ctx, `SELECT setval('users_id_seq', (SELECT MAX(id) FROM users))`); err != nil {
			b.Fatal(err)
		}
	}
	if err := k.tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if k.pgx {
		k.db.ExecContext(ctx, "ANALYZE")
	}
}

// close ends the transaction if commit did not, and the connection.
func (k *bulk) close() {
	k.tx.Rollback()
	k.db.Close()
}

func (k *bulk) add(b *testing.B, table string, vals ...any) {
	if k.table != table {
		k.flush(b)
		k.table = table
	}
	k.rows = append(k.rows, vals)
	if len(k.rows) == 500 {
		k.flush(b)
	}
}

// later keeps rows for a table to insert after the others (certificates
// after their attempts).
func (k *bulk) later(table string, vals ...any) {
	if k.deferred == nil {
		k.deferred = map[string][][]any{}
	}
	k.deferred[table] = append(k.deferred[table], vals)
}

func (k *bulk) flushLater(b *testing.B) {
	for table, rows := range k.deferred {
		for _, r := range rows {
			k.add(b, table, r...)
		}
	}
	k.flush(b)
}

func (k *bulk) flush(b *testing.B) {
	if len(k.rows) == 0 {
		return
	}
	var q strings.Builder
	q.WriteString("INSERT INTO " + k.table + " VALUES ")
	var args []any
	for i, row := range k.rows {
		if i > 0 {
			q.WriteString(",")
		}
		q.WriteString("(")
		for j, v := range row {
			if j > 0 {
				q.WriteString(",")
			}
			args = append(args, v)
			if k.pgx {
				fmt.Fprintf(&q, "$%d", len(args))
			} else {
				q.WriteString("?")
			}
		}
		q.WriteString(")")
	}
	if _, err := k.tx.Exec(q.String(), args...); err != nil {
		b.Fatalf("insert into %s: %v", k.table, err)
	}
	k.rows = k.rows[:0]
}
