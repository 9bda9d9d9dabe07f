package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"northstar/internal/training"
)

// overduePageSize bounds one page of the overdue list.
const overduePageSize = 100

type overdueView struct {
	Rows               []training.OverdueRow
	Total, From, To    int
	Department, Module string
	Departments        []string
	Modules            []training.Module
	PrevURL, NextURL   string
	Error              string
}

// reportOverdue lists who is overdue or expired, filtered by department and
// module, a page at a time.
func (s *Server) reportOverdue(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	svc := t.service()
	q := r.URL.Query()
	v := overdueView{Department: q.Get("department"), Module: q.Get("module"), Departments: t.Departments, Modules: t.Modules}
	page, err := strconv.Atoi(q.Get("page"))
	if q.Get("page") == "" {
		page, err = 1, nil
	}
	_, knownModule := t.Module(v.Module)
	switch {
	case err != nil || page < 1 || page > 1_000_000:
		v.Error = "The page number is not valid."
	case v.Department != "" && !slices.Contains(t.Departments, v.Department):
		v.Error = "Choose a department from the list."
	case v.Module != "" && !knownModule:
		v.Error = "Choose a module from the list."
	}
	if v.Error != "" {
		s.renderApp(w, r, http.StatusBadRequest, "report_overdue.html", v)
		return
	}
	rows, err := svc.Roster(r.Context())
	if err != nil {
		s.serverError(w, r, "overdue report", err)
		return
	}
	all := training.OverdueList(rows, svc.Clock(), v.Department, v.Module)
	v.Total = len(all)
	start := min((page-1)*overduePageSize, len(all))
	end := min(start+overduePageSize, len(all))
	v.Rows, v.From, v.To = all[start:end], start+1, end
	link := func(p int) string {
		u := url.Values{}
		if v.Department != "" {
			u.Set("department", v.Department)
		}
		if v.Module != "" {
			u.Set("module", v.Module)
		}
		u.Set("page", strconv.Itoa(p))
		return "/admin/reports/overdue?" + u.Encode()
	}
	if page > 1 && start > 0 {
		v.PrevURL = link(page - 1)
	}
	if end < len(all) {
		v.NextURL = link(page + 1)
	}
	s.renderApp(w, r, http.StatusOK, "report_overdue.html", v)
}
