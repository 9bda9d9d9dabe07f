package training

import (
	"context"
	"slices"
	"strings"
	"time"

	"northstar/internal/store"
)

// Row is where one member of staff stands on one module. User and Module
// point into the roster's own lists: a roster of 100,000 rows copies neither.
type Row struct {
	User   *User
	Module *Module
	Standing
}

// Roster evaluates every enabled member of staff against every module, with
// the same rules as My training. Rows are by user, then module order.
func (s *Service) Roster(ctx context.Context) ([]Row, error) {
	return Roster(ctx, s.Store, s.Modules, s.now())
}

// RosterStore is what a roster reads: everyone's accounts, assignments,
// latest certificates and attempt counts.
type RosterStore interface {
	Users(ctx context.Context) ([]User, error)
	Assignments(ctx context.Context) ([]Assignment, error)
	LatestCertificates(ctx context.Context) ([]Certificate, error)
	AttemptCounts(ctx context.Context) ([]store.AttemptCount, error)
}

// Roster is Service.Roster for those who need no more of the store than
// a roster reads (reminders): every enabled member of staff against
// modules, at now.
func Roster(ctx context.Context, records RosterStore, modules []Module, now time.Time) ([]Row, error) {
	users, err := records.Users(ctx)
	if err != nil {
		return nil, err
	}
	assignments, err := records.Assignments(ctx)
	if err != nil {
		return nil, err
	}
	// The latest certificate decides: Evaluate needs no older ones.
	certs, err := records.LatestCertificates(ctx)
	if err != nil {
		return nil, err
	}
	counts, err := records.AttemptCounts(ctx)
	if err != nil {
		return nil, err
	}
	// Cells of a users × modules grid, found by position rather than by
	// hashing (user, module) pairs 100,000s of times.
	nm := len(modules)
	userAt := make(map[int64]int, len(users))
	for i, u := range users {
		userAt[u.ID] = i
	}
	moduleAt := make(map[string]int, nm)
	quizAt := make(map[string]int, nm)
	for j, m := range modules {
		moduleAt[m.Slug], quizAt[m.Quiz] = j, j
	}
	cell := func(userID int64, j int, ok bool) (int, bool) {
		i, found := userAt[userID]
		return i*nm + j, found && ok
	}
	// latest[cell] is the cell's certificate as a one-element slice of
	// certs (nil when none): what Evaluate takes, without copying.
	latest := make([][]Certificate, len(users)*nm)
	for k := range certs {
		j, ok := moduleAt[certs[k].Module]
		if c, ok := cell(certs[k].UserID, j, ok); ok {
			latest[c] = certs[k : k+1]
		}
	}
	started := make([]int, len(users)*nm)
	for _, a := range counts {
		j, ok := quizAt[a.QuizID]
		if c, ok := cell(a.UserID, j, ok); ok {
			started[c] += a.Count
		}
	}
	byDept := map[string][]Assignment{}
	byPerson := map[int64][]Assignment{}
	for _, a := range assignments {
		if a.UserID != 0 {
			byPerson[a.UserID] = append(byPerson[a.UserID], a)
		} else {
			byDept[a.Department] = append(byDept[a.Department], a)
		}
	}
	rows := make([]Row, 0, len(users)*nm)
	var mine []Assignment
	for i := range users {
		u := &users[i]
		if u.Disabled {
			continue
		}
		for j := range modules {
			m := &modules[j]
			mine = mine[:0]
			for _, list := range [][]Assignment{byDept[u.Department], byPerson[u.ID]} {
				for _, a := range list {
					if a.Module == m.Slug {
						mine = append(mine, a)
					}
				}
			}
			st := Evaluate(now, *u, mine, latest[i*nm+j], started[i*nm+j])
			rows = append(rows, Row{User: u, Module: m, Standing: st})
		}
	}
	return rows, nil
}

// Cell is one department × module figure of the completion report.
type Cell struct {
	Staff, Assigned, Completed, Overdue int
}

// Percent is the share of the department's staff who hold a valid
// certificate, rounded to the nearest whole percent; 0 with no staff.
func (c Cell) Percent() int {
	if c.Staff == 0 {
		return 0
	}
	return (200*c.Completed + c.Staff) / (2 * c.Staff)
}

// Completion is the completion report: departments × modules.
type Completion struct {
	Departments []string
	Modules     []Module
	// Cells[d][m] is department d, module m.
	Cells [][]Cell
	// Totals[m] is every department together.
	Totals []Cell
}

// CompletionReport counts, per department and module: staff, assigned,
// completed (a certificate that holds) and overdue (overdue or expired).
// Departments are those given, in order, then any others found.
func CompletionReport(rows []Row, departments []string, modules []Module) Completion {
	rep := Completion{Departments: slices.Clone(departments), Modules: modules, Totals: make([]Cell, len(modules))}
	deptIndex := map[string]int{}
	for i, d := range rep.Departments {
		deptIndex[d] = i
	}
	modIndex := map[string]int{}
	for i, m := range modules {
		modIndex[m.Slug] = i
	}
	for _, r := range rows {
		if _, ok := deptIndex[r.User.Department]; !ok {
			deptIndex[r.User.Department] = len(rep.Departments)
			rep.Departments = append(rep.Departments, r.User.Department)
		}
	}
	rep.Cells = make([][]Cell, len(rep.Departments))
	for i := range rep.Cells {
		rep.Cells[i] = make([]Cell, len(modules))
	}
	for _, r := range rows {
		m, ok := modIndex[r.Module.Slug]
		if !ok {
			continue
		}
		for _, c := range []*Cell{&rep.Cells[deptIndex[r.User.Department]][m], &rep.Totals[m]} {
			c.Staff++
			if r.Assigned {
				c.Assigned++
			}
			switch r.Status {
			case Completed:
				c.Completed++
			case Overdue, Expired:
				c.Overdue++
			}
		}
	}
	return rep
}

// OverdueRow is one line of the overdue list.
type OverdueRow struct {
	User   *User
	Module *Module
	Status string // Overdue or Expired
	Due    time.Time
	// DaysLate is whole days since Due.
	DaysLate int
}

// OverdueList lists who is overdue or expired, most overdue first, for a
// department and a module when given ("" for all).
func OverdueList(rows []Row, now time.Time, department, module string) []OverdueRow {
	var out []OverdueRow
	for _, r := range rows {
		if r.Status != Overdue && r.Status != Expired {
			continue
		}
		if department != "" && r.User.Department != department || module != "" && r.Module.Slug != module {
			continue
		}
		out = append(out, OverdueRow{User: r.User, Module: r.Module, Status: r.Status, Due: r.Due, DaysLate: int(now.Sub(r.Due).Hours() / 24)})
	}
	slices.SortStableFunc(out, func(a, b OverdueRow) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		if c := strings.Compare(a.User.Name, b.User.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Module.Slug, b.Module.Slug)
	})
	return out
}

// Clock is the service's clock, for callers that report "as of".
func (s *Service) Clock() time.Time { return s.now() }
