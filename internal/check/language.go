package check

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"northstar/internal/site"
	"northstar/internal/yamlpos"
)

// reviewFile lists the words to review, per language. Trainers edit it like
// content; Hugo does not publish it (config.toml, ignoreFiles).
const reviewFile = "content/language-review.yaml"

// reviewEntry is one entry of the review list: words to avoid, what to write
// instead, and why.
type reviewEntry struct {
	Avoid []string `yaml:"avoid"`
	Use   []string `yaml:"use"`
	Why   string   `yaml:"why"`
}

// reviewTerm is one word or phrase to look for, compiled.
type reviewTerm struct {
	re    *regexp.Regexp
	entry *reviewEntry
}

// proseKeys are the front matter keys readers see as text. Other keys (menu,
// services, phone, source...) are data, not prose.
var proseKeys = []string{"title", "linktitle", "description", "summary"}

// quizProseKeys are the keys of a quiz file a learner reads.
var quizProseKeys = []string{"title", "prompt", "text", "explanation"}

var (
	// markdownMarker allows a listed use on its line of Markdown:
	// <!-- language-ok --> (every term on the line) or
	// <!-- language-ok: prostitute, pimp --> (only those). Goldmark drops
	// HTML comments when raw HTML is off, so readers never see it.
	markdownMarker = regexp.MustCompile(`<!--\s*language-ok\s*(?::([^>]*?))?\s*-->`)
	// yamlMarker is the same as a YAML comment, for quiz files and front
	// matter: # language-ok: prostitute
	yamlMarker = regexp.MustCompile(`(?:^|\s)#\s*language-ok\s*(?::(.*?))?\s*$`)
	// notProse matches what a page shows as something other than its words,
	// or does not show at all: HTML comments and tags, link destinations,
	// autolinks and bare web addresses.
	notProse = regexp.MustCompile(`<!--.*?-->|\]\([^)]*\)|<[a-zA-Z/!][^>]*>|https?://\S+`)
	// refDefinition is a whole reference definition line: [label]: dest "title".
	refDefinition = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*\S+.*$`)
)

// loadReview reads the review list under root. A site without one is not
// reviewed. Mistakes in the list are findings at their line.
func loadReview(r *Report, root string, cfg site.Config) (map[string][]reviewTerm, error) {
	src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(reviewFile)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read language review list: %w", err)
	}
	var list map[string][]reviewEntry
	if err := yamlpos.Unmarshal(src, &list, yaml.DisallowUnknownField()); err != nil {
		r.add(reviewFile, yamlpos.ErrorLine(err), Error, "%s", yamlpos.ErrorMessage(err))
		return nil, nil
	}
	tree, err := yamlpos.Parse(src)
	if err != nil {
		r.add(reviewFile, yamlpos.ErrorLine(err), Error, "%s", yamlpos.ErrorMessage(err))
		return nil, nil
	}
	langs := make([]string, 0, len(list))
	for lang := range list {
		langs = append(langs, lang)
	}
	sort.Strings(langs)
	terms := map[string][]reviewTerm{}
	for _, lang := range langs {
		if _, ok := cfg.Languages[lang]; !ok {
			r.add(reviewFile, yamlpos.PathLine(tree, "$."+lang), Error, "unknown language %q: use one of %s (config.toml, languages)",
				lang, strings.Join(cfg.LanguageNames(), ", "))
			continue
		}
		for i := range list[lang] {
			e := &list[lang][i]
			line := yamlpos.PathLine(tree, fmt.Sprintf("$.%s[%d]", lang, i))
			switch {
			case len(e.Avoid) == 0 || slices.ContainsFunc(e.Avoid, isBlank):
				r.add(reviewFile, line, Error, "an entry needs avoid: the words to look for, like [prostitute, prostitutes]")
				continue
			case len(e.Use) == 0 || slices.ContainsFunc(e.Use, isBlank):
				r.add(reviewFile, line, Error, "an entry needs use: what to write instead, like [person who sells sex]")
				continue
			case isBlank(e.Why):
				r.add(reviewFile, line, Error, "an entry needs why: one line on why the words are listed")
				continue
			}
			for _, word := range e.Avoid {
				terms[lang] = append(terms[lang], reviewTerm{re: termPattern(word), entry: e})
			}
		}
	}
	return terms, nil
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// termPattern matches a word or phrase in any case, with any spacing between
// its words, and with -s or -es added (the plural rule; other forms are listed).
// Whole words are checked by the caller, since \b knows no accented letters.
func termPattern(term string) *regexp.Regexp {
	words := strings.Fields(term)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(`(?i)` + strings.Join(words, `\s+`) + `(?:e?s)?`)
}

// termHit is one use of a listed word in a line.
type termHit struct {
	start, end int
	text       string
	entry      *reviewEntry
}

// findTerms returns the listed words used in s, longest first where they
// overlap: "child prostitute" is one hit, not also "prostitute".
func findTerms(s string, terms []reviewTerm) []termHit {
	var hits []termHit
	for _, t := range terms {
		for _, m := range t.re.FindAllStringIndex(s, -1) {
			before, _ := utf8.DecodeLastRuneInString(s[:m[0]])
			after, _ := utf8.DecodeRuneInString(s[m[1]:])
			if isWordRune(before) || isWordRune(after) {
				continue
			}
			hits = append(hits, termHit{m[0], m[1], strings.Join(strings.Fields(s[m[0]:m[1]]), " "), t.entry})
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].start != hits[j].start {
			return hits[i].start < hits[j].start
		}
		return hits[i].end > hits[j].end
	})
	var out []termHit
	end := 0
	for _, h := range hits {
		if h.start >= end {
			out = append(out, h)
			end = h.end
		}
	}
	return out
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
}

// allowed lists the words a marker on a line allows; nil when there is no
// marker, empty when the marker allows every word on the line.
func allowed(re *regexp.Regexp, line string) []string {
	var words []string
	found := false
	for _, m := range re.FindAllStringSubmatch(line, -1) {
		found = true
		if strings.TrimSpace(m[1]) == "" {
			return []string{}
		}
		for _, w := range strings.Split(m[1], ",") {
			if w = strings.ToLower(strings.Join(strings.Fields(w), " ")); w != "" {
				words = append(words, w)
			}
		}
	}
	if !found {
		return nil
	}
	return words
}

// isAllowed tells whether a marker's words cover a hit: its text as written,
// or any word of its entry.
func isAllowed(h termHit, words []string) bool {
	if words == nil {
		return false
	}
	if len(words) == 0 {
		return true
	}
	if slices.Contains(words, strings.ToLower(h.text)) {
		return true
	}
	for _, a := range h.entry.Avoid {
		if slices.Contains(words, strings.ToLower(strings.Join(strings.Fields(a), " "))) {
			return true
		}
	}
	return false
}

// reviewHits adds a warning for each hit on one line the line's marker does
// not allow. marker shows the author how to allow a quoted use.
func reviewHits(r *Report, file string, n int, hits []termHit, words []string, marker string) {
	for _, h := range hits {
		if isAllowed(h, words) {
			continue
		}
		r.add(file, n, Warning, "%q: consider %s (survivor-centered language, Framework goal 5.6); if you quote it on purpose, add %s to the line",
			h.text, quoteList(h.entry.Use), fmt.Sprintf(marker, strings.ToLower(h.text)))
	}
}

// quoteList writes ["a", "b", "c"] as "a", "b" or "c".
func quoteList(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = fmt.Sprintf("%q", strings.TrimSpace(s))
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// reviewPage looks for listed words in a page's prose: the prose keys of its
// front matter and its body, outside code, link destinations and HTML.
func reviewPage(r *Report, p site.Page, terms []reviewTerm) {
	if len(terms) == 0 {
		return
	}
	lines := strings.Split(string(p.Source), "\n")
	for key, v := range p.FrontMatter {
		s, ok := v.(string)
		if !ok || !slices.Contains(proseKeys, strings.ToLower(key)) {
			continue
		}
		n := p.KeyLine(key)
		reviewHits(r, p.Path, n, findTerms(s, terms), allowed(yamlMarker, lines[n-1]), "# language-ok: %s")
	}
	bodyLines(p, func(n int, line string) {
		words := allowed(markdownMarker, line)
		if refDefinition.MatchString(line) {
			return
		}
		line = notProse.ReplaceAllStringFunc(line, blank)
		reviewHits(r, p.Path, n, findTerms(line, terms), words, "<!-- language-ok: %s -->")
	})
}

// reviewQuizzes looks for listed words in what learners read in quiz files:
// titles, prompts, options and explanations. Quizzes are in English.
func reviewQuizzes(r *Report, root string, terms []reviewTerm) error {
	if len(terms) == 0 {
		return nil
	}
	files, err := filepath.Glob(filepath.Join(root, "quizzes", "*.yaml"))
	if err != nil {
		return fmt.Errorf("list quizzes: %w", err)
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("read quiz: %w", err)
		}
		tree, err := yamlpos.Parse(src)
		if err != nil {
			continue // training() reports it
		}
		lines := strings.Split(string(src), "\n")
		rel := relTo(root, file)
		for _, doc := range tree.Docs {
			ast.Walk(visitFunc(func(n ast.Node) {
				kv, ok := n.(*ast.MappingValueNode)
				if !ok || kv.Key.GetToken() == nil || !slices.Contains(quizProseKeys, kv.Key.GetToken().Value) {
					return
				}
				var text string
				var line int
				switch v := kv.Value.(type) {
				case *ast.StringNode:
					text, line = v.Value, v.Token.Position.Line
				case *ast.LiteralNode:
					text, line = v.Value.Value, v.Start.Position.Line
				default:
					return
				}
				// A hit is reported on the line it is written on, which for a
				// block or folded string is below the key.
				byLine := map[int][]termHit{}
				var order []int
				for _, h := range findTerms(text, terms) {
					at := lineWith(lines, line, h.text)
					if byLine[at] == nil {
						order = append(order, at)
					}
					byLine[at] = append(byLine[at], h)
				}
				for _, at := range order {
					reviewHits(r, rel, at, byLine[at], allowed(yamlMarker, lines[at-1]), "# language-ok: %s")
				}
			}), doc)
		}
	}
	return nil
}

// lineWith returns the first line from line on (1-based) that has text in any
// case, or line.
func lineWith(lines []string, line int, text string) int {
	text = strings.ToLower(strings.Fields(text)[0])
	for i := line - 1; i >= 0 && i < len(lines); i++ {
		if strings.Contains(strings.ToLower(lines[i]), text) {
			return i + 1
		}
	}
	return line
}

// visitFunc calls itself on every node of a YAML tree.
type visitFunc func(ast.Node)

func (f visitFunc) Visit(n ast.Node) ast.Visitor {
	f(n)
	return f
}
