package check

import (
	"slices"
	"sort"
	"strings"

	"northstar/internal/site"
	"northstar/internal/sso"
)

// ssoClaims checks [params.sso], how the City's identity provider's claims
// become roles and departments: serve refuses a group mapped to no role at
// start-up, and check says it before, with the other mistakes a sign-in
// would only show later (a group mapped to a department not configured,
// a domain written as an address).
func ssoClaims(r *Report, cfg site.Config) {
	claims, err := sso.ClaimsFrom(cfg)
	if err != nil {
		r.add("config.toml", 1, Error, "%v", err)
		return
	}
	groups := make([]string, 0, len(claims.DepartmentGroups))
	for g := range claims.DepartmentGroups {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	departments := cfg.Params.Training.Departments
	for _, g := range groups {
		if d := claims.DepartmentGroups[g]; !slices.Contains(departments, d) {
			r.add("config.toml", 1, Error, "params.sso.department_groups: group %q maps to %q, which is not a department: use one of %s (params.training.departments)",
				g, d, strings.Join(departments, ", "))
		}
	}
	for _, d := range claims.AllowedDomains {
		if d == "" || strings.ContainsAny(d, "@ /") || strings.HasPrefix(d, ".") {
			r.add("config.toml", 1, Error, "params.sso.allowed_domains: %q: write the domain alone, like minneapolismn.gov", d)
		}
	}
}
