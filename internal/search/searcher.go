package search

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	blevesearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// Index is an open index with the documents it holds.
type Index struct {
	bleve bleve.Index
	adv   index.Index
	docs  map[string]Doc
	// facetTerms lists every facet value ("services:legal-help"); docFacets
	// holds, by the index's internal document number, the positions in
	// facetTerms of that document's values. Counting facets for a search is
	// then an array walk per hit instead of a doc-value read per hit.
	facetTerms []string
	docFacets  [][]uint16
	// num is each indexed document's internal number; resources finds a
	// directory entry's document by slug and site language.
	num map[string]uint64
	// order holds, by internal document number, the document's place among
	// all documents sorted by ID. The builder numbers documents in an order
	// that changes from one build to the next; ties between equal scores are
	// broken by order so that the same content always ranks the same way.
	order     []uint32
	resources map[string]map[string]string
	needs     *needMatcher
	names     names
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
	bi, err := bleve.OpenUsing(filepath.Join(dir, bleveDir), map[string]any{"read_only": true})
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	ix := &Index{bleve: bi, docs: make(map[string]Doc, len(docs)), num: map[string]uint64{},
		resources: map[string]map[string]string{}, needs: newNeedMatcher(docs), names: namesOf(docs)}
	if err := ix.loadFacets(docs); err != nil {
		bi.Close()
		return nil, err
	}
	return ix, nil
}

func (ix *Index) loadFacets(docs []Doc) error {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return fmt.Errorf("open index reader: %w", err)
	}
	ix.adv = adv
	reader, err := adv.Reader()
	if err != nil {
		return fmt.Errorf("open index reader: %w", err)
	}
	defer reader.Close()
	termIndex := map[string]uint16{}
	byID := make([]string, len(docs))
	for i, d := range docs {
		byID[i] = d.ID
	}
	sort.Strings(byID)
	for _, d := range docs {
		ix.docs[d.ID] = d
		if d.Kind == KindNeed {
			continue
		}
		if d.Kind == KindResource {
			if ix.resources[d.Slug] == nil {
				ix.resources[d.Slug] = map[string]string{}
			}
			ix.resources[d.Slug][d.Lang] = d.ID
		}
		iid, err := reader.InternalID(d.ID)
		if err != nil || len(iid) != 8 {
			return fmt.Errorf("find %s in index: %v", d.ID, err)
		}
		num := binary.BigEndian.Uint64(iid)
		ix.num[d.ID] = num
		for uint64(len(ix.docFacets)) <= num {
			ix.docFacets = append(ix.docFacets, nil)
			ix.order = append(ix.order, 0)
		}
		place, _ := slices.BinarySearch(byID, d.ID)
		ix.order[num] = uint32(place)
		for _, t := range facetTerms(d) {
			pos, ok := termIndex[t]
			if !ok {
				pos = uint16(len(ix.facetTerms))
				termIndex[t] = pos
				ix.facetTerms = append(ix.facetTerms, t)
			}
			ix.docFacets[num] = append(ix.docFacets[num], pos)
		}
	}
	return nil
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
	// Needs are the situations the search was understood as, best first;
	// their services open the hits. Crisis is set when the best is a crisis:
	// the line to show above everything.
	Needs  []NeedMatch `json:"needs"`
	Crisis *Crisis     `json:"crisis"`
	// Essentials are the lines that help in most situations, given when
	// nothing matched, so no search ends empty-handed.
	Essentials []Hit `json:"essentials,omitempty"`
}

// facetNames are the facets a result reports.
var facetNames = []string{"services", "languages", "populations", "open247"}

// scored is a hit kept for ranking: its internal document number, its place
// in ID order (Index.order) and its score.
type scored struct {
	num   uint64
	order uint32
	score float64
}

