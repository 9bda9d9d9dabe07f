package site

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"northstar/internal/yamlpos"
)

// Config is the part of config.toml that Northstar itself reads.
type Config struct {
	DefaultContentLanguage string `toml:"defaultContentLanguage"`
	Languages              map[string]struct {
		Label  string `toml:"label"`
		Locale string `toml:"locale"`
		Weight int    `toml:"weight"`
	} `toml:"languages"`
	Params struct {
		CompleteLanguages []string `toml:"completeLanguages"`
		Directory         struct {
			Services    []string `toml:"services"`
			Populations []string `toml:"populations"`
			Languages   []string `toml:"languages"`
		} `toml:"directory"`
		Training struct {
			Departments []string `toml:"departments"`
		} `toml:"training"`
	} `toml:"params"`

	// raw is the file as read, for Decode.
	raw []byte
}

// Decode decodes config.toml again into v, for a package that owns a part
// of it (referral settings) and cannot be a field here without an import
// cycle.
func (c Config) Decode(v any) error {
	if err := toml.Unmarshal(c.raw, v); err != nil {
		return fmt.Errorf("parse config.toml: %w", err)
	}
	return nil
}

// ServerPages are the staff pages the server renders rather than Hugo,
// which content may link to. A web test checks each is one of its routes.
var ServerPages = []string{"/login", "/training/my/", "/referrals/new", "/referrals/", "/account/password", "/certificates/"}

// LoadConfig reads config.toml under root.
func LoadConfig(root string) (Config, error) {
	var c Config
	b, err := os.ReadFile(filepath.Join(root, "config.toml"))
	if err != nil {
		return c, fmt.Errorf("read site config: %w", err)
	}
	if err := toml.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("parse config.toml: %w", err)
	}
	c.raw = b
	if c.DefaultContentLanguage == "" {
		c.DefaultContentLanguage = "en"
	}
	return c, nil
}

// LanguageNames lists the configured languages, by weight.
func (c Config) LanguageNames() []string {
	names := make([]string, 0, len(c.Languages))
	for name := range c.Languages {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		wi, wj := c.Languages[names[i]].Weight, c.Languages[names[j]].Weight
		if wi != wj {
			return wi < wj
		}
		return names[i] < names[j]
	})
	return names
}

// Page is one Markdown file under content/.
type Page struct {
	// Path is relative to the site root, with forward slashes: content/get-help.es.md.
	Path string
	// Key identifies the page across languages: get-help, training/basics/_index.
	Key  string
	Lang string
	// Source is the whole file; FrontMatter its decoded front matter (YAML or TOML).
	Source      []byte
	FrontMatter map[string]any
	// BodyLine is the 1-based line where the body starts.
	BodyLine int
	// FrontMatterErr is set when the front matter does not parse.
	FrontMatterErr error
	kind           frontMatterKind
}

type frontMatterKind int

const (
	frontMatterNone frontMatterKind = iota
	frontMatterYAML
	frontMatterTOML
)

// ScanContent reads every Markdown file under root/content, tells its language
// from its name (page.es.md is Spanish; page.md is in the default language) and
// decodes its front matter.
func ScanContent(root string, cfg Config) ([]Page, error) {
	pages, err := listContent(root, cfg)
	if err != nil {
		return nil, err
	}
	for i := range pages {
		if err := pages[i].load(root); err != nil {
			return nil, err
		}
	}
	return pages, nil
}

// load reads the page's file and decodes its front matter.
func (p *Page) load(root string) error {
	src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p.Path)))
	if err != nil {
		return fmt.Errorf("read %s: %w", p.Path, err)
	}
	p.Source = src
	p.FrontMatter, p.BodyLine, p.kind, p.FrontMatterErr = parseFrontMatter(src)
	return nil
}

