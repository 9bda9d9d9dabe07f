package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"northstar/internal/auth"
)

// usersPage is how many accounts one page of the list shows.
const usersPage = 50

type userListView struct {
	Users       []auth.User
	Total       int
	Department  string
	Role        string
	Status      string
	Query       string
	Departments []string
	Roles       []string
	Error       string
	Done        string
	Page, Pages int
	Prev, Next  string // links to the pages before and after, "" for none
}

// userList is the admin's list of accounts: filters by department, role
// and status, a search by name or email, by name, a page at a time.
func (s *Server) userList(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	q := r.URL.Query()
	v := userListView{Department: q.Get("department"), Role: q.Get("role"), Status: q.Get("status"),
		Query: strings.TrimSpace(q.Get("q")), Departments: t.Departments, Roles: rolesByReach, Page: 1, Done: userDone(q.Get("done"))}
	f := auth.UserFilter{Department: v.Department, Role: v.Role, Query: v.Query, Limit: usersPage}
	switch v.Status {
	case "":
	case "active", "disabled":
		disabled := v.Status == "disabled"
		f.Disabled = &disabled
	default:
		v.Error = "Status: choose active or disabled."
	}
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 100000 {
			v.Error = "There is no such page."
		}
		v.Page = n
	}
	switch {
	case v.Department != "" && !slices.Contains(t.Departments, v.Department):
		v.Error = "Choose a department from the list."
	case v.Role != "" && !auth.ValidRole(v.Role):
		v.Error = "Choose a role from the list."
	case utf8.RuneCountInString(v.Query) > auth.MaxEmailLen:
		v.Error = "The search is too long."
	}
	if v.Error != "" {
		v.Page = 1
		s.renderApp(w, r, http.StatusBadRequest, "users.html", v)
		return
	}
	f.Offset = (v.Page - 1) * usersPage
	users, total, err := t.admin().Find(r.Context(), f)
	if err != nil {
		s.serverError(w, r, "list users", err)
		return
	}
	v.Users, v.Total, v.Pages = users, total, max(1, (total+usersPage-1)/usersPage)
	link := func(page int) string {
		q := url.Values{}
		for k, val := range map[string]string{"department": v.Department, "role": v.Role, "status": v.Status, "q": v.Query} {
			if val != "" {
				q.Set(k, val)
			}
		}
		q.Set("page", strconv.Itoa(page))
		return "/admin/users/?" + q.Encode()
	}
	if v.Page > 1 {
		v.Prev = link(v.Page - 1)
	}
	if v.Page < v.Pages {
		v.Next = link(v.Page + 1)
	}
	s.renderApp(w, r, http.StatusOK, "users.html", v)
}

// userDone says what the admin just did, from the redirect's ?done=.
func userDone(done string) string {
	return map[string]string{
		"changed":  "Saved.",
		"disabled": "The account is disabled: its sessions have ended.",
		"enabled":  "The account is enabled again.",
	}[done]
}
