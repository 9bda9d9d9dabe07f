package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"northstar/internal/auth"
	"northstar/internal/quiz"
	"northstar/internal/store"
	"northstar/internal/store/storetest"
	"northstar/internal/web/webtest"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// binary builds the real northstar binary once per test run.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "northstar-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "northstar")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// startServe runs the real binary's serve on a free port and returns its URL.
func startServe(t *testing.T, bin, data string, extra ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--site", "../.."}, extra...)...)
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed nothing: %v", err)
	}
	go io.Copy(io.Discard, out)
	i := strings.Index(line, "http://")
	if i < 0 {
		t.Fatalf("no URL in %q", line)
	}
	return cmd, strings.TrimSuffix(strings.TrimSpace(line[i:]), "/")
}

// TestAcknowledgedAttemptsSurviveSIGKILL submits graded attempts from eight
// clients, kills the server with SIGKILL mid-load, restarts it, and checks
// that every attempt the server acknowledged is recorded with its score: on
// SQLite, and on PostgreSQL (whose group commits go out as pipelined
// batches) when NORTHSTAR_TEST_POSTGRES is set.
func TestAcknowledgedAttemptsSurviveSIGKILL(t *testing.T) {
	killOnBothEngines(t, killMidLoad)
}

// killOnBothEngines runs a SIGKILL test on SQLite and, when
// NORTHSTAR_TEST_POSTGRES is set, on a database of its own there: run gets
// the store's DSN, serve's data directory and serve's extra flags.
func killOnBothEngines(t *testing.T, run func(t *testing.T, dsn, data string, extra ...string)) {
	if testing.Short() {
		t.Skip("builds and kills real server processes")
	}
	t.Run("sqlite", func(t *testing.T) {
		data := t.TempDir()
		run(t, data, data)
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresServer(t)
		if dsn == "" {
			t.Skip("NORTHSTAR_TEST_POSTGRES not set")
		}
		db := storetest.NewDatabase(t, dsn)
		run(t, db, t.TempDir(), "--db", db)
	})
}

// killMidLoad runs the SIGKILL rounds against serve on the store named by
// dsn (serve gets data and extra as its flags).
func killMidLoad(t *testing.T, dsn, data string, extra ...string) {
	bin := binary(t)
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	// One learner per worker: a learner's open attempt is shown again
	// until submitted, and a learner starts at most
	// training.MaxStartsPerDay attempts a day.
	const workers = 8
	hash, _ := auth.HashPassword("a long enough passphrase")
	for w := 0; w < workers; w++ {
		st.CreateUser(ctx, store.User{Email: fmt.Sprintf("k%d@example.org", w), Name: "K", Department: "Police", Role: store.RoleLearner, PasswordHash: hash})
	}
	st.Close()
	quizzes, _, _ := quiz.LoadDir("../../quizzes")
	q := quizzes["referral-basics"]

	acked := map[string]int{} // attempt id -> acknowledged score
	var mu sync.Mutex
	for round := 0; round < 3; round++ {
		cmd, base := startServe(t, bin, data, extra...)
		var wg sync.WaitGroup
		stop := make(chan struct{})
		roundAcks := 0
		for w := 0; w < workers; w++ {
			c := webtest.NewClient(nil)
			c.Timeout = 5 * time.Second
			if err := webtest.SignIn(c, base, fmt.Sprintf("k%d@example.org", w), "a long enough passphrase"); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					id, score, ok := oneAttempt(c, base, q, i%2 == 0)
					if ok {
						mu.Lock()
						acked[id] = score
						roundAcks++
						mu.Unlock()
					}
				}
			}()
		}
		// Kill mid-load: once enough attempts are through, while more are in flight.
		deadline := time.Now().Add(15 * time.Second)
		tick := time.NewTicker(5 * time.Millisecond)
		for range tick.C {
			mu.Lock()
			n := roundAcks
			mu.Unlock()
			if n >= 100 || time.Now().After(deadline) {
				break
			}
		}
		tick.Stop()
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		close(stop)
		wg.Wait()
		if roundAcks == 0 {
			t.Fatalf("round %d: no attempt was acknowledged before the kill", round)
		}
	}
	st, err = store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for id, score := range acked {
		a, err := st.Attempt(ctx, id)
		if err != nil || a.SubmittedAt == nil || a.Score != score {
			t.Errorf("acknowledged attempt %s (score %d) after SIGKILL: %+v %v", id, score, a, err)
		}
	}
	t.Logf("%d acknowledged attempts, all recorded", len(acked))
}

