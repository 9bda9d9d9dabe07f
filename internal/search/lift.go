package search

import (
	"html"
	"slices"
	"strings"
)

// Essentials are the lines a search with no match still shows: danger now,
// trafficking, suicide and crisis, and everything else. Their entries must
// exist in content/resources/ (northstar check makes sure).
var Essentials = []string{"emergency-911", "national-human-trafficking-hotline", "988-lifeline", "united-way-211"}

// Crisis is the line a crisis search opens with, in the reader's language.
type Crisis struct {
	Need    string `json:"need"`
	Title   string `json:"title"`
	Message string `json:"message"`
	URL     string `json:"url"` // the need's page: what to do now
	Line    Hit    `json:"line"`
}

// liftedDocs returns the documents of the directory entries slugs names, in
// the site language of q (English where an entry has no page in it), that
// pass q's filters.
func (ix *Index) liftedDocs(slugs []string, q Query) []string {
	var out []string
	for _, slug := range slugs {
		byLang := ix.resources[slug]
		id, ok := byLang[q.Lang]
		if !ok {
			id, ok = byLang["en"]
		}
		if ok && passes(ix.docs[id], q) {
			out = append(out, id)
		}
	}
	return out
}

// passes is q's filters applied to one document, as the index applies them:
// any of a filter's values, every filter.
func passes(d Doc, q Query) bool {
	anyOf := func(want, has []string) bool {
		if len(want) == 0 {
			return true
		}
		for _, w := range want {
			if slices.Contains(has, w) {
				return true
			}
		}
		return false
	}
	return anyOf(q.Services, d.Services) && anyOf(q.Languages, d.Languages) && anyOf(q.Populations, d.Populations) &&
		(!q.Open247 || d.Open247)
}

// crisis is the box for crisis need n: its first service's line.
func (ix *Index) crisis(n NeedMatch, lang string) *Crisis {
	ids := ix.liftedDocs(n.services[:min(1, len(n.services))], Query{Lang: lang})
	if len(ids) == 0 {
		return nil
	}
	return &Crisis{Need: n.Slug, Title: n.Title, Message: n.Description, URL: n.URL, Line: hitOf(ix.docs[ids[0]], newHighlighter(nil))}
}

// hitOf is d as a result. A snippet that only repeats (part of) the summary
// is left out, so a card says each thing once.
func hitOf(d Doc, marker highlighter) Hit {
	snippet := marker.snippet(d.Body, d.Summary)
	if plain := strings.Trim(html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(snippet)), " …"); plain == "" ||
		strings.Contains(d.Summary, plain) {
		snippet = ""
	}
	return Hit{
		Title: d.Title, URL: d.URL, Kind: d.Kind, Summary: d.Summary,
		Snippet:  snippet,
		Services: d.Services, Phone: d.Phone, Text: d.Text, TTY: d.TTY, Open247: d.Open247,
	}
}
