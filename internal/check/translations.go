package check

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"northstar/internal/site"
)

// TranslationStatus is how readers of one language get one page.
type TranslationStatus string

const (
	// Translated: the language has its own file, made from the current English.
	Translated TranslationStatus = "translated"
	// Fallback: no file in that language; the site serves the English page with
	// a notice that it is not translated yet.
	Fallback TranslationStatus = "fallback"
	// Stale: the language has its own file, but the English page changed after
	// it was made, or the file does not say which English it was made from.
	Stale TranslationStatus = "stale"
)

// TranslationRow is one page, named by its English file, and its status in
// every other language of the site.
type TranslationRow struct {
	Page      string                       `json:"page"`
	Languages map[string]TranslationStatus `json:"languages"`
}

// translatedFromKey names the English a translation was made from: the first
// 8 hex digits of the SHA-256 of the English page's body. A trainer never
// computes it: check prints the value to paste when it is missing or old.
const translatedFromKey = "translated_from"

// sourceDigest is the value a translation of p carries in translated_from. It
// covers the body only (after the front matter, line endings made "\n", space
// trimmed at both ends), so fixing a typo in a description or re-saving the
// file on Windows does not mark every translation stale.
func sourceDigest(p site.Page) string {
	lines := strings.SplitAfter(string(p.Source), "\n")
	start := min(max(p.BodyLine-1, 0), len(lines))
	body := strings.ReplaceAll(strings.Join(lines[start:], ""), "\r\n", "\n")
	sum := sha256.Sum256([]byte(strings.TrimSpace(body)))
	return hex.EncodeToString(sum[:])[:8]
}

// frontMatterValue returns the text of a top-level key as written on its line,
// without quotes or a trailing comment. It reads the line rather than the
// decoded value because YAML turns some hex digests into numbers (1234e567).
func frontMatterValue(p site.Page, key string) (string, bool) {
	lines := strings.Split(string(p.Source), "\n")
	for i := 1; i < p.BodyLine-1 && i < len(lines); i++ {
		rest, ok := strings.CutPrefix(lines[i], key)
		if !ok {
			continue
		}
		rest = strings.TrimSpace(rest)
		if !strings.HasPrefix(rest, ":") && !strings.HasPrefix(rest, "=") {
			continue
		}
		v := strings.TrimSpace(rest[1:])
		if j := strings.Index(v, " #"); j >= 0 {
			v = v[:j]
		}
		return strings.Trim(strings.TrimSpace(v), `"'`), true
	}
	return "", false
}

// translations requires every page in every complete language, unless the page
// says english_only, flags translations whose original is gone or has changed
// since, and fills the report's translation table. English-only pages (staff
// training, english_only: true) have no row: other languages never show them.
func translations(r *Report, pages []site.Page, cfg site.Config) {
	def := cfg.DefaultContentLanguage
	byLang := map[string]map[string]site.Page{}
	for _, p := range pages {
		if byLang[p.Lang] == nil {
			byLang[p.Lang] = map[string]site.Page{}
		}
		byLang[p.Lang][p.Key] = p
	}
	var others []string
	for _, lang := range cfg.LanguageNames() {
		if lang != def {
			others = append(others, lang)
		}
	}
	r.Languages = others
	for _, p := range pages {
		if p.Lang != def {
			if _, ok := byLang[def][p.Key]; !ok {
				r.add(p.Path, 1, Error, "translation of a page that does not exist: add content/%s.md or remove this file", p.Key)
			}
			continue
		}
		if p.EnglishOnly() {
			r.EnglishOnly++
			continue
		}
		for _, lang := range cfg.Params.CompleteLanguages {
			if _, ok := byLang[lang][p.Key]; lang == def || ok {
				continue
			}
			r.add(p.Path, 1, Error, "not translated into %s (%s): add content/%s.%s.md, or set english_only: true in the front matter",
				cfg.Languages[lang].Label, lang, p.Key, lang)
		}
		row := TranslationRow{Page: p.Path, Languages: map[string]TranslationStatus{}}
		digest := sourceDigest(p)
		for _, lang := range others {
			t, ok := byLang[lang][p.Key]
			if !ok {
				row.Languages[lang] = Fallback
				continue
			}
			row.Languages[lang] = Translated
			from, has := frontMatterValue(t, translatedFromKey)
			if has && strings.ToLower(from) == digest {
				continue
			}
			row.Languages[lang] = Stale
			if t.FrontMatterErr != nil {
				continue // reported as an error already; one fix at a time
			}
			if has {
				r.add(t.Path, t.KeyLine(translatedFromKey), Warning,
					"stale: %s changed since this translation was made; update the translation, then set %s: %q",
					p.Path, translatedFromKey, digest)
			} else {
				r.add(t.Path, 1, Warning,
					"stale: no %s says which version of %s this translates; bring it up to date, then add %s: %q to the front matter",
					translatedFromKey, p.Path, translatedFromKey, digest)
			}
		}
		r.Translations = append(r.Translations, row)
	}
}

// WriteTranslations prints the translation table for people: a row per page, a
// column per language other than English, and how many pages each has.
func (r Report) WriteTranslations(w io.Writer) error {
	fmt.Fprintln(w, "Translations:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "page\t%s\n", strings.Join(r.Languages, "\t"))
	count := map[string]map[TranslationStatus]int{}
	for _, row := range r.Translations {
		cells := make([]string, len(r.Languages))
		for i, lang := range r.Languages {
			s := row.Languages[lang]
			cells[i] = string(s)
			if count[lang] == nil {
				count[lang] = map[TranslationStatus]int{}
			}
			count[lang][s]++
		}
		fmt.Fprintf(tw, "%s\t%s\n", row.Page, strings.Join(cells, "\t"))
	}
	totals := make([]string, len(r.Languages))
	for i, lang := range r.Languages {
		totals[i] = fmt.Sprintf("%d/%d", count[lang][Translated], len(r.Translations))
	}
	fmt.Fprintf(tw, "total translated\t%s\n", strings.Join(totals, "\t"))
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "fallback: readers get the English page with a notice. stale: the English changed since; see the warnings above.\n"+
		"Not listed: %d English-only pages (staff training, english_only: true).\n", r.EnglishOnly)
	return err
}
