package search

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
)

// Index is an open index with the documents it holds.
type Index struct {
	bleve bleve.Index
	docs  map[string]Doc
}

// Open opens an index that Build wrote into dir.
func Open(dir string) (*Index, error) {
	b, err := os.ReadFile(filepath.Join(dir, docsFile))
	if err != nil {
		return nil, fmt.Errorf("read index docs: %w", err)
	}
	var docs []Doc
	if err := json.Unmarshal(b, &docs); err != nil {
		return nil, fmt.Errorf("decode index docs: %w", err)
	}
	ix, err := bleve.OpenUsing(filepath.Join(dir, bleveDir), map[string]any{"read_only": true})
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	byID := make(map[string]Doc, len(docs))
	for _, d := range docs {
		byID[d.ID] = d
	}
	return &Index{bleve: ix, docs: byID}, nil
}

// Close releases the index files.
func (ix *Index) Close() error { return ix.bleve.Close() }

// Hit is one result, ready to show.
type Hit struct {
	Title    string   `json:"title"`
	URL      string   `json:"url"`
	Kind     string   `json:"kind"`
	Snippet  string   `json:"snippet"` // HTML: escaped text, with <mark> around matches
	Summary  string   `json:"summary"`
	Services []string `json:"services,omitempty"`
	Phone    string   `json:"phone,omitempty"`
	Text     string   `json:"text,omitempty"`
	TTY      string   `json:"tty,omitempty"`
	Open247  bool     `json:"open_24_7,omitempty"`
}

// FacetValue is one filter value and how many results have it.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Result is one page of results.
type Result struct {
	Query  string                  `json:"query"`
	Total  int                     `json:"total"`
	Page   int                     `json:"page"`
	Pages  int                     `json:"pages"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetValue `json:"facets"`
}

// facetNames are the facets a result reports, in the "facets" field as name:value.
var facetNames = []string{"services", "languages", "populations", "open247"}

// maxFacetTerms bounds the facet values counted: every term the vocabulary allows.
const maxFacetTerms = 200

// Search runs q. A query the reader must fix returns a *BadQueryError.
func (ix *Index) Search(ctx context.Context, q Query, v Vocabulary, syn *Synonyms) (Result, error) {
	p, err := q.Validate(v)
	if err != nil {
		return Result{}, err
	}
	req := bleve.NewSearchRequestOptions(p.bleveQuery(q, syn), PageSize, (q.Page-1)*PageSize, false)
	req.AddFacet("facets", bleve.NewFacetRequest("facets", maxFacetTerms))
	req.Highlight = bleve.NewHighlightWithStyle(html.Name)
	for _, sfx := range suffixes {
		req.Highlight.AddField("summary_" + sfx)
		req.Highlight.AddField("body_" + sfx)
	}
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return Result{}, fmt.Errorf("search: %w", err)
	}
	out := Result{
		Query:  q.Text,
		Total:  int(res.Total),
		Page:   q.Page,
		Pages:  (int(res.Total) + PageSize - 1) / PageSize,
		Hits:   []Hit{},
		Facets: map[string][]FacetValue{},
	}
	if q.Page > 1 && q.Page > out.Pages {
		return Result{}, bad("Page %d does not exist: there are %d pages of results.", q.Page, out.Pages)
	}
	for _, h := range res.Hits {
		d, ok := ix.docs[h.ID]
		if !ok {
			continue
		}
		out.Hits = append(out.Hits, Hit{
			Title: d.Title, URL: d.URL, Kind: d.Kind, Summary: d.Summary,
			Snippet:  snippet(h.Fragments, d),
			Services: d.Services, Phone: d.Phone, Text: d.Text, TTY: d.TTY, Open247: d.Open247,
		})
	}
	for _, name := range facetNames {
		out.Facets[name] = []FacetValue{}
	}
	if f := res.Facets["facets"]; f != nil && f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			name, value, ok := strings.Cut(t.Term, ":")
			if _, known := out.Facets[name]; ok && known {
				out.Facets[name] = append(out.Facets[name], FacetValue{Value: value, Count: t.Count})
			}
		}
	}
	for _, vals := range out.Facets {
		sort.Slice(vals, func(i, j int) bool {
			if vals[i].Count != vals[j].Count {
				return vals[i].Count > vals[j].Count
			}
			return vals[i].Value < vals[j].Value
		})
	}
	return out, nil
}

// snippet prefers a highlighted fragment of the body, then of the summary. The
// highlighter escapes the text; the only markup in a fragment is <mark>.
func snippet(frags map[string][]string, d Doc) string {
	sfx := analyzerSuffix(d.ContentLang)
	for _, field := range []string{"body_" + sfx, "summary_" + sfx} {
		if f := frags[field]; len(f) > 0 {
			return strings.TrimSpace(f[0])
		}
	}
	return ""
}

// Holder is the index a server currently searches. Swap replaces it while
// searches go on: each search runs on the index it started with.
type Holder struct {
	mu sync.RWMutex
	ix *Index
}

// Swap installs ix and closes the index it replaces, once no search uses it.
func (h *Holder) Swap(ix *Index) error {
	h.mu.Lock()
	old := h.ix
	h.ix = ix
	h.mu.Unlock()
	if old != nil {
		return old.Close()
	}
	return nil
}

// ErrNoIndex means no index has been installed yet.
var ErrNoIndex = fmt.Errorf("search index not open yet")

// Search runs q on the current index.
func (h *Holder) Search(ctx context.Context, q Query, v Vocabulary, syn *Synonyms) (Result, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.ix == nil {
		return Result{}, ErrNoIndex
	}
	return h.ix.Search(ctx, q, v, syn)
}

// Ready reports whether an index is installed.
func (h *Holder) Ready() error {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.ix == nil {
		return ErrNoIndex
	}
	return nil
}

// Close closes the current index.
func (h *Holder) Close() error { return h.Swap(nil) }
