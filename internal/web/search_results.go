package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"northstar/internal/search"
)

// searchResults renders /search/ and /{lang}/search/ on the server, inside the
// theme's search page, so search works without JavaScript.
func (s *Server) searchResults(w http.ResponseWriter, r *http.Request) {
	g := generationOf(r)
	if g == nil {
		http.Error(w, "Search is starting. Please try again in a moment.", http.StatusServiceUnavailable)
		return
	}
	root, setup := g.site, g.rel.Setup
	defaultLang := setup.Vocabulary.SiteLangs[0]
	lang := mux.Vars(r)["lang"]
	if lang == "" {
		lang = defaultLang
	}
	if lang == defaultLang && mux.Vars(r)["lang"] != "" || !slices.Contains(setup.Vocabulary.SiteLangs, lang) {
		s.notFound(w, r, root)
		return
	}
	page, err := root.searchShell(lang, defaultLang)
	if err != nil {
		s.log.ErrorContext(r.Context(), "search page", "err", err)
		httpError(w, r, http.StatusInternalServerError, msgOurSide)
		return
	}
	strs := setup.Strings[lang]
	t := func(key string) string { return strs[key] }

	action := "/search/"
	if lang != defaultLang {
		action = "/" + lang + "/search/"
	}
	view := searchView{Action: action, MaxLen: search.MaxQueryRunes, DirectoryURL: strings.TrimSuffix(action, "search/") + "resources/",
		HelpURL: strings.TrimSuffix(action, "search/") + "help/"}
	status := http.StatusOK
	q, err := searchParams(r, lang)
	q.Lang = lang // the page's language, whatever the URL says
	_, asked := r.URL.Query()["q"]
	if err == nil && asked {
		view.Searched = true
		view.Result, err = s.search(r, g, q)
	}
	switch {
	case err == nil:
	case search.IsBadQuery(err):
		status = http.StatusBadRequest
		view.Err = err.Error()
	case errors.Is(err, search.ErrNoIndex):
		http.Error(w, "Search is starting. Please try again in a moment.", http.StatusServiceUnavailable)
		return
	default:
		s.log.ErrorContext(r.Context(), "search failed", "err_type", fmt.Sprintf("%T", err))
		http.Error(w, "Search failed on our side. Please try again.", http.StatusInternalServerError)
		return
	}
	view.Query = q.Text
	for _, n := range view.Result.Needs {
		if view.Result.Crisis == nil || n.Slug != view.Result.Crisis.Need {
			view.OtherNeeds = append(view.OtherNeeds, n)
		}
	}
	view.Open247 = q.Open247
	view.Filtered = len(q.Services)+len(q.Languages)+len(q.Populations) > 0 || q.Open247
	view.Groups = filterGroups(q, view.Result.Facets, setup.Vocabulary, t)
	switch view.Result.Total {
	case 1:
		view.Count = t("search_one_result")
	default:
		view.Count = strings.ReplaceAll(t("search_results"), "{n}", strconv.Itoa(view.Result.Total))
	}
	if view.Result.Pages > 1 {
		view.PageOf = strings.NewReplacer("{page}", strconv.Itoa(q.Page), "{pages}", strconv.Itoa(view.Result.Pages)).Replace(t("page_of"))
		if q.Page > 1 {
			view.PrevURL = action + "?" + values(q, q.Page-1).Encode()
		}
		if q.Page < view.Result.Pages {
			view.NextURL = action + "?" + values(q, q.Page+1).Encode()
		}
	}
	tmpl, err := searchTemplate.Clone()
	if err == nil {
		var buf bytes.Buffer
		buf.Write(page.head)
		err = tmpl.Funcs(template.FuncMap{"t": t}).Execute(&buf, view)
		buf.Write(page.tail)
		if err == nil {
			writeDynamic(w, r, status, "text/html; charset=utf-8", buf.Bytes())
			return
		}
	}
	s.log.ErrorContext(r.Context(), "render search page", "err_type", fmt.Sprintf("%T", err))
	httpError(w, r, http.StatusInternalServerError, msgOurSide)
}

type searchView struct {
	Action, Query, Err, Count, PageOf, PrevURL, NextURL, DirectoryURL, HelpURL string
	MaxLen                                                                     int
	Searched, Filtered, Open247                                                bool
	Result                                                                     search.Result
	Groups                                                                     []filterGroup
	OtherNeeds                                                                 []search.NeedMatch // matched needs besides the crisis shown
}

type filterGroup struct {
	Name, Legend string
	Options      []filterOption
}

type filterOption struct {
	Value, Label string
	Count        int
	Checked      bool
}

// filterGroups offers each filter value that has results, or is chosen.
func filterGroups(q search.Query, facets map[string][]search.FacetValue, v search.Vocabulary, t func(string) string) []filterGroup {
	groups := []struct {
		name, facet, legend, prefix string
		all, chosen                 []string
	}{
		{"service", "services", "filter_services", "service_", v.Services, q.Services},
		{"language", "languages", "filter_languages", "language_", v.Languages, q.Languages},
		{"population", "populations", "filter_populations", "population_", v.Populations, q.Populations},
	}
	var out []filterGroup
	for _, g := range groups {
		counts := map[string]int{}
		for _, f := range facets[g.facet] {
			counts[f.Value] = f.Count
		}
		fg := filterGroup{Name: g.name, Legend: t(g.legend)}
		for _, val := range g.all {
			checked := slices.Contains(g.chosen, val)
			if counts[val] == 0 && !checked {
				continue
			}
			fg.Options = append(fg.Options, filterOption{Value: val, Label: t(g.prefix + val), Count: counts[val], Checked: checked})
		}
		if len(fg.Options) > 0 {
			out = append(out, fg)
		}
	}
	return out
}
