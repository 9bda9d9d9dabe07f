package search

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en" // registers the "en" analyzer
	_ "github.com/blevesearch/bleve/v2/analysis/lang/es" // registers the "es" analyzer
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
)

// analyzers maps a text's language to the analyzer for it. Somali and Hmong get
// a plain Unicode analyzer: words split and lower-cased, no stemming.
var analyzers = map[string]string{"en": "en", "es": "es"}

const plainAnalyzer = "plain"

// analyzerSuffix names the set of text fields a document of this content
// language is indexed into: name_en, body_es, summary_plain …
func analyzerSuffix(lang string) string {
	if _, ok := analyzers[lang]; ok {
		return lang
	}
	return plainAnalyzer
}

var suffixes = []string{"en", "es", plainAnalyzer}

// textFields are the weighted fields, name first. "near" holds name, services
// and summary together for near matches (misspellings): one fuzzy search over
// one field costs a third of three.
var textFields = []struct {
	name  string
	boost float64
}{{"name", 6}, {"services", 4}, {"summary", 2.5}, {"body", 1}, {"near", 2}}

func newMapping() (mapping.IndexMapping, error) {
	im := bleve.NewIndexMapping()
	err := im.AddCustomAnalyzer(plainAnalyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []any{lowercase.Name},
	})
	if err != nil {
		return nil, fmt.Errorf("plain analyzer: %w", err)
	}
	dm := bleve.NewDocumentStaticMapping()
	keyword := func(name string, store bool) {
		f := bleve.NewKeywordFieldMapping()
		f.Store = store
		f.IncludeInAll = false
		dm.AddFieldMappingsAt(name, f)
	}
	for _, k := range []string{"lang", "kind", "facet_services", "facet_languages", "facet_populations", "open247"} {
		keyword(k, false)
	}
	for _, sfx := range suffixes {
		an := plainAnalyzer
		if a, ok := analyzers[sfx]; ok {
			an = a
		}
		for _, tf := range textFields {
			f := bleve.NewTextFieldMapping()
			f.Analyzer = an
			f.IncludeInAll = false
			// Snippets come from docs.json, so nothing is stored twice.
			f.Store = false
			f.IncludeTermVectors = false
			dm.AddFieldMappingsAt(tf.name+"_"+sfx, f)
		}
	}
	im.DefaultMapping = dm
	im.DefaultAnalyzer = plainAnalyzer
	return im, nil
}

// indexed is the shape a Doc takes inside bleve.
func indexed(d Doc) map[string]any {
	sfx := analyzerSuffix(d.ContentLang)
	services := ""
	for _, s := range d.Services {
		services += serviceWords(s) + " "
	}
	return map[string]any{
		"lang":              d.Lang,
		"kind":              d.Kind,
		"facet_services":    d.Services,
		"facet_languages":   d.Languages,
		"facet_populations": d.Populations,
		"open247":           strconv.FormatBool(d.Open247),
		"name_" + sfx:       d.Title,
		"services_" + sfx:   services,
		"summary_" + sfx:    d.Summary,
		"body_" + sfx:       d.Body,
		"near_" + sfx:       d.Title + "\n" + services + "\n" + d.Summary,
	}
}

// facetTerms lists a document's facet values as "services:legal-help",
// "open247:true" …, the form Index counts them in.
func facetTerms(d Doc) []string {
	terms := []string{"open247:" + strconv.FormatBool(d.Open247)}
	for _, f := range []struct {
		name   string
		values []string
	}{{"services", d.Services}, {"languages", d.Languages}, {"populations", d.Populations}} {
		for _, v := range f.values {
			terms = append(terms, f.name+":"+v)
		}
	}
	return terms
}

const (
	bleveDir = "index.bleve"
	docsFile = "docs.json"
)

// Build writes a new index of docs into dir, which must not exist yet.
func Build(dir string, docs []Doc) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("create index dir: %w", err)
	}
	m, err := newMapping()
	if err != nil {
		return err
	}
	// The offline builder writes one merged segment: searches then read one
	// segment instead of one per batch.
	bld, err := bleve.NewBuilder(filepath.Join(dir, bleveDir), m, map[string]any{"batchSize": 2000})
	if err != nil {
		return fmt.Errorf("create index: %w", err)
	}
	for _, d := range docs {
		if d.Kind == KindNeed {
			continue
		}
		if err := bld.Index(d.ID, indexed(d)); err != nil {
			bld.Close()
			return fmt.Errorf("index %s: %w", d.ID, err)
		}
	}
	if err := bld.Close(); err != nil {
		return fmt.Errorf("write index: %w", err)
	}
	b, err := json.Marshal(docs)
	if err != nil {
		return fmt.Errorf("encode docs: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, docsFile), b, 0o640); err != nil {
		return fmt.Errorf("write docs: %w", err)
	}
	return nil
}

// BuildAside builds the index into a new folder beside dir and moves it into
// place, so a reader of dir never finds half an index.
func BuildAside(dir string, docs []Doc) error {
	tmp := dir + ".new"
	os.RemoveAll(tmp)
	if err := Build(tmp, docs); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	old := dir + ".old"
	os.RemoveAll(old)
	if err := os.Rename(dir, old); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("move old index aside: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("move new index in: %w", err)
	}
	return os.RemoveAll(old)
}
