package search

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Limits on what a search may ask for.
const (
	MaxQueryRunes = 200
	PageSize      = 10
	MaxPage       = 50
)

// Query is one search as a reader asked it.
type Query struct {
	Text        string
	Lang        string
	Services    []string
	Languages   []string
	Populations []string
	Open247     bool
	Page        int // from 1
}

// URLValues are the query as /search/ and /api/search read it (page aside).
func (q Query) URLValues() url.Values {
	v := url.Values{"q": {q.Text}}
	if q.Lang != "" {
		v.Set("lang", q.Lang)
	}
	for _, f := range []struct {
		name   string
		values []string
	}{{"service", q.Services}, {"language", q.Languages}, {"population", q.Populations}} {
		for _, val := range f.values {
			v.Add(f.name, val)
		}
	}
	if q.Open247 {
		v.Set("open247", "1")
	}
	return v
}

// Vocabulary is what filters may name: the directory's terms, and the site's
// languages. A filter outside it is a bad request, not an empty result.
type Vocabulary struct {
	SiteLangs   []string
	Services    []string
	Languages   []string
	Populations []string
}

// BadQueryError is a search the reader must change; its message says how.
type BadQueryError struct{ Msg string }

func (e *BadQueryError) Error() string { return e.Msg }

func bad(format string, args ...any) error { return &BadQueryError{Msg: fmt.Sprintf(format, args...)} }

// IsBadQuery reports whether err is the reader's to fix.
func IsBadQuery(err error) bool {
	var b *BadQueryError
	return errors.As(err, &b)
}

// expand returns the synonyms the query's words and phrases call for.
func (p parsed) expand(syn *Synonyms) []string {
	return syn.Expand(strings.Join(p.words, " ") + " " + strings.Join(p.phrases, " "))
}

// parsed is the text of a query split into plain words, "quoted phrases" and
// -excluded words.
type parsed struct {
	words    []string
	phrases  []string
	excluded []string
}

// Validate checks q against the limits and the vocabulary.
func (q Query) Validate(v Vocabulary) (parsed, error) {
	var p parsed
	text := strings.TrimSpace(q.Text)
	if text == "" {
		return p, bad("Type a word or two to search for.")
	}
	if utf8.RuneCountInString(text) > MaxQueryRunes {
		return p, bad("The search is too long. Use %d characters or fewer.", MaxQueryRunes)
	}
	if !utf8.ValidString(text) {
		return p, bad("The search contains characters that cannot be read.")
	}
	if !slices.Contains(v.SiteLangs, q.Lang) {
		return p, bad("Unknown language %q. Use one of: %s.", q.Lang, strings.Join(v.SiteLangs, ", "))
	}
	for _, f := range []struct {
		name    string
		values  []string
		allowed []string
	}{{"service", q.Services, v.Services}, {"language", q.Languages, v.Languages}, {"population", q.Populations, v.Populations}} {
		for _, val := range f.values {
			if !slices.Contains(f.allowed, val) {
				return p, bad("Unknown %s filter %q. Use one of: %s.", f.name, val, strings.Join(f.allowed, ", "))
			}
		}
	}
	if q.Page < 1 || q.Page > MaxPage {
		return p, bad("Page %d does not exist. Pages start at 1.", q.Page)
	}
	if strings.Count(text, `"`)%2 != 0 {
		return p, bad("A quotation mark is not closed. Remove it or add the closing one.")
	}
	for i, part := range strings.Split(text, `"`) {
		if i%2 == 1 {
			if s := strings.TrimSpace(part); s != "" {
				p.phrases = append(p.phrases, s)
			}
			continue
		}
		for _, w := range strings.Fields(part) {
			if strings.HasPrefix(w, "-") && len(w) > 1 {
				p.excluded = append(p.excluded, w[1:])
			} else if w != "-" {
				p.words = append(p.words, w)
			}
		}
	}
	if len(p.words) == 0 && len(p.phrases) == 0 {
		return p, bad("Add a word to search for, not only words to leave out.")
	}
	return p, nil
}

// bleveQuery builds the weighted, typo-tolerant query: exact matches count
// most, near matches (one or two letters off) less, synonyms a little.
// misspelt maps a field set to the words of the query its analyzer makes that
// the index does not hold: only those get near (fuzzy) matching.
type misspelt map[string][]string

func (p parsed) bleveQuery(q Query, synonyms []string, unknown misspelt) query.Query {
	text := strings.Join(p.words, " ")
	var should []query.Query
	match := func(t string, field string, boost float64, fuzzy bool) {
		m := bleve.NewMatchQuery(t)
		m.SetField(field)
		m.SetBoost(boost)
		if fuzzy {
			m.SetAutoFuzziness(true)
		}
		should = append(should, m)
	}
	fieldSets := suffixesFor(q.Lang)
	for _, sfx := range fieldSets {
		for _, f := range textFields {
			field := f.name + "_" + sfx
			if text != "" {
				match(text, field, f.boost, false)
			}
			// Words the index does not know are likely misspelt: they also
			// match words a letter or two off in name, services and summary
			// ("near"). Known words skip this, which is most of a search's
			// cost; across long bodies near matches would add noise.
			if f.name == "near" {
				for _, w := range unknown[sfx] {
					fq := bleve.NewFuzzyQuery(w)
					fq.SetField(field)
					fq.SetAutoFuzziness(true)
					fq.SetBoost(f.boost)
					should = append(should, fq)
				}
			}
			for _, extra := range synonyms {
				match(extra, field, f.boost/2, false)
			}
		}
	}
	var must []query.Query
	must = append(must, termQuery("lang", q.Lang))
	if len(should) > 0 {
		must = append(must, bleve.NewDisjunctionQuery(should...))
	}
	for _, ph := range p.phrases {
		var any []query.Query
		for _, sfx := range fieldSets {
			for _, f := range textFields {
				mp := bleve.NewMatchPhraseQuery(ph)
				mp.SetField(f.name + "_" + sfx)
				mp.SetBoost(f.boost)
				any = append(any, mp)
			}
		}
		must = append(must, bleve.NewDisjunctionQuery(any...))
	}
	for _, f := range []struct {
		field  string
		values []string
	}{{"facet_services", q.Services}, {"facet_languages", q.Languages}, {"facet_populations", q.Populations}} {
		if len(f.values) == 0 {
			continue
		}
		var any []query.Query
		for _, v := range f.values {
			any = append(any, termQuery(f.field, v))
		}
		must = append(must, bleve.NewDisjunctionQuery(any...))
	}
	if q.Open247 {
		must = append(must, termQuery("open247", "true"))
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(must...)
	for _, w := range p.excluded {
		for _, sfx := range fieldSets {
			for _, f := range textFields {
				m := bleve.NewMatchQuery(w)
				m.SetField(f.name + "_" + sfx)
				bq.AddMustNot(m)
			}
		}
	}
	return bq
}

// suffixesFor lists the field sets a site language's pages are indexed in: their
// own language's, and, for languages not complete, English for pages shown in
// English until translated. English and Spanish are complete (northstar check
// requires every page in both), so they search only their own fields: each
// field set searched costs as much again.
func suffixesFor(lang string) []string {
	switch own := analyzerSuffix(lang); own {
	case "en", "es":
		return []string{own}
	default:
		return []string{own, "en"}
	}
}

func termQuery(field, value string) query.Query {
	t := bleve.NewTermQuery(value)
	t.SetField(field)
	return t
}
