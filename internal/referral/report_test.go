package referral

import (
	"fmt"
	"testing"

	"northstar/internal/store"
)

// shown renders cells as a report shows them.
func shown(cells ...Cell) string {
	out := ""
	for _, c := range cells {
		out += c.String() + " "
	}
	return out
}

func TestSuppression(t *testing.T) {
	months := []string{"2026-10", "2026-11", "2026-12"}
	cases := []struct {
		name             string
		a, b             [3]int // departments A and B by month
		rowA, rowB, cols string
	}{
		{
			// 3 is small; the next smallest in its row (7) and the only
			// other count in its column (8) hide; then the 0 beside the 7.
			name: "primary and complementary", a: [3]int{10, 3, 7}, b: [3]int{6, 8, 0},
			rowA: "10 <5 hidden 20 ", rowB: "6 hidden hidden 14 ", cols: "16 11 7 34 ",
		},
		{
			name: "nothing small", a: [3]int{10, 5, 7}, b: [3]int{6, 8, 0},
			rowA: "10 5 7 22 ", rowB: "6 8 0 14 ", cols: "16 13 7 36 ",
		},
		{
			// A's only count is small, so its total is too; its column then
			// hides B's 8, and the column of department totals B's 23 (the
			// grand total is shown): A's count stays anywhere from 1 to 4.
			name: "a small total", a: [3]int{0, 2, 0}, b: [3]int{6, 8, 9},
			rowA: "0 <5 0 <5 ", rowB: "6 hidden 9 hidden ", cols: "6 10 9 25 ",
		},
	}
	for _, c := range cases {
		var f Figures
		for j, m := range months {
			f.ByMonth = append(f.ByMonth, store.Tally{A: m, B: "A", N: c.a[j]}, store.Tally{A: m, B: "B", N: c.b[j]})
		}
		rep := Build(f, months, []string{"A", "B"}, nil, Settings{})
		tb := rep.ByMonth
		gotA := shown(append(tb.Cells[0], tb.RowTotals[0])...)
		gotB := shown(append(tb.Cells[1], tb.RowTotals[1])...)
		gotCols := shown(append(tb.ColTotals, tb.Total)...)
		if gotA != c.rowA || gotB != c.rowB || gotCols != c.cols {
			t.Errorf("%s:\n A    %q want %q\n B    %q want %q\n cols %q want %q", c.name, gotA, c.rowA, gotB, c.rowB, gotCols, c.cols)
		}
		// However the cells fell, no row or column has one hidden count.
		for i := range tb.Cells {
			if n := hiddenIn(append(tb.Cells[i], tb.RowTotals[i])); n == 1 {
				t.Errorf("%s: row %d has one hidden count", c.name, i)
			}
		}
		for j := range months {
			if n := hiddenIn([]Cell{tb.Cells[0][j], tb.Cells[1][j], tb.ColTotals[j]}); n == 1 {
				t.Errorf("%s: column %d has one hidden count", c.name, j)
			}
		}
	}
}

func hiddenIn(cells []Cell) int {
	n := 0
	for _, c := range cells {
		if c.Hidden {
			n++
		}
	}
	return n
}

func TestSuppressionSetting(t *testing.T) {
	f := Figures{BySuspected: []store.Tally{{A: "labor", N: 7}, {A: "sex", N: 12}, {A: "unsure", N: 9}}}
	f.ByMonth = []store.Tally{{A: "2026-12", B: "A", N: 28}}
	rep := Build(f, []string{"2026-12"}, []string{"A"}, nil, Settings{MinCell: 10})
	got := ""
	for _, l := range rep.BySuspected {
		got += l.Key + "=" + l.String() + " "
	}
	// 7 and 9 are under 10; the zeros stay; the total is 28.
	if want := "labor=<10 sex=12 both=0 other=0 unsure=<10 "; got != want || rep.SuspectedTotal.String() != "28" {
		t.Errorf("with min_cell 10: %q total %s; want %q total 28", got, rep.SuspectedTotal, want)
	}
	// One small count in a list that adds up hides a second.
	f.BySuspected = []store.Tally{{A: "labor", N: 12}, {A: "sex", N: 4}, {A: "unsure", N: 9}}
	f.ByMonth = []store.Tally{{A: "2026-12", B: "A", N: 25}}
	rep = Build(f, []string{"2026-12"}, []string{"A"}, nil, Settings{})
	got = ""
	for _, l := range rep.BySuspected {
		got += l.String() + " "
	}
	if want := "12 <5 0 0 hidden "; got != want {
		t.Errorf("by suspected: %q, want %q", got, want)
	}
}

func TestShares(t *testing.T) {
	cases := []struct {
		part, whole int
		shown       bool
		percent     int
	}{
		{5, 10, true, 50}, {2, 10, false, 0}, {8, 10, false, 0}, {0, 3, false, 0}, {0, 10, true, 0},
		{10, 10, true, 100}, {7, 21, true, 33}, {2, 3, false, 0},
	}
	for _, c := range cases {
		s := share(c.part, c.whole, 5)
		if s.Shown != c.shown || s.Shown && s.Percent() != c.percent {
			t.Errorf("share(%d of %d): shown %v %d%%, want %v %d%%", c.part, c.whole, s.Shown, s.Percent(), c.shown, c.percent)
		}
	}
}

func TestBuildShares(t *testing.T) {
	f := Figures{Combos: []store.ReferralCombo{
		{Interpreter: NotNeeded, AgeGroup: "25-plus", ChildProtection: NotAsked, Outcome: "", N: 20},
		{Interpreter: Qualified, AgeGroup: Under18, ChildProtection: "yes", Outcome: Connected, N: 6},
		{Interpreter: "family", AgeGroup: Under18, ChildProtection: "no", Outcome: "declined", N: 5},
		{Interpreter: "none", AgeGroup: "18-24", ChildProtection: NotAsked, Outcome: OutcomeUnknown, N: 9},
	}}
	rep := Build(f, nil, nil, nil, Settings{})
	got := fmt.Sprintf("%+v %+v %+v %+v", rep.Interpreter, rep.ChildProtection, rep.OutcomeKnown, rep.Connected)
	// Needed 20 (6+5+9), qualified 6; under 18: 11, called 6; known 11 of
	// 40 (the "unknown" outcome is not known), connected 6 of 11.
	want := "{Part:6 Whole:20 Shown:true} {Part:6 Whole:11 Shown:true} {Part:11 Whole:40 Shown:true} {Part:6 Whole:11 Shown:true}"
	if got != want {
		t.Errorf("shares %s\nwant   %s", got, want)
	}
}

func TestPerTrained(t *testing.T) {
	f := Figures{
		ByMonth: []store.Tally{{A: "2026-12", B: "Police", N: 12}, {A: "2026-12", B: "Library", N: 3}, {A: "2026-12", B: "Fire", N: 6}},
		Trained: []store.Tally{{A: "Police", N: 40}, {A: "Library", N: 10}},
	}
	rep := Build(f, []string{"2026-12"}, []string{"Police", "Library", "Fire"}, nil, Settings{})
	got := ""
	for _, r := range rep.PerTrained {
		got += fmt.Sprintf("%s:%s/%d=%v,%.0f ", r.Department, r.Referrals, r.Trained, r.Shown, r.Per100)
	}
	// Library's 3 is small, so its rate is hidden; Fire's 6 hides beside it
	// (the month's column), and Fire has no trained staff anyway.
	if want := "Police:12/40=true,30 Library:<5/10=false,0 Fire:hidden/0=false,0 "; got != want {
		t.Errorf("per trained %q\nwant          %q", got, want)
	}
}
