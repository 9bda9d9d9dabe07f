package search

import (
	"path/filepath"

	"northstar/internal/site"
)

// Setup is everything a search needs besides the index: what filters may
// name, the synonyms, and the interface strings per language.
type Setup struct {
	Vocabulary Vocabulary
	Synonyms   *Synonyms
	Strings    site.Strings
}

// LoadSetup reads the search setup from the site's sources: config.toml,
// content/search-synonyms.yaml and the theme's strings.
func LoadSetup(siteRoot string) (Setup, error) {
	cfg, err := site.LoadConfig(siteRoot)
	if err != nil {
		return Setup{}, err
	}
	syn, err := LoadSynonyms(filepath.Join(siteRoot, "content", "search-synonyms.yaml"))
	if err != nil {
		return Setup{}, err
	}
	strs, err := site.LoadStrings(siteRoot, cfg)
	if err != nil {
		return Setup{}, err
	}
	return Setup{
		Vocabulary: Vocabulary{
			SiteLangs:   cfg.LanguageNames(),
			Services:    cfg.Params.Directory.Services,
			Languages:   cfg.Params.Directory.Languages,
			Populations: cfg.Params.Directory.Populations,
		},
		Synonyms: syn,
		Strings:  strs,
	}, nil
}
