package referral

import (
	"time"

	"northstar/internal/store"
)

// ReportMonths is how many months a report covers, the current one last.
const ReportMonths = 12

// Figures are the counts a report is made of, as the store tallies them
// over the report's months (store.ReferralFigures).
type Figures = store.ReferralFigures

// Table is counts by row and column with their totals.
type Table struct {
	Rows, Cols []string
	Cells      [][]Cell
	RowTotals  []Cell
	ColTotals  []Cell
	Total      Cell
}

// Line is one labelled count of a list.
type Line struct {
	Key, Label string
	Cell
}

// Share is a part of a whole, shown as a percentage only when neither the
// part nor the rest is a small count, and the whole is not small.
type Share struct {
	Part, Whole int
	Shown       bool
}

// Percent is the part in hundredths of the whole, rounded.
func (s Share) Percent() int {
	if s.Whole == 0 {
		return 0
	}
	return (200*s.Part + s.Whole) / (2 * s.Whole)
}

func share(part, whole, min int) Share {
	small := func(n int) bool { return n > 0 && n < min }
	return Share{Part: part, Whole: whole, Shown: whole >= min && !small(part) && !small(whole-part)}
}

// Rate is a department's referrals per 100 of its trained staff.
type Rate struct {
	Department string
	Referrals  Cell
	Trained    int
	// Per100 is shown when Referrals is and the department has trained staff.
	Per100 float64
	Shown  bool
}

// Report is what the City sees of referrals: counts only, small ones
// suppressed, nothing about anyone.
type Report struct {
	MinCell int
	// Months are the months covered, oldest first (2006-01).
	Months []string
	// ByMonth is departments × months.
	ByMonth     Table
	BySuspected []Line
	// SuspectedTotal is every referral of the months.
	SuspectedTotal Cell
	// ByService counts referrals naming each service (one referral may
	// name several, so they do not add up to the total).
	ByService []Line
	// Interpreter: of referrals where one was needed, with a qualified one.
	Interpreter Share
	// ChildProtection: of under-18 referrals, with a child-protection call.
	ChildProtection Share
	// OutcomeKnown: of all, with a known outcome; Connected: of those
	// known, connected with the service.
	OutcomeKnown, Connected Share
	PerTrained              []Rate
}

// Months is the ReportMonths months up to now's, oldest first.
func Months(now time.Time) []string {
	first := Today(now)
	first = time.Date(first.Year(), first.Month()-ReportMonths+1, 1, 0, 0, 0, 0, first.Location())
	out := make([]string, ReportMonths)
	for i := range out {
		out[i] = first.AddDate(0, i, 0).Format("2006-01")
	}
	return out
}

