package training

import (
	"fmt"
	"slices"
	"strings"

	"northstar/internal/site"
)

// Module is a training module: content/training/<slug>/_index.md, its
// lessons beside it and its quiz in quizzes/. The server, the reports, the
// xAPI export and the CLI all read modules with ReadModules, so they agree.
type Module struct {
	Slug  string
	Title string
	// URL is the module's path on the site, e.g. /training/trafficking-basics/.
	URL string
	// Quiz is the id of its quiz (quizzes/<id>.yaml).
	Quiz     string
	Audience []string
	Minutes  int
	Weight   int
	// ValidMonths is the recertification period (DefaultValidMonths if 0).
	ValidMonths int
}

// ModuleSlug tells whether the content page key (training/basics/_index)
// is a module's own page, and which module.
func ModuleSlug(key string) (string, bool) {
	parts := strings.Split(key, "/")
	if len(parts) != 3 || parts[0] != "training" || parts[2] != "_index" || parts[1] == "" {
		return "", false
	}
	return parts[1], true
}

// ReadModules reads the modules from the site's content (pages in the
// default language; a page whose front matter does not parse is left out,
// northstar check names it), in the curriculum's order: by weight, then
// title.
func ReadModules(root string) ([]Module, error) {
	cfg, err := site.LoadConfig(root)
	if err != nil {
		return nil, err
	}
	pages, err := site.ScanContent(root, cfg)
	if err != nil {
		return nil, fmt.Errorf("read modules: %w", err)
	}
	return ModulesFromContent(pages, cfg.DefaultContentLanguage), nil
}

// ModulesFromContent finds the modules among content pages in lang.
func ModulesFromContent(pages []site.Page, lang string) []Module {
	var out []Module
	for _, p := range pages {
		slug, ok := ModuleSlug(p.Key)
		if !ok || p.Lang != lang || p.FrontMatterErr != nil {
			continue
		}
		fm := p.FrontMatter
		m := Module{Slug: slug, URL: "/training/" + slug + "/"}
		m.Title, _ = fm["title"].(string)
		m.Quiz, _ = fm["quiz"].(string)
		switch l := fm["audience"].(type) {
		case []string:
			m.Audience = l
		case []any:
			for _, a := range l {
				m.Audience = append(m.Audience, fmt.Sprint(a))
			}
		}
		m.Minutes = wholeNumber(fm["minutes"])
		m.Weight = wholeNumber(fm["weight"])
		m.ValidMonths = wholeNumber(fm["valid_months"])
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Module) int {
		if a.Weight != b.Weight {
			return a.Weight - b.Weight
		}
		return strings.Compare(a.Title, b.Title)
	})
	return out
}

// wholeNumber reads a whole number from front matter, 0 if it is none.
func wholeNumber(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case int64:
		return int(n)
	case uint64:
		return int(n)
	case float64:
		if n == float64(int(n)) {
			return int(n)
		}
	}
	return 0
}

// FindModule is the module with slug among modules.
func FindModule(modules []Module, slug string) (Module, bool) {
	if i := moduleIndex(modules, slug); i >= 0 {
		return modules[i], true
	}
	return Module{}, false
}

// moduleIndex is where the module with slug is in modules, -1 if nowhere.
func moduleIndex(modules []Module, slug string) int {
	return slices.IndexFunc(modules, func(m Module) bool { return m.Slug == slug })
}
