package web

import (
	"net/http"
	"strconv"

	"northstar/internal/referral"
)

// referralCSV is the referral report's figures as CSV, one figure a line
// (part, row, column, value), with the page's suppression: "<5" for a
// small count, "hidden" for one hidden to protect it. There is no export
// of referrals themselves.
func (s *Server) referralCSV(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	rep, err := t.referrals.Report(r.Context())
	if err != nil {
		s.serverError(w, r, "referral csv", err)
		return
	}
	cw, done := startCSV(w, "referrals-"+cityDate(t.referrals.Clock())+".csv")
	defer done()
	for _, line := range referralFigures(rep) {
		cw.Write(safeCells(line[:]...))
	}
}

// referralFigures is the report as lines of part, row, column, value,
// after a header.
func referralFigures(rep referral.Report) [][4]string {
	out := [][4]string{{"part", "row", "column", "value"}}
	t := rep.ByMonth
	for i, d := range t.Rows {
		for j, m := range t.Cols {
			out = append(out, [4]string{"by_month", d, m, t.Cells[i][j].String()})
		}
		out = append(out, [4]string{"by_month", d, "total", t.RowTotals[i].String()})
	}
	for j, m := range t.Cols {
		out = append(out, [4]string{"by_month", "total", m, t.ColTotals[j].String()})
	}
	out = append(out, [4]string{"by_month", "total", "total", t.Total.String()})
	for _, l := range rep.BySuspected {
		out = append(out, [4]string{"by_suspected", l.Key, "referrals", l.String()})
	}
	out = append(out, [4]string{"by_suspected", "total", "referrals", rep.SuspectedTotal.String()})
	for _, l := range rep.ByService {
		out = append(out, [4]string{"by_service", l.Key, "referrals", l.String()})
	}
	for _, sh := range []struct {
		name string
		referral.Share
	}{{"qualified_interpreter", rep.Interpreter}, {"child_protection_called", rep.ChildProtection},
		{"outcome_known", rep.OutcomeKnown}, {"connected", rep.Connected}} {
		v := referral.Hidden
		switch {
		case sh.Shown:
			v = strconv.Itoa(sh.Percent())
		case sh.Whole == 0:
			v = "" // nothing to take a share of
		}
		out = append(out, [4]string{"share", sh.name, "percent", v})
	}
	for _, rt := range rep.PerTrained {
		per := ""
		switch {
		case rt.Shown:
			per = strconv.FormatFloat(rt.Per100, 'f', 1, 64)
		case rt.Referrals.Hidden || rt.Referrals.Complement:
			per = referral.Hidden
		}
		out = append(out, [4]string{"per_100_trained", rt.Department, "referrals", rt.Referrals.String()},
			[4]string{"per_100_trained", rt.Department, "trained_staff", strconv.Itoa(rt.Trained)},
			[4]string{"per_100_trained", rt.Department, "per_100", per})
	}
	return out
}
