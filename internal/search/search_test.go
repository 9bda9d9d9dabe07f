package search_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"northstar/internal/search"
	"northstar/internal/site"
)

var (
	testIndex *search.Index
	testSyn   *search.Synonyms
	testVocab search.Vocabulary
)

// TestMain builds the real site and indexes it once.
func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	dir, err := os.MkdirTemp("", "northstar-search-test-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	res, err := site.Build(site.Options{Root: "../..", OutDir: filepath.Join(dir, "public")})
	if err != nil {
		return 0, err
	}
	if err := search.Build(filepath.Join(dir, "index"), search.FromSite(res.Built)); err != nil {
		return 0, err
	}
	testIndex, err = search.Open(filepath.Join(dir, "index"))
	if err != nil {
		return 0, err
	}
	defer testIndex.Close()
	testSyn, err = search.LoadSynonyms("../../content/search-synonyms.yaml")
	if err != nil {
		return 0, err
	}
	cfg, err := site.LoadConfig("../..")
	if err != nil {
		return 0, err
	}
	testVocab = search.Vocabulary{
		SiteLangs:   cfg.LanguageNames(),
		Services:    cfg.Params.Directory.Services,
		Languages:   cfg.Params.Directory.Languages,
		Populations: cfg.Params.Directory.Populations,
	}
	return m.Run(), nil
}

func run(t *testing.T, q search.Query) search.Result {
	t.Helper()
	if q.Page == 0 {
		q.Page = 1
	}
	res, err := testIndex.Search(context.Background(), q, testVocab, testSyn)
	if err != nil {
		t.Fatalf("search %q: %v", q.Text, err)
	}
	return res
}

// TestRelevance: what residents type, and the page that must be in the top 3
// (where two pages answer equally well, either counts: "a|b").
func TestRelevance(t *testing.T) {
	cases := []struct {
		lang, query, wantURL string
	}{
		{"en", "trafiking hotlin", "/resources/national-human-trafficking-hotline/"},
		{"en", "national human trafficking hotline", "/resources/national-human-trafficking-hotline/"},
		{"en", "my boss took my passport", "/resources/national-human-trafficking-hotline/"},
		{"en", "what is debt bondage", "/labor-trafficking/"},
		{"en", "boss does not pay overtime", "/resources/minneapolis-labor-standards/"},
		{"en", "I need a lawyer", "/resources/mid-minnesota-legal-aid/"},
		{"en", "free lawyer", "/resources/volunteer-lawyers-network/"},
		{"en", "sexual assault", "/resources/sexual-violence-center/"},
		{"en", "suicide", "/resources/988-lifeline/"},
		{"en", "food and housing", "/resources/united-way-211/"},
		{"en", "teen selling sex", "/young-people/|/resources/minnesota-safe-harbor/"},
		{"en", "domestic violense", "/resources/national-domestic-violence-hotline/"},
		{"en", "wage theft", "/resources/minneapolis-labor-standards/"},
		{"en", "child abuse report", "/resources/hennepin-child-protection/"},
		{"es", "no me pagan", "/es/resources/minneapolis-labor-standards/|/es/worker-rights/"},
		{"es", "no me pagan las horas extra", "/es/resources/minneapolis-labor-standards/|/es/worker-rights/|/es/resources/mn-dli-labor-standards/|/es/resources/us-dol-wage-and-hour/"},
		{"es", "línea de trata", "/es/resources/national-human-trafficking-hotline/"},
		{"es", "necesito un abogado", "/es/resources/mid-minnesota-legal-aid/"},
		{"es", "mi jefe tiene mi pasaporte", "/es/resources/national-human-trafficking-hotline/"},
		{"es", "que es la servidumbre por deudas", "/es/labor-trafficking/"},
		{"so", "caawimo", "/so/get-help/"},
	}
	for _, c := range cases {
		t.Run(c.lang+"/"+c.query, func(t *testing.T) {
			res := run(t, search.Query{Text: c.query, Lang: c.lang})
			var got []string
			for i, h := range res.Hits {
				if i == 3 {
					break
				}
				got = append(got, h.URL)
				for _, want := range strings.Split(c.wantURL, "|") {
					if h.URL == want {
						return
					}
				}
			}
			t.Errorf("%q in %s: top 3 %v, want %s", c.query, c.lang, got, c.wantURL)
		})
	}
}