// oneAttempt starts and submits an attempt; ok when the grade was acknowledged.
func oneAttempt(c *http.Client, base string, q *quiz.Quiz, right bool) (string, int, bool) {
	s, err := webtest.StartAttempt(c, base, q.ID)
	if err != nil {
		return "", 0, false
	}
	answers := map[string][]string{}
	if right {
		answers = webtest.RightAnswers(q, s.Questions)
	}
	score, err := webtest.Submit(c, base, q.ID, s.Attempt, answers)
	return s.Attempt, score, err == nil
}

// TestTwoServeProcessesShareOnePostgres runs two real serve processes on one
// PostgreSQL database: a session from one works on the other, and an attempt
// started on one is graded on the other.
func TestTwoServeProcessesShareOnePostgres(t *testing.T) {
	dsn := storetest.PostgresServer(t)
	if dsn == "" {
		t.Skip("NORTHSTAR_TEST_POSTGRES not set")
	}
	if testing.Short() {
		t.Skip("runs real server processes")
	}
	db := storetest.NewDatabase(t, dsn)
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword("a long enough passphrase")
	st.CreateUser(ctx, store.User{Email: "p@example.org", Name: "P", Department: "Police", Role: store.RoleLearner, PasswordHash: hash})
	st.Close()
	bin := binary(t)
	_, a := startServe(t, bin, t.TempDir(), "--db", db)
	_, b := startServe(t, bin, t.TempDir(), "--db", db)

	c := webtest.NewClient(nil)
	if err := webtest.SignIn(c, a, "p@example.org", "a long enough passphrase"); err != nil {
		t.Fatalf("on A: %v", err)
	}
	ua, _ := url.Parse(a)
	ub, _ := url.Parse(b)
	c.Jar.SetCookies(ub, c.Jar.Cookies(ua))
	quizzes, _, _ := quiz.LoadDir("../../quizzes")
	q := quizzes["referral-basics"]
	// Start on A …
	s, err := webtest.StartAttempt(c, a, q.ID)
	if err != nil {
		t.Fatalf("start on A: %v", err)
	}
	// … grade on B, with A's session.
	if _, err := webtest.Submit(c, b, q.ID, s.Attempt, map[string][]string{}); err != nil {
		t.Fatalf("submit on B: %v", err)
	}
	resp, _ := c.Get(a + "/api/me/training")
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"status":"in progress"`) || !strings.Contains(string(body), `"attempts":1`) {
		t.Errorf("A does not see the attempt graded on B: %s", body)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// TestAcknowledgedReferralsSurviveSIGKILL records referrals from four
// staff members, kills the server with SIGKILL mid-load, and checks that
// each has at least as many referrals stored as the server acknowledged
// (a 303): on SQLite, and on PostgreSQL when NORTHSTAR_TEST_POSTGRES is set.
func TestAcknowledgedReferralsSurviveSIGKILL(t *testing.T) {
	killOnBothEngines(t, killReferrals)
}

func killReferrals(t *testing.T, dsn, data string, extra ...string) {
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	const workers = 4
	hash, _ := auth.HashPassword("a long enough passphrase")
	ids := make([]int64, workers)
	for w := range ids {
		u, err := st.CreateUser(ctx, store.User{Email: fmt.Sprintf("r%d@example.org", w), Name: "R", Department: departmentsOf[w], Role: store.RoleLearner, PasswordHash: hash})
		if err != nil {
			t.Fatal(err)
		}
		ids[w] = u.ID
	}
	st.Close()
	cmd, base := startServe(t, binary(t), data, extra...)
	load := startReferralLoad(t, base, "r", workers)
	load.waitFor(100)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	acked := load.end()

	st, err = store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stored := referralsByDepartment(t, st)
	sum := 0
	for w := range ids {
		if stored[departmentsOf[w]] < acked[w] {
			t.Errorf("staff %d: %d acknowledged, %d stored after SIGKILL", w, acked[w], stored[departmentsOf[w]])
		}
		sum += acked[w]
	}
	if sum == 0 {
		t.Fatal("no referral was acknowledged before the kill")
	}
	t.Logf("%d acknowledged referrals, all stored", sum)
}

// TestBackupDrillLosesNothingAcknowledged is the restore drill: staff
// record referrals through a real serve on SQLite; mid-load `northstar
// backup` copies the database; `restore` refuses while serve holds the
// dir; restored into a fresh data dir, the copy holds every referral
// acknowledged before the backup began.
func TestBackupDrillLosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs real server processes")
	}
	bin := binary(t)
	ctx := context.Background()
	data := t.TempDir()
	st, err := store.Open(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword("a long enough passphrase")
	const workers = 3
	ids := make([]int64, workers)
	for w := range ids {
		u, err := st.CreateUser(ctx, store.User{Email: fmt.Sprintf("b%d@example.org", w), Name: "B", Department: departmentsOf[w], Role: store.RoleLearner, PasswordHash: hash})
		if err != nil {
			t.Fatal(err)
		}
		ids[w] = u.ID
	}
	st.Close()
	_, base := startServe(t, bin, data)
	load := startReferralLoad(t, base, "b", workers)
	load.waitFor(60)
	before := load.counts()
	backup := filepath.Join(t.TempDir(), "northstar-backup.db")
	out, err := exec.Command(bin, "backup", "--out", backup, "--data", data).CombinedOutput()
	if err != nil {
		t.Fatalf("backup under load: %v\n%s", err, out)
	}
	time.Sleep(100 * time.Millisecond) // writes go on after the backup
	acked := load.end()
	if out, err := exec.Command(bin, "restore", backup, "--data", data).CombinedOutput(); err == nil || !strings.Contains(string(out), "stop it first") {
		t.Errorf("restore while serve runs: %v\n%s", err, out)
	}
	fresh := t.TempDir()
	if out, err := exec.Command(bin, "restore", backup, "--data", fresh).CombinedOutput(); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	st, err = store.Open(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	restored := referralsByDepartment(t, st)
	for w := range ids {
		if restored[departmentsOf[w]] < before[w] {
			t.Errorf("staff %d: %d acknowledged before the backup, %d restored", w, before[w], restored[departmentsOf[w]])
		}
	}
	t.Logf("acknowledged before the backup %v, after %v", before, acked)
}

// departmentsOf gives each load worker a department of its own, so that
// the referral figures count what each one's referrals are (a recorder's
// own list stops at 1,000).
var departmentsOf = []string{"Library", "Police", "Health", "Fire"}

// referralsByDepartment counts every referral stored, by department.
func referralsByDepartment(t *testing.T, st store.Store) map[string]int {
	t.Helper()
	f, err := st.ReferralFigures(context.Background(), "0000-01-01", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, c := range f.ByMonth {
		out[c.B] += c.N
	}
	return out
}

// referralLoad is staff recording referrals through a running serve, each
// counting the referrals it was told are recorded (a 303).
type referralLoad struct {
	mu    sync.Mutex
	acked []int
	stop  chan struct{}
	wg    sync.WaitGroup
}

// startReferralLoad signs in <prefix>0@example.org … as workers and has
// each record referrals until end.
func startReferralLoad(t *testing.T, base, prefix string, workers int) *referralLoad {
	t.Helper()
	form := url.Values{"source": {"inspection"}, "suspected": {"labor"}, "age": {"18-24"}, "danger": {"no"},
		"called_911": {"no"}, "language": {"es"}, "interpreter": {"qualified"}, "services": {"minneapolis-labor-standards"},
		"warm_handoff": {"yes"}, "agreed": {"yes"}}.Encode()
	l := &referralLoad{acked: make([]int, workers), stop: make(chan struct{})}
	for w := 0; w < workers; w++ {
		c := webtest.NewClient(nil)
		c.Timeout = 5 * time.Second
		if err := webtest.SignIn(c, base, fmt.Sprintf("%s%d@example.org", prefix, w), "a long enough passphrase"); err != nil {
			t.Fatal(err)
		}
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for {
				select {
				case <-l.stop:
					return
				default:
				}
				resp, err := c.Post(base+"/referrals/", "application/x-www-form-urlencoded", strings.NewReader(form))
				if err != nil {
					continue
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusSeeOther {
					l.mu.Lock()
					l.acked[w]++
					l.mu.Unlock()
				}
			}
		}()
	}
	return l
}

// counts is how many each worker has had acknowledged so far.
func (l *referralLoad) counts() []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.acked)
}

// waitFor waits until n referrals in all are acknowledged, or 15 s.
func (l *referralLoad) waitFor(n int) {
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		sum := 0
		for _, a := range l.counts() {
			sum += a
		}
		if sum >= n {
			return
		}
	}
}

// end stops the workers and returns their final counts.
func (l *referralLoad) end() []int {
	close(l.stop)
	l.wg.Wait()
	return l.counts()
}
