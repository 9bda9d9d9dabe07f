package check

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"northstar/internal/site"
)

// resourceKeys lists every front matter key a directory entry may have, and
// whether it is required.
var resourceKeys = map[string]bool{
	"name": true, "summary": true, "services": true, "last_verified": true, "source": true,
	"languages": false, "populations": false, "phone": false, "text": false, "tty": false,
	"website": false, "email": false, "address": false, "hours": false, "open_24_7": false,
	"cost": false, "confidential": false, "regardless_of_immigration_status": false,
	"english_only": false, "fallback_from": false, "translated_from": false, "valid_until": false,
}

var (
	// phoneFormat is a number as written in facts.md: 1-888-373-7888, 612-673-3012, 911.
	phoneFormat = regexp.MustCompile(`^(1-)?\d{3}-\d{3}-\d{4}$|^\d{3}$`)
	// textFormat also allows SMS short codes such as 233733.
	textFormat = regexp.MustCompile(`^(1-)?\d{3}-\d{3}-\d{4}$|^\d{3,6}$`)
)

// staleAfter is how old last_verified may get before the entry needs checking again.
const staleAfter = 365 * 24 * time.Hour

// isResource tells a directory entry from the directory's own list page.
func isResource(p site.Page) bool {
	return strings.HasPrefix(p.Key, "resources/") && !strings.HasSuffix(p.Key, "/_index")
}

func resource(r *Report, p site.Page, cfg site.Config, now time.Time) {
	if p.FrontMatterErr != nil {
		frontMatter(r, p) // reports the parse error
		return
	}
	var unknown []string
	for key := range p.FrontMatter {
		if _, ok := resourceKeys[key]; !ok {
			unknown = append(unknown, key)
		}
	}
	sort.Strings(unknown)
	for _, key := range unknown {
		r.add(p.Path, p.KeyLine(key), Error, "unknown front matter %q for a service entry", key)
	}
	required := []string{"name", "summary", "services", "last_verified", "source"}
	for _, key := range required {
		if _, ok := p.FrontMatter[key]; !ok {
			r.add(p.Path, 1, Error, "missing front matter %q (every service entry needs %s)", key, strings.Join(required, ", "))
		}
	}
	for _, key := range []string{"name", "summary", "source", "hours", "website", "email", "address", "cost"} {
		if v, ok := p.FrontMatter[key]; ok {
			if s, isString := v.(string); !isString || strings.TrimSpace(s) == "" {
				r.add(p.Path, p.KeyLine(key), Error, "%s must be non-empty text", key)
			}
		}
	}
	numbers := map[string]*regexp.Regexp{"phone": phoneFormat, "tty": phoneFormat, "text": textFormat}
	for _, key := range []string{"phone", "text", "tty"} {
		v, ok := p.FrontMatter[key]
		if !ok {
			continue
		}
		s := fmt.Sprint(v)
		if !numbers[key].MatchString(s) {
			r.add(p.Path, p.KeyLine(key), Error, "%s %q is not written like 612-673-3012, 1-888-373-7888 or 911", key, s)
		}
	}
	terms := cfg.Params.Directory
	for key, allowed := range map[string][]string{"services": terms.Services, "populations": terms.Populations, "languages": terms.Languages} {
		v, ok := p.FrontMatter[key]
		if !ok {
			continue
		}
		list, isList := v.([]any)
		if !isList || len(list) == 0 {
			example := "term"
			if len(allowed) > 0 {
				example = allowed[0]
			}
			r.add(p.Path, p.KeyLine(key), Error, "%s must be a non-empty list, like [%s]", key, example)
			continue
		}
		for _, item := range list {
			term := fmt.Sprint(item)
			if !slices.Contains(allowed, term) {
				r.add(p.Path, p.KeyLine(key), Error, "unknown %s term %q: use one of %s (config.toml, params.directory)", key, term, strings.Join(allowed, ", "))
			}
		}
	}
	for _, key := range []string{"open_24_7", "confidential", "regardless_of_immigration_status"} {
		if v, ok := p.FrontMatter[key]; ok {
			if _, isBool := v.(bool); !isBool {
				r.add(p.Path, p.KeyLine(key), Error, "%s must be true or false", key)
			}
		}
	}
	if v, ok := p.FrontMatter["last_verified"]; ok {
		verified, err := asDate(v)
		switch {
		case err != nil:
			r.add(p.Path, p.KeyLine("last_verified"), Error, "last_verified %q is not a date like 2026-11-22", fmt.Sprint(v))
		case verified.After(now):
			r.add(p.Path, p.KeyLine("last_verified"), Error, "last_verified %s is in the future", verified.Format(time.DateOnly))
		case now.Sub(verified) > staleAfter:
			r.add(p.Path, p.KeyLine("last_verified"), Warning, "last verified %s, over 12 months ago: check the entry against its source again", verified.Format(time.DateOnly))
		}
	}
}

func asDate(v any) (time.Time, error) {
	switch d := v.(type) {
	case time.Time:
		return d, nil
	case string:
		return time.Parse(time.DateOnly, d)
	}
	return time.Time{}, fmt.Errorf("not a date")
}