// Search runs q. A query the reader must fix returns a *BadQueryError.
//
// It walks the matches itself rather than through bleve's collector: it keeps
// the best page in a small heap and counts facets from memory as it goes.
func (ix *Index) Search(ctx context.Context, q Query, v Vocabulary, syn *Synonyms) (Result, error) {
	p, err := q.Validate(v)
	if err != nil {
		return Result{}, err
	}
	reader, err := ix.adv.Reader()
	if err != nil {
		return Result{}, fmt.Errorf("open index reader: %w", err)
	}
	defer reader.Close()
	synonyms := p.expand(syn)
	unknown, err := ix.unknownWords(ctx, reader, strings.Join(p.words, " "), suffixesFor(q.Lang))
	if err != nil {
		return Result{}, err
	}
	searcher, err := p.bleveQuery(q, synonyms, unknown).Searcher(ctx, reader, ix.bleve.Mapping(), blevesearch.SearcherOptions{})
	if err != nil {
		return Result{}, fmt.Errorf("prepare search: %w", err)
	}
	defer searcher.Close()
	sctx := &blevesearch.SearchContext{
		DocumentMatchPool: blevesearch.NewDocumentMatchPool(searcher.DocumentMatchPoolSize()+1, 0),
		IndexReader:       reader,
	}
	needs := ix.needs.match(strings.Join(append(append([]string{}, p.words...), p.phrases...), " "), q.Lang)
	top := ix.liftedDocs(withNamed(needs, ix.names.named(plainWords(strings.Join(p.words, " ")))), q)
	liftedSeen := make(map[uint64]bool, len(top))
	for _, id := range top {
		liftedSeen[ix.num[id]] = false
	}
	keep := q.Page * PageSize
	best := make(hitHeap, 0, keep+1)
	counts := make([]int, len(ix.facetTerms))
	countFacets := func(num uint64) {
		if num < uint64(len(ix.docFacets)) {
			for _, pos := range ix.docFacets[num] {
				counts[pos]++
			}
		}
	}
	total := 0
	for {
		if total%1024 == 0 && ctx.Err() != nil {
			return Result{}, ctx.Err()
		}
		dm, err := searcher.Next(sctx)
		if err != nil {
			return Result{}, fmt.Errorf("search: %w", err)
		}
		if dm == nil {
			break
		}
		total++
		num := binary.BigEndian.Uint64(dm.IndexInternalID)
		countFacets(num)
		if _, ok := liftedSeen[num]; ok {
			liftedSeen[num] = true
		} else {
			best.offer(scored{num: num, order: ix.order[num], score: dm.Score}, keep)
		}
		sctx.DocumentMatchPool.Put(dm)
	}
	for num, seen := range liftedSeen {
		if !seen {
			total++
			countFacets(num)
		}
	}
	out := Result{
		Query:  q.Text,
		Total:  total,
		Page:   q.Page,
		Pages:  (total + PageSize - 1) / PageSize,
		Hits:   []Hit{},
		Facets: map[string][]FacetValue{},
		Needs:  needs,
	}
	if out.Needs == nil {
		out.Needs = []NeedMatch{}
	}
	if q.Page > 1 && q.Page > out.Pages {
		return Result{}, bad("Page %d does not exist: there are %d pages of results.", q.Page, out.Pages)
	}
	ranked := make([]string, 0, len(top)+len(best))
	ranked = append(ranked, top...)
	buf := make([]byte, 8)
	for _, h := range best.sorted() {
		binary.BigEndian.PutUint64(buf, h.num)
		id, err := reader.ExternalID(buf)
		if err != nil {
			return Result{}, fmt.Errorf("read result id: %w", err)
		}
		ranked = append(ranked, id)
	}
	from := min((q.Page-1)*PageSize, len(ranked))
	to := min(from+PageSize, len(ranked))
	marker := newHighlighter(append(append(p.words, p.phrases...), synonyms...))
	for _, id := range ranked[from:to] {
		if d, ok := ix.docs[id]; ok {
			out.Hits = append(out.Hits, hitOf(d, marker))
		}
	}
	if len(needs) > 0 && needs[0].Crisis {
		out.Crisis = ix.crisis(needs[0], q.Lang)
	}
	if total == 0 {
		for _, id := range ix.liftedDocs(Essentials, Query{Lang: q.Lang}) {
			out.Essentials = append(out.Essentials, hitOf(ix.docs[id], marker))
		}
	}
	for _, name := range facetNames {
		out.Facets[name] = []FacetValue{}
	}
	for pos, n := range counts {
		if n == 0 {
			continue
		}
		name, value, _ := strings.Cut(ix.facetTerms[pos], ":")
		out.Facets[name] = append(out.Facets[name], FacetValue{Value: value, Count: n})
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

// unknownWords analyzes text as each field set does and returns the terms the
// "near" field of that set does not contain.
func (ix *Index) unknownWords(ctx context.Context, reader index.IndexReader, text string, sets []string) (misspelt, error) {
	out := misspelt{}
	m := ix.bleve.Mapping()
	for _, sfx := range sets {
		an := plainAnalyzer
		if a, ok := analyzers[sfx]; ok {
			an = a
		}
		analyzer := m.AnalyzerNamed(an)
		if analyzer == nil {
			return nil, fmt.Errorf("no analyzer %q", an)
		}
		for _, tok := range analyzer.Analyze([]byte(text)) {
			tfr, err := reader.TermFieldReader(ctx, tok.Term, "near_"+sfx, false, false, false)
			if err != nil {
				return nil, fmt.Errorf("look up %s term: %w", sfx, err)
			}
			n := tfr.Count()
			tfr.Close()
			if n == 0 {
				out[sfx] = append(out[sfx], string(tok.Term))
			}
		}
	}
	return out, nil
}

// hitHeap keeps the k best hits: a min-heap on score, ties broken by the
// documents' order so the ranking is the same from one build to the next.
type hitHeap []scored

func worse(a, b scored) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.order > b.order
}

func (h *hitHeap) offer(s scored, k int) {
	if len(*h) == k {
		if !worse((*h)[0], s) {
			return
		}
		(*h)[0] = s
		h.down(0)
		return
	}
	*h = append(*h, s)
	for i := len(*h) - 1; i > 0; {
		parent := (i - 1) / 2
		if !worse((*h)[i], (*h)[parent]) {
			break
		}
		(*h)[i], (*h)[parent] = (*h)[parent], (*h)[i]
		i = parent
	}
}

func (h hitHeap) down(i int) {
	for {
		l, r, min := 2*i+1, 2*i+2, i
		if l < len(h) && worse(h[l], h[min]) {
			min = l
		}
		if r < len(h) && worse(h[r], h[min]) {
			min = r
		}
		if min == i {
			return
		}
		h[i], h[min] = h[min], h[i]
		i = min
	}
}

// sorted returns the hits best first.
func (h hitHeap) sorted() []scored {
	out := append([]scored(nil), h...)
	sort.Slice(out, func(i, j int) bool { return worse(out[j], out[i]) })
	return out
}

// Gate admits as many searches at once as there are CPUs; the rest wait
// their turn. Searches are CPU-bound: running more at once only stretches
// every one of them and the latency tail with it. The zero Gate is ready.
type Gate struct {
	running chan struct{}
	once    sync.Once
}

// Search runs q on ix when its turn comes, or gives up with ctx.
func (g *Gate) Search(ctx context.Context, ix *Index, q Query, v Vocabulary, syn *Synonyms) (Result, error) {
	g.once.Do(func() { g.running = make(chan struct{}, runtime.GOMAXPROCS(0)) })
	select {
	case g.running <- struct{}{}:
		defer func() { <-g.running }()
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	return ix.Search(ctx, q, v, syn)
}

// ErrNoIndex means there is no index to search.
var ErrNoIndex = errors.New("search index not open yet")