func TestFiltersAndFacets(t *testing.T) {
	all := run(t, search.Query{Text: "help", Lang: "en"})
	if all.Total == 0 || len(all.Facets["services"]) == 0 {
		t.Fatalf("no results or facets for help: %+v", all)
	}
	res := run(t, search.Query{Text: "help", Lang: "en", Services: []string{"legal-help"}})
	if res.Total == 0 || res.Total >= all.Total {
		t.Fatalf("legal-help filter: %d results of %d", res.Total, all.Total)
	}
	for _, h := range res.Hits {
		if !contains(h.Services, "legal-help") {
			t.Errorf("%s is not legal help: %v", h.URL, h.Services)
		}
	}
	open := run(t, search.Query{Text: "help", Lang: "en", Open247: true})
	for _, h := range open.Hits {
		if !h.Open247 {
			t.Errorf("open247 filter returned %s", h.URL)
		}
	}
	both := run(t, search.Query{Text: "help", Lang: "en", Open247: true, Services: []string{"hotline"}})
	for _, h := range both.Hits {
		if !h.Open247 || !contains(h.Services, "hotline") {
			t.Errorf("combined filter returned %s", h.URL)
		}
	}
	// Results stay in the reader's language.
	es := run(t, search.Query{Text: "ayuda", Lang: "es"})
	for _, h := range es.Hits {
		if !strings.HasPrefix(h.URL, "/es/") {
			t.Errorf("Spanish search returned %s", h.URL)
		}
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func TestPagingAndSnippets(t *testing.T) {
	first := run(t, search.Query{Text: "help", Lang: "en", Page: 1})
	if first.Pages < 2 {
		t.Fatalf("want several pages for help, got %d (total %d)", first.Pages, first.Total)
	}
	second := run(t, search.Query{Text: "help", Lang: "en", Page: 2})
	if len(second.Hits) == 0 || second.Hits[0].URL == first.Hits[0].URL {
		t.Error("page 2 repeats page 1")
	}
	// A word of the entries' text, not their summaries: a snippet that only
	// repeats the summary is left out.
	res := run(t, search.Query{Text: "interpreters", Lang: "en"})
	marked := false
	for _, h := range res.Hits {
		if strings.Contains(h.Snippet, "<mark>") {
			marked = true
		}
		s := strings.ReplaceAll(strings.ReplaceAll(h.Snippet, "<mark>", ""), "</mark>", "")
		if strings.ContainsAny(s, "<>") {
			t.Errorf("snippet has live markup besides <mark>: %q", h.Snippet)
		}
	}
	if !marked {
		t.Error("no snippet highlights the match")
	}
	for _, h := range res.Hits {
		if plain := strings.ReplaceAll(strings.ReplaceAll(h.Snippet, "<mark>", ""), "</mark>", ""); plain != "" && strings.Contains(h.Summary, strings.Trim(plain, " …")) {
			t.Errorf("%s: the snippet repeats the summary: %q", h.URL, h.Snippet)
		}
	}
}

func TestBadQueries(t *testing.T) {
	cases := []search.Query{
		{Text: "", Lang: "en", Page: 1},
		{Text: "   ", Lang: "en", Page: 1},
		{Text: strings.Repeat("a", search.MaxQueryRunes+1), Lang: "en", Page: 1},
		{Text: `"unclosed`, Lang: "en", Page: 1},
		{Text: "-only", Lang: "en", Page: 1},
		{Text: "help", Lang: "fr", Page: 1},
		{Text: "help", Lang: "en", Page: 0},
		{Text: "help", Lang: "en", Page: search.MaxPage + 1},
		{Text: "help", Lang: "en", Page: 40},
		{Text: "help", Lang: "en", Page: 1, Services: []string{"therapy"}},
		{Text: "help", Lang: "en", Page: 1, Languages: []string{"klingon"}},
		{Text: "help", Lang: "en", Page: 1, Populations: []string{"<script>"}},
	}
	for _, q := range cases {
		_, err := testIndex.Search(context.Background(), q, testVocab, testSyn)
		if !search.IsBadQuery(err) {
			t.Errorf("%+v: err %v, want a bad-query error", q, err)
		}
	}
	// Query syntax that bleve would choke on is just text here.
	for _, text := range []string{"+boss -", "a:b", "(help", "help*", "~~", `"" help`} {
		if _, err := testIndex.Search(context.Background(), search.Query{Text: text, Lang: "en", Page: 1}, testVocab, testSyn); err != nil && !search.IsBadQuery(err) {
			t.Errorf("%q: %v", text, err)
		}
	}
}

func TestSynonyms(t *testing.T) {
	syn, err := search.ParseSynonyms([]byte("wages: [pay, \"no me pagan\"]\nemployer: [boss, jefe]\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(syn.Expand("¡No me PAGAN! mi jefe"), ",")
	if got != "wages,employer" && got != "employer,wages" {
		t.Errorf("Expand = %q", got)
	}
	if got := syn.Expand("payment"); len(got) != 0 {
		t.Errorf("partial word matched: %v", got)
	}
	if _, err := search.ParseSynonyms([]byte("wages: pay: [")); err == nil {
		t.Error("broken YAML accepted")
	}
}

func TestPlainText(t *testing.T) {
	got := search.PlainText([]byte("## Call now\n\nCall [911](tel:911) or **text** `233733`.\n\n```\nignored code\n```\n\n- one\n- two\n"))
	want := "Call now\nCall 911 or text 233733.\none\ntwo"
	if got != want {
		t.Errorf("PlainText = %q, want %q", got, want)
	}
}

// TestRebuildUnderLoad rebuilds the index's folder while searches run on
// the index opened from it before (what a release does until its last
// request ends): every search must succeed on a whole index, old or new.
func TestRebuildUnderLoad(t *testing.T) {
	dir := t.TempDir()
	docs := []search.Doc{{ID: "en:/a/", Lang: "en", ContentLang: "en", Kind: search.KindPage, Title: "Wage help", URL: "/a/", Body: "wages and pay"}}
	var gate search.Gate
	path := filepath.Join(dir, "search")
	if err := search.BuildAside(path, docs); err != nil {
		t.Fatal(err)
	}
	cur, err := search.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 5; round++ {
		done := make(chan error)
		for w := 0; w < 4; w++ {
			go func(ix *search.Index) {
				var err error
				for i := 0; i < 20 && err == nil; i++ {
					var res search.Result
					res, err = gate.Search(context.Background(), ix, search.Query{Text: "wages", Lang: "en", Page: 1}, testVocab, nil)
					if err == nil && res.Total != 1 {
						err = fmt.Errorf("total %d, want 1", res.Total)
					}
				}
				done <- err
			}(cur)
		}
		if err := search.BuildAside(path, docs); err != nil {
			t.Fatal(err)
		}
		next, err := search.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		for w := 0; w < 4; w++ {
			if err := <-done; err != nil {
				t.Errorf("round %d: %v", round, err)
			}
		}
		if err := cur.Close(); err != nil {
			t.Fatal(err)
		}
		cur = next
	}
	cur.Close()
	if _, err := os.Stat(filepath.Join(dir, "search.new")); !os.IsNotExist(err) {
		t.Errorf("build folder left behind: %v", err)
	}
}

// TestTiesRankTheSameOnEveryBuild: the index builder numbers documents in an
// order of its own, different from one build to the next. Documents that
// score the same must still come back in one order (by ID), or a rebuild of
// unchanged content could reorder results and the evaluation would not repeat.
func TestTiesRankTheSameOnEveryBuild(t *testing.T) {
	var docs, want []string
	for i := range 40 {
		id := fmt.Sprintf("/tie/%02d/", i)
		docs = append(docs, id)
		want = append(want, "en:"+id)
	}
	for build := range 4 {
		var list []search.Doc
		for _, id := range docs {
			list = append(list, search.Doc{ID: "en:" + id, Lang: "en", ContentLang: "en", Kind: search.KindPage,
				Title: "Wage help", URL: id, Body: "wages and pay"})
		}
		// A different input order each build, too.
		for i := range list {
			j := (i*7 + build*13) % len(list)
			list[i], list[j] = list[j], list[i]
		}
		path := filepath.Join(t.TempDir(), "search")
		if err := search.Build(path, list); err != nil {
			t.Fatal(err)
		}
		ix, err := search.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for page := 1; len(got) < len(want); page++ {
			res, err := ix.Search(context.Background(), search.Query{Text: "wages", Lang: "en", Page: page}, testVocab, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) == 0 {
				break
			}
			for _, h := range res.Hits {
				got = append(got, "en:"+h.URL)
			}
		}
		ix.Close()
		if !slices.Equal(got, want) {
			t.Fatalf("build %d ranks equal documents as\n%v\nwant\n%v", build, got, want)
		}
	}
}

func TestSnippetEscapesAndMarks(t *testing.T) {
	body := "Intro words here. If your boss <b>takes</b> your passport & papers, call the hotline. " + strings.Repeat("filler ", 80)
	res := search.SnippetForTest([]string{"passport", "boss"}, body, "summary")
	for _, want := range []string{"<mark>boss</mark>", "<mark>passport</mark>", "&lt;b&gt;takes&lt;/b&gt;", "&amp;"} {
		if !strings.Contains(res, want) {
			t.Errorf("snippet %q lacks %q", res, want)
		}
	}
	if !strings.HasSuffix(res, " …") {
		t.Errorf("long body not cut: %q", res)
	}
	if got := search.SnippetForTest([]string{"nothing"}, body, "A <summary>"); got != "A &lt;summary&gt;" {
		t.Errorf("no match: %q, want the escaped summary", got)
	}
}
