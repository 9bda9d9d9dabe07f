package web

import (
	"html/template"
	"strings"
)

// resultsMarker is where the theme's /search/ page takes the results.
const resultsMarker = `<div id="search-results"></div>`

// searchShell returns the theme's search page for lang.
func (r *siteRoot) searchShell(lang, defaultLang string) (*shell, error) {
	rel := lang + "/search/index.html"
	if lang == defaultLang {
		rel = "search/index.html"
	}
	return r.shell(rel, resultsMarker)
}

var searchTemplate = template.Must(template.New("search.html").Funcs(template.FuncMap{
	"t":    func(string) string { return "" }, // replaced per request
	"safe": func(s string) template.HTML { return template.HTML(s) },
	"tel":  telURL,
	"sms":  smsURL,
}).ParseFS(templateFS, "templates/search.html"))

// telURL makes a tel: link from a number as written: 1-888-373-7888 → tel:+18883737888.
func telURL(number string) template.URL {
	return template.URL("tel:" + dialable(number))
}

func smsURL(number string) template.URL {
	return template.URL("sms:" + dialable(number))
}

func dialable(number string) string {
	var digits strings.Builder
	for _, r := range number {
		if r >= '0' && r <= '9' {
			digits.WriteRune(r)
		}
	}
	d := digits.String()
	switch len(d) {
	case 10:
		return "+1" + d
	case 11:
		return "+" + d
	}
	return d
}
