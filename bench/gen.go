// Package bench holds Northstar's benchmarks and the generators for their
// synthetic inputs. Nothing here is shipped; see docs/benchmarks.md for figures.
package bench

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

var words = strings.Fields(`work pay wages boss employer housing documents passport debt help
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
					b.WriteString(words[r.IntN(len(words))])
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
