package web

import (
	"bufio"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
)

// reportCSV streams every certificate as a CSV that Excel opens cleanly:
// UTF-8 with a byte-order mark, ISO dates (Minneapolis), CRLF line ends, and no cell that
// a spreadsheet would run as a formula.
func (s *Server) reportCSV(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	svc := t.service()
	certs, err := svc.Ledger(r.Context())
	if err != nil {
		s.serverError(w, r, "completions csv", err)
		return
	}
	cw, done := startCSV(w, "completions-"+cityDate(svc.Clock())+".csv")
	defer done()
	cw.Write([]string{"email", "name", "department", "module", "module_title", "passed_on", "score", "valid_until", "status", "certificate", "revoked_on", "revoke_reason"})
	for i, c := range certs {
		u := c.Holder
		revoked := ""
		if c.RevokedAt != nil {
			revoked = cityDate(*c.RevokedAt)
		}
		cw.Write(safeCells(u.Email, u.Name, u.Department, c.Certificate.Module, c.Module.Title, cityDate(c.PassedAt),
			strconv.Itoa(c.Score), cityDate(c.ValidUntil), c.Status, c.Code, revoked, c.RevokeReason))
		if i%1000 == 999 {
			cw.Flush()
		}
	}
}

// startCSV begins a CSV download named name that Excel opens cleanly:
// UTF-8 with a byte-order mark and CRLF line ends. Call done at the end.
func startCSV(w http.ResponseWriter, name string) (cw *csv.Writer, done func()) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	bw := bufio.NewWriterSize(w, 32<<10)
	bw.WriteString("\uFEFF")
	cw = csv.NewWriter(bw)
	cw.UseCRLF = true
	return cw, func() {
		cw.Flush()
		if cw.Error() == nil {
			bw.Flush()
		}
		// An error here is the client going away mid-download: nothing to tell it.
	}
}

// safeCells keeps a spreadsheet from reading a cell as a formula: a value
// starting with = + - @ or a control character gets a leading apostrophe.
func safeCells(cells ...string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}
