package referral

import (
	"sort"
	"strings"

	"northstar/internal/site"
)

// Resource is a directory entry a referral can name, with its name in each
// language it is published in.
type Resource struct {
	Slug  string
	Names map[string]string
}

// Name is the entry's name in lang, else in English, else its slug.
func (s Resource) Name(lang string) string {
	if n := s.Names[lang]; n != "" {
		return n
	}
	if n := s.Names["en"]; n != "" {
		return n
	}
	return s.Slug
}

// ResourcesFromContent finds the directory entries among content pages,
// ordered by their English name.
func ResourcesFromContent(pages []site.Page) []Resource {
	bySlug := map[string]*Resource{}
	for _, p := range pages {
		slug, ok := strings.CutPrefix(p.Key, "resources/")
		if !ok || strings.HasPrefix(slug, "_index") || strings.Contains(slug, "/") {
			continue
		}
		name, _ := p.FrontMatter["name"].(string)
		s := bySlug[slug]
		if s == nil {
			s = &Resource{Slug: slug, Names: map[string]string{}}
			bySlug[slug] = s
		}
		if name != "" {
			s.Names[p.Lang] = name
		}
	}
	out := make([]Resource, 0, len(bySlug))
	for _, s := range bySlug {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := strings.ToLower(out[i].Name("en")), strings.ToLower(out[j].Name("en"))
		if a != b {
			return a < b
		}
		return out[i].Slug < out[j].Slug
	})
	return out
}