// Build makes the report of f over months for departments, naming
// services from directory, with counts below the settings' MinCell hidden.
func Build(f Figures, months, departments []string, directory []Resource, set Settings) Report {
	min := set.minCell()
	rep := Report{MinCell: min, Months: months}

	// Departments × months, with totals both ways.
	t := Table{Rows: departments, Cols: months}
	rowAt, colAt := index(departments), index(months)
	t.Cells = make([][]Cell, len(departments))
	for i := range t.Cells {
		t.Cells[i] = make([]Cell, len(months))
	}
	t.RowTotals, t.ColTotals = make([]Cell, len(departments)), make([]Cell, len(months))
	for _, c := range f.ByMonth {
		i, okr := rowAt[c.B]
		j, okc := colAt[c.A]
		if !okr || !okc {
			continue // a department no longer configured: in no row
		}
		t.Cells[i][j].N += c.N
		t.RowTotals[i].N += c.N
		t.ColTotals[j].N += c.N
		t.Total.N += c.N
	}
	var cells []*Cell
	var relations [][]*Cell
	for i := range t.Cells {
		row := []*Cell{}
		for j := range t.Cells[i] {
			cells = append(cells, &t.Cells[i][j])
			row = append(row, &t.Cells[i][j])
		}
		relations = append(relations, append(row, &t.RowTotals[i]))
	}
	for j := range months {
		col := []*Cell{}
		for i := range t.Cells {
			col = append(col, &t.Cells[i][j])
		}
		relations = append(relations, append(col, &t.ColTotals[j]))
	}
	totalsRow, totalsCol := []*Cell{}, []*Cell{}
	for i := range t.RowTotals {
		cells = append(cells, &t.RowTotals[i])
		totalsCol = append(totalsCol, &t.RowTotals[i])
	}
	for j := range t.ColTotals {
		cells = append(cells, &t.ColTotals[j])
		totalsRow = append(totalsRow, &t.ColTotals[j])
	}
	cells = append(cells, &t.Total)
	relations = append(relations, append(totalsRow, &t.Total), append(totalsCol, &t.Total))
	suppress(min, cells, relations)
	rep.ByMonth = t

	// What was suspected, adding up to the same total.
	bySusp := map[string]int{}
	for _, c := range f.BySuspected {
		bySusp[c.A] += c.N
	}
	rep.BySuspected = make([]Line, len(Suspected))
	rep.SuspectedTotal = Cell{N: t.Total.N}
	rel := []*Cell{}
	for i, s := range Suspected {
		rep.BySuspected[i] = Line{Key: s.ID, Label: s.Label, Cell: Cell{N: bySusp[s.ID]}}
		rel = append(rel, &rep.BySuspected[i].Cell)
	}
	rel = append(rel, &rep.SuspectedTotal)
	suppress(min, rel, [][]*Cell{rel})

	// Services: no sums, so only small counts hide. Every service named
	// is listed, with those the directory has lost under their slug.
	byService := map[string]int{}
	for _, c := range f.ByService {
		byService[c.A] += c.N
	}
	var svcCells []*Cell
	for _, s := range directory {
		if n, ok := byService[s.Slug]; ok {
			rep.ByService = append(rep.ByService, Line{Key: s.Slug, Label: s.Name("en"), Cell: Cell{N: n}})
			delete(byService, s.Slug)
		}
	}
	for _, c := range f.ByService {
		if n, ok := byService[c.A]; ok {
			rep.ByService = append(rep.ByService, Line{Key: c.A, Label: c.A, Cell: Cell{N: n}})
			delete(byService, c.A)
		}
	}
	for i := range rep.ByService {
		svcCells = append(svcCells, &rep.ByService[i].Cell)
	}
	suppress(min, svcCells, nil)

	var total, needed, qualified, under18, called, known, connected int
	for _, c := range f.Combos {
		total += c.N
		if c.Interpreter != NotNeeded {
			needed += c.N
			if c.Interpreter == Qualified {
				qualified += c.N
			}
		}
		if c.AgeGroup == Under18 {
			under18 += c.N
			if c.ChildProtection == "yes" {
				called += c.N
			}
		}
		if c.Outcome != "" && c.Outcome != OutcomeUnknown {
			known += c.N
			if c.Outcome == Connected {
				connected += c.N
			}
		}
	}
	rep.Interpreter = share(qualified, needed, min)
	rep.ChildProtection = share(called, under18, min)
	rep.OutcomeKnown = share(known, total, min)
	rep.Connected = share(connected, known, min)

	trained := map[string]int{}
	for _, c := range f.Trained {
		trained[c.A] += c.N
	}
	for i, d := range departments {
		r := Rate{Department: d, Referrals: t.RowTotals[i], Trained: trained[d]}
		if !r.Referrals.Hidden && r.Trained > 0 {
			r.Per100, r.Shown = 100*float64(r.Referrals.N)/float64(r.Trained), true
		}
		rep.PerTrained = append(rep.PerTrained, r)
	}
	return rep
}

func index(keys []string) map[string]int {
	m := make(map[string]int, len(keys))
	for i, k := range keys {
		m[k] = i
	}
	return m
}
