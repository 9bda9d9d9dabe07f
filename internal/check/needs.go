package check

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"northstar/internal/search"
	"northstar/internal/site"
)

// A need (content/help/<need>.md) maps a situation to directory entries; the
// search matches what residents type against its phrases. These rules keep
// that map sound: every entry it names exists, no phrase belongs to two needs
// (a search could not tell them apart), each need says itself in English
// and Spanish in enough ways.

// minPhrases is how many phrases a need needs in a language; languages not
// listed need none of their own (their pages are English until translated).
// A need without its Spanish page is reported by the translation rules,
// which require every page in both languages.
var minPhrases = map[string]int{"en": 25, "es": 15}

// needAreas are the groups of the /help/ index, in its order.
var needAreas = []string{"crisis", "work", "sex", "youth", "violence", "legal", "immigration", "basic-needs", "reporting"}

func isNeed(p site.Page) bool {
	return strings.HasPrefix(p.Key, "help/") && !strings.HasSuffix(p.Key, "/_index")
}

// phraseOwner is where a phrase was first seen.
type phraseOwner struct {
	key, file string
	line      int
}

func needs(r *Report, pages []site.Page, cfg site.Config) {
	entries := map[string]bool{}
	for _, p := range pages {
		if isResource(p) {
			entries[strings.TrimPrefix(p.Key, "resources/")] = true
		}
	}
	var missing []string
	for _, slug := range essentials(pages) {
		if !entries[slug] {
			missing = append(missing, slug)
		}
	}
	if len(missing) > 0 {
		r.add("content/resources", 1, Error, "a search that matches nothing shows %s, but content/resources/ has no such entries", strings.Join(missing, ", "))
	}
	crises := map[string]bool{}
	for _, p := range pages {
		if isNeed(p) && p.FrontMatter["crisis"] == true {
			crises[strings.TrimPrefix(p.Key, "help/")] = true
		}
	}
	owners := map[string]phraseOwner{}
	for _, p := range pages {
		if !isNeed(p) || p.FrontMatterErr != nil {
			continue
		}
		if p.FrontMatter["english_only"] == true {
			r.add(p.Path, p.KeyLine("english_only"), Error, "a need cannot be English only: residents search in Spanish too; add content/%s.es.md with its phrases in Spanish", p.Key)
		}
		lines := strings.Split(string(p.Source), "\n")
		if area, _ := p.FrontMatter["area"].(string); !slices.Contains(needAreas, area) {
			r.add(p.Path, p.KeyLine("area"), Error, "area %q: use one of %s", fmt.Sprint(p.FrontMatter["area"]), strings.Join(needAreas, ", "))
		}
		if v, ok := p.FrontMatter["speaker"]; ok && v != "self" && v != "other" {
			r.add(p.Path, p.KeyLine("speaker"), Error, "speaker %q: self (it is happening to the writer) or other (the writer is worried for someone); leave it out for either", fmt.Sprint(v))
		}
		for _, key := range []string{"crisis", "minor"} {
			if v, ok := p.FrontMatter[key]; ok {
				if _, isBool := v.(bool); !isBool {
					r.add(p.Path, p.KeyLine(key), Error, "%s must be true or false", key)
				}
			}
		}
		escalations(r, p, crises)
		toldBy(r, p)
		dir, _ := p.FrontMatter["directory"].([]any)
		if _, ok := p.FrontMatter["services"]; ok {
			r.add(p.Path, p.KeyLine("services"), Error, "a need lists its directory entries as directory: [...], not services: (that is the directory's own list of kinds of service)")
		} else if len(dir) == 0 {
			r.add(p.Path, p.KeyLine("directory"), Error, "a need must list the directory entries that help, in order: directory: [national-human-trafficking-hotline, ...]")
		}
		for _, item := range dir {
			if slug := fmt.Sprint(item); !entries[slug] {
				r.add(p.Path, p.KeyLine("directory"), Error, "unknown directory entry %q: no content/resources/%s.md", slug, slug)
			}
		}
		list, _ := p.FrontMatter["phrases"].([]any)
		if want := minPhrases[p.Lang]; len(list) < want && p.FrontMatter["fallback_from"] == nil {
			r.add(p.Path, max(1, p.KeyLine("phrases")), Error, "%d phrases in %s, want at least %d: the ways residents say this situation, misspellings and text-speak included", len(list), p.Lang, want)
		}
		seen := map[string]bool{}
		for _, item := range list {
			text, isString := item.(string)
			norm := search.NormalizedPhrase(text)
			line := lineWithPhrase(lines, p.KeyLine("phrases"), text)
			switch {
			case !isString || norm == "":
				r.add(p.Path, line, Error, "phrase %q has no words", fmt.Sprint(item))
				continue
			case seen[norm]:
				r.add(p.Path, line, Warning, "phrase %q is listed twice", text)
				continue
			}
			seen[norm] = true
			if o, ok := owners[norm]; ok && o.key != p.Key {
				r.add(p.Path, line, Error, "phrase %q is also a phrase of %s (line %d): a search could not tell the two needs apart; keep it in one", text, o.file, o.line)
				continue
			}
			owners[norm] = phraseOwner{key: p.Key, file: p.Path, line: line}
		}
	}
}