// listContent finds every Markdown file under root/content without reading it.
func listContent(root string, cfg Config) ([]Page, error) {
	var pages []Page
	contentDir := filepath.Join(root, "content")
	err := filepath.WalkDir(contentDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || filepath.Ext(path) != ".md" {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		key := strings.TrimSuffix(strings.TrimPrefix(rel, "content/"), ".md")
		lang := cfg.DefaultContentLanguage
		if ext := filepath.Ext(key); ext != "" {
			if _, ok := cfg.Languages[ext[1:]]; ok {
				lang = ext[1:]
				key = strings.TrimSuffix(key, ext)
			}
		}
		pages = append(pages, Page{Path: rel, Key: key, Lang: lang})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan content: %w", err)
	}
	return pages, nil
}

// parseFrontMatter decodes a leading YAML (---) or TOML (+++) block.
func parseFrontMatter(src []byte) (map[string]any, int, frontMatterKind, error) {
	fm := map[string]any{}
	var delim string
	var kind frontMatterKind
	switch {
	case bytes.HasPrefix(src, []byte("---\n")), bytes.HasPrefix(src, []byte("---\r\n")):
		delim, kind = "---", frontMatterYAML
	case bytes.HasPrefix(src, []byte("+++\n")), bytes.HasPrefix(src, []byte("+++\r\n")):
		delim, kind = "+++", frontMatterTOML
	default:
		return fm, 1, frontMatterNone, fmt.Errorf("no front matter: the file must start with --- (YAML) or +++ (TOML)")
	}
	lines := strings.SplitAfter(string(src), "\n")
	for i := 1; i < len(lines); i++ {
		if strings.TrimRight(lines[i], "\r\n") == delim {
			block := strings.Join(lines[1:i], "")
			var err error
			if kind == frontMatterYAML {
				err = yamlpos.Unmarshal([]byte(block), &fm)
			} else {
				err = toml.Unmarshal([]byte(block), &fm)
			}
			if err != nil {
				return fm, i + 2, kind, &FrontMatterError{Line: 2 + errorLine(err), Err: err}
			}
			if fm == nil {
				fm = map[string]any{}
			}
			return fm, i + 2, kind, nil
		}
	}
	return fm, 1, kind, fmt.Errorf("front matter is not closed with %s", delim)
}

// FrontMatterError is front matter that does not parse, at a line of the file.
type FrontMatterError struct {
	Line int
	Err  error
}

func (e *FrontMatterError) Error() string {
	msg := e.Err.Error()
	if ye := yamlpos.Format(e.Err); ye != "" {
		msg = ye
	}
	msg, _, _ = strings.Cut(msg, "\n")
	// Drop the parser's own [line:col]: the finding carries the file's line.
	if i := strings.Index(msg, "] "); strings.HasPrefix(msg, "[") && i > 0 {
		msg = msg[i+2:]
	}
	return "front matter does not parse: " + msg
}

func (e *FrontMatterError) Unwrap() error { return e.Err }

// errorLine finds the 1-based line inside the front matter block that a YAML or
// TOML error points at, or 0.
func errorLine(err error) int {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		return row - 1
	}
	var line, col int
	if _, scanErr := fmt.Sscanf(yamlpos.Format(err), "[%d:%d]", &line, &col); scanErr == nil {
		return line - 1
	}
	return 0
}

// KeyLine returns the 1-based line of a top-level front matter key, or 1.
func (p Page) KeyLine(key string) int {
	for i, line := range strings.Split(string(p.Source), "\n") {
		if i+1 >= p.BodyLine {
			break
		}
		if strings.HasPrefix(line, key+":") || strings.HasPrefix(line, key+" =") || strings.HasPrefix(line, key+"=") {
			return i + 1
		}
	}
	return 1
}

// EnglishOnly reports whether the page needs no translation: it says
// english_only: true, or it is staff training (under content/training/), which
// is in English for now.
func (p Page) EnglishOnly() bool {
	if p.IsTraining() {
		return true
	}
	v, _ := p.FrontMatter["english_only"].(bool)
	return v
}

// IsTraining reports whether the page is part of the staff training.
func (p Page) IsTraining() bool {
	return p.Key == "training/_index" || strings.HasPrefix(p.Key, "training/")
}

// withFallbackFrom returns the page's source with a fallback_from marker added to
// its front matter, so templates can tell readers the page is not translated yet.
func (p Page) withFallbackFrom(lang string) ([]byte, bool) {
	var line string
	switch p.kind {
	case frontMatterYAML:
		line = fmt.Sprintf("fallback_from: %s\n", lang)
	case frontMatterTOML:
		line = fmt.Sprintf("fallback_from = %q\n", lang)
	default:
		return nil, false
	}
	i := bytes.IndexByte(p.Source, '\n') + 1
	out := make([]byte, 0, len(p.Source)+len(line))
	out = append(out, p.Source[:i]...)
	out = append(out, line...)
	out = append(out, p.Source[i:]...)
	return out, true
}

// Fallbacks returns, for every default-language page that a language lacks, the
// file to add: path relative to root, and its content. Pages need only be
// listed: a page's file is read only when some language lacks it.
func Fallbacks(root string, pages []Page, cfg Config) (map[string][]byte, error) {
	have := map[string]bool{}
	for _, p := range pages {
		have[p.Lang+"\x00"+p.Key] = true
	}
	out := map[string][]byte{}
	for _, p := range pages {
		if p.Lang != cfg.DefaultContentLanguage {
			continue
		}
		for _, lang := range cfg.LanguageNames() {
			if lang == p.Lang || have[lang+"\x00"+p.Key] {
				continue
			}
			if p.Source == nil {
				if err := p.load(root); err != nil {
					return nil, err
				}
			}
			if p.EnglishOnly() || p.FrontMatterErr != nil {
				break
			}
			if src, ok := p.withFallbackFrom(p.Lang); ok {
				out["content/"+p.Key+"."+lang+".md"] = src
			}
		}
	}
	return out, nil
}
