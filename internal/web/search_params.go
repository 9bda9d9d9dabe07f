package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"northstar/internal/search"
)

// maxSearchQueryString caps the whole query string, before any parsing.
const maxSearchQueryString = 4096

// searchParams reads a search from the URL. A malformed parameter is the
// reader's to fix, so it comes back as a bad-query error.
func searchParams(r *http.Request, lang string) (search.Query, error) {
	q := search.Query{Lang: lang, Page: 1}
	if len(r.URL.RawQuery) > maxSearchQueryString {
		return q, &search.BadQueryError{Msg: "The search is too long."}
	}
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return q, &search.BadQueryError{Msg: "The search address is malformed."}
	}
	q.Text = v.Get("q")
	if l := v.Get("lang"); l != "" {
		q.Lang = l
	}
	q.Services = v["service"]
	q.Languages = v["language"]
	q.Populations = v["population"]
	switch strings.ToLower(v.Get("open247")) {
	case "":
	case "1", "true", "on", "yes":
		q.Open247 = true
	case "0", "false", "off", "no":
	default:
		return q, &search.BadQueryError{Msg: "open247 must be 1 or 0."}
	}
	if p := v.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			return q, &search.BadQueryError{Msg: "The page must be a number."}
		}
		q.Page = n
	}
	return q, nil
}

// values turns a query back into URL parameters, for paging links. The
// page's language is in its path, so lang is left out.
func values(q search.Query, page int) url.Values {
	v := q.URLValues()
	v.Del("lang")
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return v
}
