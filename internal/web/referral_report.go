package web

import (
	"net/http"
	"time"

	"northstar/internal/referral"
)

// referralReportView is what the City sees of referrals: the report, its
// chart, and when it was made.
type referralReportView struct {
	Report referral.Report
	Chart  chart
	AsOf   string
}

// referralReport shows referral counts by month and department, by what
// was suspected and by service, four shares and referrals per 100 trained
// staff, every small count suppressed. It lists no referral.
func (s *Server) referralReport(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	rep, err := t.referrals.Report(r.Context())
	if err != nil {
		s.serverError(w, r, "referral report", err)
		return
	}
	s.renderApp(w, r, http.StatusOK, "referral_report.html",
		referralReportView{Report: rep, Chart: referralHeatmap(rep.ByMonth), AsOf: isoDate(t.referrals.Clock())})
}

// referralHeatmap draws departments × months: each cell shaded by its
// count against the largest shown, suppressed cells blank with their mark.
func referralHeatmap(t referral.Table) chart {
	c := chart{Width: labelW + cellW*len(t.Cols) + 4, Height: headH + cellH*len(t.Rows) + 4}
	largest := 1
	for _, row := range t.Cells {
		for _, cell := range row {
			if !cell.Hidden && !cell.Complement && cell.N > largest {
				largest = cell.N
			}
		}
	}
	for j, month := range t.Cols {
		text := month
		if m, err := time.Parse("2006-01", month); err == nil {
			text = m.Format("Jan 06")
		}
		c.Columns = append(c.Columns, chartLabel{X: labelW + j*cellW + cellW/2, Y: headH - 8, Text: text})
	}
	for i, d := range t.Rows {
		y := headH + i*cellH
		c.Rows = append(c.Rows, chartLabel{X: labelW - 8, Y: y + cellH/2 + 5, Text: d})
		for j, cell := range t.Cells[i] {
			x := labelW + j*cellW
			fill, ink := "#f2f2f2", "#1a1a1a"
			if !cell.Hidden && !cell.Complement && cell.N > 0 {
				fill, ink = shade(100 * cell.N / largest)
			}
			c.Cells = append(c.Cells, chartCell{X: x, Y: y, W: cellW - 2, H: cellH - 2, Fill: fill, Ink: ink,
				TextX: x + (cellW-2)/2, TextY: y + cellH/2 + 4, Text: cell.String()})
		}
	}
	return c
}
