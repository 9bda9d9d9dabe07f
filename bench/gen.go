// Package bench holds Northstar's benchmarks and the generators for their
// synthetic inputs. Nothing here is shipped; see docs/benchmarks.md for figures.
package bench

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"northstar/internal/search"
)

var corpusWords = strings.Fields(`work pay wages boss employer housing documents passport debt help
hotline call text safe rights minimum sick time theft report city worker hours shift job
restaurant cleaning construction farm home family friend phone money rent owe contract
agency interpreter language school youth support advocate lawyer court visa status`)

// GenerateSite writes a site of perLang pages in each of the real site's four
// languages into dir, themed with the repository's theme (themesDir is absolute).
func GenerateSite(dir, repoRoot string, perLang int) error {
	cfg, err := os.ReadFile(filepath.Join(repoRoot, "config.toml"))
	if err != nil {
		return err
	}
	themes, err := filepath.Abs(filepath.Join(repoRoot, "themes"))
	if err != nil {
		return err
	}
	cfgText := fmt.Sprintf("themesDir = %q\n%s", themes, cfg)
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(cfgText), 0o644); err != nil {
		return err
	}
	content := filepath.Join(dir, "content", "articles")
	if err := os.MkdirAll(content, 0o755); err != nil {
		return err
	}
	langs := []string{"", ".es", ".so", ".hmn"}
	r := rand.New(rand.NewPCG(1, 2))
	for _, l := range langs {
		home := fmt.Sprintf("---\ntitle: Home\ndescription: Generated home.\n---\nSee [the articles](/articles/).\n")
		if err := os.WriteFile(filepath.Join(dir, "content", "_index"+l+".md"), []byte(home), 0o644); err != nil {
			return err
		}
		section := "---\ntitle: Articles\ndescription: Generated articles.\n---\n"
		if err := os.WriteFile(filepath.Join(content, "_index"+l+".md"), []byte(section), 0o644); err != nil {
			return err
		}
	}
	for i := 0; i < perLang; i++ {
		for _, l := range langs {
			var b strings.Builder
			fmt.Fprintf(&b, "---\ntitle: \"Article %d\"\ndescription: \"Generated article %d.\"\n---\n", i, i)
			for p := 0; p < 6; p++ {
				if p%2 == 0 {
					fmt.Fprintf(&b, "## Part %d\n\n", p)
				}
				for w := 0; w < 60; w++ {
					b.WriteString(corpusWords[r.IntN(len(corpusWords))])
					b.WriteByte(' ')
				}
				fmt.Fprintf(&b, "\n\nSee [article %d](/articles/a%d/) or [get help](/).\n\n", (i+1)%perLang, (i+1)%perLang)
			}
			name := filepath.Join(content, fmt.Sprintf("a%d%s.md", i, l))
			if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

var (
	orgWords = strings.Fields(`Northside Southside Lake River Cedar Phillips Powderhorn Riverside Metro Twin
Hennepin Loring Midtown Harbor Prairie Union Unity Hope Bridge Circle Home Path`)
	orgKinds = strings.Fields(`Center Services Network Clinic Project Alliance Collective Line Office Partners`)
	services = []string{"hotline", "emergency", "shelter-housing", "legal-help", "immigration-legal-help",
		"labor-rights", "health", "mental-health", "youth-services", "case-management", "interpretation",
		"law-enforcement-reporting", "child-protection", "basic-needs", "sexual-violence-advocacy",
		"domestic-violence", "city-services"}
	populations = []string{"everyone", "youth", "adults", "workers", "immigrants", "native-communities", "lgbtq", "survivors"}
	spoken      = []string{"en", "es", "so", "hmn", "interpreters"}
)

// fillerWords makes k pronounceable made-up words, the long tail of a vocabulary.
func fillerWords(r *rand.Rand, k int) []string {
	syll := strings.Fields("ka lo mi ne ru sa te vo pa di go re la mu zo fi ha be tu no")
	seen := map[string]bool{}
	var out []string
	for len(out) < k {
		w := ""
		for i := 0; i < 2+r.IntN(3); i++ {
			w += syll[r.IntN(len(syll))]
		}
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// GenerateResources makes n synthetic service entries in English and n in
// Spanish, shaped like the real directory, for the search benchmark. Their
// text follows a Zipf distribution over the domain words and 5,000 filler
// words, as natural text does, so common words are common and most are rare.
func GenerateResources(n int) []search.Doc {
	r := rand.New(rand.NewPCG(3, 4))
	vocab := append(append([]string(nil), corpusWords...), fillerWords(r, 5000)...)
	r.Shuffle(len(vocab), func(i, j int) { vocab[i], vocab[j] = vocab[j], vocab[i] })
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1))
	pick := func(l []string, k int) []string {
		out := make([]string, 0, k)
		for _, i := range r.Perm(len(l))[:k] {
			out = append(out, l[i])
		}
		return out
	}
	sentence := func(words int) string {
		var b strings.Builder
		for i := 0; i < words; i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(vocab[zipf.Uint64()])
		}
		return b.String()
	}
	docs := make([]search.Doc, 0, 2*n)
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("%s %s %s %d", orgWords[r.IntN(len(orgWords))], orgWords[r.IntN(len(orgWords))], orgKinds[r.IntN(len(orgKinds))], i)
		svc := pick(services, 1+r.IntN(3))
		for _, lang := range []string{"en", "es"} {
			url := fmt.Sprintf("/resources/r%d/", i)
			if lang != "en" {
				url = "/" + lang + url
			}
			docs = append(docs, search.Doc{
				ID: lang + ":" + url, Lang: lang, ContentLang: lang, Kind: search.KindResource,
				Title: name, URL: url, Summary: sentence(14), Body: sentence(120),
				Services: svc, Languages: pick(spoken, 1+r.IntN(3)), Populations: pick(populations, 1+r.IntN(2)),
				Open247: r.IntN(3) == 0, Phone: fmt.Sprintf("612-555-%04d", i%10000),
			})
		}
	}
	return docs
}
