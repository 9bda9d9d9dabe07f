package web

import (
	"net/http"
	"slices"
	"strings"

	"northstar/internal/auth"
)

// NavItem is one place in the staff navigation, shown to the roles its
// route's group lets in (TestStaffNavMatchesRoutes holds the two together).
type NavItem struct {
	Label, Path, Group string
}

// StaffNav is the staff navigation, in order.
var StaffNav = []NavItem{
	{"My training", "/training/my/", SignedIn},
	{"Record a referral", "/referrals/new", SignedIn},
	{"My referrals", "/referrals/", SignedIn},
	{"Referral reports", "/admin/referrals/", Analysts},
	{"Training reports", "/admin/reports/", Trainers},
	{"Assignments", "/admin/assignments/", Trainers},
	{"Quiz previews", "/admin/quizzes/", Trainers},
	{"Certificates", "/admin/certificates/", Admins},
	{"Users", "/admin/users/", Admins},
}

// navLink is a NavItem for one page: Current marks the section being shown.
type navLink struct {
	Label, Path string
	Current     bool
}

// staffNavView is what the navigation shows a signed-in person.
type staffNavView struct {
	User  auth.User
	Links []navLink
}

// navFor is the navigation for u on the page at path: the places u's role
// may open, the one path is in marked current.
func navFor(u auth.User, path string) staffNavView {
	v := staffNavView{User: u}
	current := ""
	for _, it := range StaffNav {
		if allowed := groupRoles[it.Group]; len(allowed) > 0 && !slices.Contains(allowed, u.Role) {
			continue
		}
		// The longest matching path wins: /referrals/new is not My referrals.
		if (path == it.Path || strings.HasPrefix(path, it.Path) && strings.HasSuffix(it.Path, "/")) && len(it.Path) > len(current) {
			current = it.Path
		}
		v.Links = append(v.Links, navLink{Label: it.Label, Path: it.Path})
	}
	for i := range v.Links {
		v.Links[i].Current = v.Links[i].Path == current
	}
	return v
}

// staffNavFor is the navigation for the request's signed-in user, if any.
func staffNavFor(r *http.Request) (staffNavView, bool) {
	u, ok := userFrom(r.Context())
	if !ok {
		return staffNavView{}, false
	}
	return navFor(u, r.URL.Path), true
}
