package web

import (
	"fmt"
	"math"
	"net/http"

	"northstar/internal/training"
)

// reportView is the completion report: a chart and the same figures as a table.
type reportView struct {
	Report training.Completion
	Chart  chart
	AsOf   string
}

// reportShow is the completion report, department × module.
func (s *Server) reportShow(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	svc := t.service()
	rows, err := svc.Roster(r.Context())
	if err != nil {
		s.serverError(w, r, "completion report", err)
		return
	}
	rep := training.CompletionReport(rows, t.Departments, svc.Modules)
	s.renderApp(w, r, http.StatusOK, "report_completion.html", reportView{Report: rep, Chart: heatmap(rep), AsOf: isoDate(svc.Clock())})
}

// chart is a server-drawn SVG heat map: one row per department, one column
// per module, each cell shaded by the share completed, with the figure in it.
type chart struct {
	Width, Height int
	Columns       []chartLabel
	Rows          []chartLabel
	Cells         []chartCell
}

type chartLabel struct {
	X, Y int
	Text string
}

type chartCell struct {
	X, Y, W, H   int
	Fill, Ink    string
	TextX, TextY int
	Text         string
}

const (
	cellW, cellH = 56, 30
	labelW       = 150
	headH        = 28
)

func heatmap(rep training.Completion) chart {
	c := chart{Width: labelW + cellW*len(rep.Modules) + 4, Height: headH + cellH*len(rep.Departments) + 4}
	for j := range rep.Modules {
		c.Columns = append(c.Columns, chartLabel{X: labelW + j*cellW + cellW/2, Y: headH - 8, Text: fmt.Sprintf("M%d", j+1)})
	}
	for i, d := range rep.Departments {
		y := headH + i*cellH
		c.Rows = append(c.Rows, chartLabel{X: labelW - 8, Y: y + cellH/2 + 5, Text: d})
		for j, cell := range rep.Cells[i] {
			x := labelW + j*cellW
			text := "–"
			fill, ink := "#f2f2f2", "#1a1a1a"
			if cell.Staff > 0 {
				p := cell.Percent()
				text = fmt.Sprintf("%d%%", p)
				fill, ink = shade(p)
			}
			c.Cells = append(c.Cells, chartCell{X: x, Y: y, W: cellW - 2, H: cellH - 2, Fill: fill, Ink: ink,
				TextX: x + (cellW-2)/2, TextY: y + cellH/2 + 4, Text: text})
		}
	}
	return c
}

// shade maps 0–100% from a pale to a deep blue, and picks whichever of black
// or white text contrasts more with it (never below 4.5:1 on this scale).
func shade(percent int) (fill, ink string) {
	f := float64(percent) / 100
	from, to := [3]float64{0xea, 0xf1, 0xfb}, [3]float64{0x0b, 0x3d, 0x91}
	var rgb [3]float64
	for i := range rgb {
		rgb[i] = from[i] + (to[i]-from[i])*f
	}
	fill = fmt.Sprintf("#%02x%02x%02x", int(rgb[0]), int(rgb[1]), int(rgb[2]))
	l := luminance(rgb)
	if (1.05)/(l+0.05) > (l+0.05)/0.05 {
		return fill, "#ffffff"
	}
	return fill, "#000000"
}

func luminance(rgb [3]float64) float64 {
	var lin [3]float64
	for i, v := range rgb {
		c := v / 255
		if c <= 0.03928 {
			lin[i] = c / 12.92
		} else {
			lin[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*lin[0] + 0.7152*lin[1] + 0.0722*lin[2]
}