// escalations checks a need's escalate: map: known signals, each naming a
// crisis need, on a need that is not one itself.
func escalations(r *Report, p site.Page, crises map[string]bool) {
	v, ok := p.FrontMatter["escalate"]
	if !ok {
		return
	}
	m, isMap := v.(map[string]any)
	line := p.KeyLine("escalate")
	switch {
	case !isMap:
		r.add(p.Path, line, Error, "escalate must map signals (%s) to crisis needs: escalate: {minor: under-18-being-used}", strings.Join(search.Signals, ", "))
		return
	case p.FrontMatter["crisis"] == true:
		r.add(p.Path, line, Error, "a crisis need cannot escalate: it is one already")
		return
	}
	signals := make([]string, 0, len(m))
	for signal := range m {
		signals = append(signals, signal)
	}
	slices.Sort(signals)
	for _, signal := range signals {
		slug := fmt.Sprint(m[signal])
		switch {
		case !slices.Contains(search.Signals, signal):
			r.add(p.Path, line, Error, "escalate: unknown signal %q: use %s", signal, strings.Join(search.Signals, ", "))
		case !crises[slug]:
			r.add(p.Path, line, Error, "escalate: %s: %q is not a crisis need in content/help/ (crisis: true)", signal, slug)
		}
	}
}

// toldBy checks a need's told_by: a list of entries, each parts joined by
// "+" that the search knows (concepts, signals, speakers).
func toldBy(r *Report, p site.Page) {
	v, ok := p.FrontMatter["told_by"]
	if !ok {
		return
	}
	line := p.KeyLine("told_by")
	list, isList := v.([]any)
	if !isList {
		r.add(p.Path, line, Error, `told_by must be a list of parts joined by "+": told_by: ["violence + minor"]`)
		return
	}
	known := search.ToldByParts()
	for _, item := range list {
		text, _ := item.(string)
		parts := search.SplitToldBy(text)
		if len(parts) == 0 {
			r.add(p.Path, line, Error, "told_by: %q names no parts", fmt.Sprint(item))
			continue
		}
		for _, part := range parts {
			if !slices.Contains(known, part) {
				r.add(p.Path, line, Error, "told_by: %q: unknown part %q: use %s", text, part, strings.Join(known, ", "))
			}
		}
	}
}

func lineWithPhrase(lines []string, from int, text string) int {
	if strings.TrimSpace(text) == "" || from < 1 {
		return max(from, 1)
	}
	for i := from - 1; i < len(lines); i++ {
		if strings.Contains(lines[i], text) {
			return i + 1
		}
	}
	return from
}

// validUntilWarning is how long before a page's valid_until date check
// starts to warn.
const validUntilWarning = 30 * 24 * time.Hour

// validUntil: a page or entry stating a fact that holds only until a date
// (facts.md, "holds until") says so in valid_until; after that day it must
// not be shown as current.
func validUntil(r *Report, p site.Page, now time.Time) {
	v, ok := p.FrontMatter["valid_until"]
	if !ok {
		return
	}
	until, err := asDate(v)
	line := p.KeyLine("valid_until")
	switch {
	case err != nil:
		r.add(p.Path, line, Error, "valid_until %q is not a date like 2026-12-31", fmt.Sprint(v))
	case now.After(until.Add(24 * time.Hour)):
		r.add(p.Path, line, Error, "this page states facts that held until %s: update them from facts.md (or remove them), then move valid_until", until.Format(time.DateOnly))
	case until.Add(24*time.Hour).Sub(now) <= validUntilWarning:
		r.add(p.Path, line, Warning, "this page states facts that hold until %s: check facts.md for the new ones before then", until.Format(time.DateOnly))
	}
}

// essentials are the entries the search falls back on, where the site has
// needs at all (a site without them has no search to speak of).
func essentials(pages []site.Page) []string {
	for _, p := range pages {
		if isNeed(p) {
			return search.Essentials
		}
	}
	return nil
}
