// Package search owns the full-text index of the public site: the service
// directory and the awareness pages, in every language. It never logs or
// stores what anyone searched for.
package search

import (
	"bytes"
	"fmt"
	"path"
	"reflect"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"northstar/internal/site"
)

// Doc is one searchable page in one language.
type Doc struct {
	ID string `json:"id"`
	// Lang is the site language the page is shown in; ContentLang the language
	// its text is written in (English for a page not yet translated).
	Lang        string   `json:"lang"`
	ContentLang string   `json:"content_lang"`
	Kind        string   `json:"kind"` // KindResource, KindPage or KindNeed
	Title       string   `json:"title"`
	URL         string   `json:"url"`
	Summary     string   `json:"summary"`
	Body        string   `json:"body"`
	Services    []string `json:"services,omitempty"`
	Languages   []string `json:"languages,omitempty"`
	Populations []string `json:"populations,omitempty"`
	Open247     bool     `json:"open_24_7"`
	Phone       string   `json:"phone,omitempty"`
	Text        string   `json:"text,omitempty"`
	TTY         string   `json:"tty,omitempty"`
	// Slug is the last part of the URL: the name a need lists a service by.
	Slug string `json:"slug"`
	// A need (content/help/) is not indexed: its phrases are matched against
	// each search, and its services lifted to the top.
	Crisis       bool     `json:"crisis,omitempty"`
	Phrases      []string `json:"phrases,omitempty"`
	NeedServices []string `json:"need_services,omitempty"`
	// Speaker is who a need's phrases speak of: "self" (the person it is
	// happening to), "other" (someone worried for another), or either.
	Speaker string `json:"speaker,omitempty"`
	// Minor marks a need about someone under 18: a search that gives such
	// an age ("im 14", "tengo 16", "shes 6") leans to it.
	Minor bool `json:"minor,omitempty"`
	// Escalate names, for a need that is not a crisis, the crisis need a
	// search means when it also says the person is under 18 ("minor": the
	// writer; "minor-other": someone the writer speaks of), that it is
	// happening now ("now") or that it just happened ("recent"): "my
	// boyfriend sells me" is not a crisis need, "im 15 and my boyfriend sells
	// me" is. "past" (long ago: "years ago", "when i was a kid") is read
	// too, for told_by.
	Escalate map[string]string `json:"escalate,omitempty"`
	// ToldBy lists the ways a search tells the need without any of its
	// phrases' words: each a set of parts joined by "+" (a concept, a
	// signal, or the speaker self or other), all of which the search must
	// carry: "violence + minor" is a child being hurt however the blow is
	// worded. See concepts.go.
	ToldBy []string `json:"told_by,omitempty"`
}

// Signals a search may carry, the keys of Doc.Escalate.
var Signals = []string{"minor", "minor-other", "now", "past", "recent"}

// Kinds of documents.
const (
	KindResource = "resource"
	KindPage     = "page"
	KindNeed     = "need"
)

// FromSite picks the pages residents should find — service entries,
// awareness pages and needs — from a site build. Training pages, lists by service and
// pages marked noindex stay out.
func FromSite(pages []site.PageInfo) []Doc {
	var docs []Doc
	for _, p := range pages {
		if p.Kind != "page" && p.Kind != "section" && p.Kind != "home" {
			continue
		}
		if p.Section == "training" || p.Section == "search" || truthy(p.Params["noindex"]) {
			continue
		}
		if p.Kind == "page" && strings.HasSuffix(p.URL, "/search/") {
			continue
		}
		d := Doc{
			ID:          p.Lang + ":" + p.URL,
			Lang:        p.Lang,
			ContentLang: p.Lang,
			Kind:        KindPage,
			Title:       p.Title,
			URL:         p.URL,
			Summary:     str(p.Params["description"]),
			Body:        PlainText([]byte(p.Markdown)),
			Slug:        path.Base(p.URL),
		}
		if from := str(p.Params["fallback_from"]); from != "" {
			d.ContentLang = from
		}
		if p.Section == "resources" && p.Kind == "page" {
			d.Kind = KindResource
			d.Title = str(p.Params["name"])
			d.Summary = str(p.Params["summary"])
			d.Services = strs(p.Params["services"])
			d.Languages = strs(p.Params["languages"])
			d.Populations = strs(p.Params["populations"])
			d.Open247 = truthy(p.Params["open_24_7"])
			d.Phone = str(p.Params["phone"])
			d.Text = str(p.Params["text"])
			d.TTY = str(p.Params["tty"])
		}
		if p.Section == "help" && p.Kind == "page" {
			d.Kind = KindNeed
			d.Crisis = truthy(p.Params["crisis"])
			d.Phrases = strs(p.Params["phrases"])
			d.NeedServices = strs(p.Params["directory"])
			d.Speaker = str(p.Params["speaker"])
			d.Minor = truthy(p.Params["minor"])
			d.Escalate = strMap(p.Params["escalate"])
			d.ToldBy = strs(p.Params["told_by"])
		}
		docs = append(docs, d)
	}
	return docs
}

// strMap is a front matter map of strings; other values are left out.
// (Hugo gives nested front matter as its own map type, hence reflect.)
func strMap(v any) map[string]string {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map || rv.Type().Key().Kind() != reflect.String || rv.Len() == 0 {
		return nil
	}
	out := make(map[string]string, rv.Len())
	for it := rv.MapRange(); it.Next(); {
		if s, ok := it.Value().Interface().(string); ok {
			out[strings.ToLower(it.Key().String())] = s
		}
	}
	return out
}

func str(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

func strs(v any) []string {
	switch l := v.(type) {
	case []string:
		return l
	case []any:
		out := make([]string, 0, len(l))
		for _, x := range l {
			out = append(out, str(x))
		}
		return out
	}
	return nil
}

func truthy(v any) bool {
	b, _ := v.(bool)
	return b
}

var md = goldmark.New()

// PlainText turns Markdown into the words a reader sees: no markup, link
// targets or code fences; blocks separated by newlines.
func PlainText(src []byte) string {
	doc := md.Parser().Parse(text.NewReader(src))
	var b bytes.Buffer
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock && b.Len() > 0 {
				b.WriteByte('\n')
			}
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeSpan:
			for c := t.FirstChild(); c != nil; c = c.NextSibling() {
				if tx, ok := c.(*ast.Text); ok {
					b.Write(tx.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(collapseBlankLines(b.String()))
}

func collapseBlankLines(s string) string {
	for strings.Contains(s, "\n\n") {
		s = strings.ReplaceAll(s, "\n\n", "\n")
	}
	return s
}
