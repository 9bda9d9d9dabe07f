package site

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/pelletier/go-toml/v2"
)

// Strings are the theme's interface strings (i18n/<lang>.toml) for each
// language, for pages the server renders itself. A key missing in a language
// falls back to the default language's text.
type Strings map[string]map[string]string

// LoadStrings reads the theme's i18n files for every configured language.
func LoadStrings(root string, cfg Config) (Strings, error) {
	var hugo struct {
		Theme     string `toml:"theme"`
		ThemesDir string `toml:"themesDir"`
	}
	b, err := os.ReadFile(filepath.Join(root, "config.toml"))
	if err != nil {
		return nil, fmt.Errorf("read site config: %w", err)
	}
	if err := toml.Unmarshal(b, &hugo); err != nil {
		return nil, fmt.Errorf("parse config.toml: %w", err)
	}
	themes := hugo.ThemesDir
	if themes == "" {
		themes = "themes"
	}
	if !filepath.IsAbs(themes) {
		themes = filepath.Join(root, themes)
	}
	out := Strings{}
	for _, lang := range cfg.LanguageNames() {
		m := map[string]string{}
		raw, err := os.ReadFile(filepath.Join(themes, hugo.Theme, "i18n", lang+".toml"))
		if err != nil && !os.IsNotExist(err) {
			return nil, fmt.Errorf("read %s strings: %w", lang, err)
		}
		if err == nil {
			if err := toml.Unmarshal(raw, &m); err != nil {
				return nil, fmt.Errorf("parse %s strings: %w", lang, err)
			}
		}
		out[lang] = m
	}
	def := out[cfg.DefaultContentLanguage]
	for lang, m := range out {
		if lang == cfg.DefaultContentLanguage {
			continue
		}
		for k, v := range def {
			if _, ok := m[k]; !ok {
				m[k] = v
			}
		}
	}
	return out, nil
}
