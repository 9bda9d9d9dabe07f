package search

import "strings"

// A resident who knows the service types its name: "day one crisis line",
// "miwrc address", "safe harbor minnesota", "us dept of labor wage and hour
// phone". The entry so named comes first, whatever needs the rest of the
// words match (after a crisis need's line: "domestic violence, he has a gun"
// still opens with 911).
//
// A name is known by an acronym ("MIWRC", "RAINN") and by any two of its
// distinctive words in a row ("safe harbor", "legal aid", "runaway
// safeline", "wage and hour"). Two words in the names of two entries
// ("human trafficking", "labor standards") are a kind of service, not a
// name.

// genericNameWords are the words of names that tell no entry apart.
var genericNameWords = wordSet(`minnesota minneapolis mn national city county of the and for a de del la las los el y en
	para us u s department departamento division line linea hotline center centro crisis services servicios
	condado`)

// names maps a name, as plainWords joined by spaces, to the slugs of the
// entries it names.
type names map[string][]string

// namesOf reads the names of the directory entries among docs.
func namesOf(docs []Doc) names {
	n := names{}
	add := func(key, slug string) {
		if !contains(n[key], slug) {
			n[key] = append(n[key], slug)
		}
	}
	for _, d := range docs {
		if d.Kind != KindResource {
			continue
		}
		for _, w := range strings.Fields(d.Title) {
			// An acronym: "MIWRC", "(MIWRC)", "BCA".
			if a := strings.Trim(w, "()—,"); len(a) >= 3 && a == strings.ToUpper(a) && strings.ToLower(a) != a {
				add(strings.ToLower(a), d.Slug)
			}
		}
		var run []string
		for _, w := range plainWords(d.Title) {
			if genericNameWords[w] {
				if w != "and" && w != "y" { // "wage and hour"
					run = run[:0]
				}
				continue
			}
			if len(run) > 0 {
				add(run[len(run)-1]+" "+w, d.Slug)
			}
			run = append(run, w)
		}
	}
	for k, slugs := range n {
		if len(slugs) > 1 {
			delete(n, k)
		}
	}
	return n
}

// named returns the slugs of the entries words name, in the order they are
// named, each once; "and" and "y" are left out, as namesOf keys them.
func (n names) named(words []string) []string {
	if len(n) == 0 {
		return nil
	}
	var out []string
	prev := ""
	for _, w := range words {
		if w == "and" || w == "y" {
			continue
		}
		for _, slugs := range [][]string{n[w], n[prev+" "+w]} {
			for _, s := range slugs {
				if !contains(out, s) {
					out = append(out, s)
				}
			}
		}
		prev = w
	}
	return out
}
