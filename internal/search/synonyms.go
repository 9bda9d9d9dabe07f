package search

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"northstar/internal/yamlpos"
)

// Synonyms maps the words residents use to the words our pages use. The file
// is YAML: each key is what to add to the search, each value the words and
// phrases that should add it.
//
//	wages: [pay, paycheck, salary, overtime, "no me pagan"]
type Synonyms struct {
	// phrases, longest first, each with the terms it adds.
	phrases []synonym
}

type synonym struct {
	phrase string // normalized
	adds   string
}

// LoadSynonyms reads a synonyms file. A missing file means no synonyms.
func LoadSynonyms(path string) (*Synonyms, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return &Synonyms{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read synonyms: %w", err)
	}
	return ParseSynonyms(b)
}

// ParseSynonyms decodes the YAML form described on Synonyms.
func ParseSynonyms(b []byte) (*Synonyms, error) {
	var raw map[string][]string
	if err := yamlpos.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("synonyms: %s", yamlpos.ErrorMessage(err))
	}
	s := &Synonyms{}
	for adds, phrases := range raw {
		for _, p := range phrases {
			if n := normalize(p); n != "" {
				s.phrases = append(s.phrases, synonym{phrase: n, adds: adds})
			}
		}
	}
	sort.Slice(s.phrases, func(i, j int) bool {
		if len(s.phrases[i].phrase) != len(s.phrases[j].phrase) {
			return len(s.phrases[i].phrase) > len(s.phrases[j].phrase)
		}
		return s.phrases[i].phrase < s.phrases[j].phrase
	})
	return s, nil
}

// Expand returns the extra terms the query's words and phrases call for.
func (s *Synonyms) Expand(query string) []string {
	if s == nil {
		return nil
	}
	q := " " + normalize(query) + " "
	seen := map[string]bool{}
	var out []string
	for _, syn := range s.phrases {
		if strings.Contains(q, " "+syn.phrase+" ") && !seen[syn.adds] {
			seen[syn.adds] = true
			out = append(out, syn.adds)
		}
	}
	return out
}

var nonWord = regexp.MustCompile(`[^\p{L}\p{N}]+`)

// normalize lower-cases, drops accents and punctuation: "¡No me pagan!" → "no me pagan".
func normalize(s string) string {
	folded := strings.ToLower(s)
	if !isASCII(folded) {
		t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicodeMn)), norm.NFC)
		if f, _, err := transform.String(t, folded); err == nil {
			folded = f
		}
	}
	return strings.TrimSpace(nonWord.ReplaceAllString(folded, " "))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// serviceWords turns a service term into words for the index: legal-help → legal help.
func serviceWords(term string) string {
	return strings.ReplaceAll(term, "-", " ")
}

var unicodeMn = unicode.Mn
