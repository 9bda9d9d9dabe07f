// Package site owns the Hugo build of the public site. It is the only package
// that imports Hugo, so a Hugo upgrade touches nothing else.
package site

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/deps"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/hugolib"
	"github.com/spf13/afero"
)

// Options says where the site's sources are and where to write it.
type Options struct {
	// Root holds config.toml, content/ and themes/.
	Root string
	// OutDir receives the built site.
	OutDir string
}

// Result says what a build produced.
type Result struct {
	Pages     int
	Languages int
	// Built lists the content pages as Hugo rendered them, for the search index.
	Built []PageInfo
}

// PageInfo is one rendered page of one language.
type PageInfo struct {
	// Lang is the site language the page is published in.
	Lang string
	// Kind is Hugo's: home, page, section, taxonomy or term.
	Kind    string
	Section string
	URL     string
	Title   string
	// Params is the front matter, keys in lower case.
	Params map[string]any
	// Markdown is the body as written, without front matter.
	Markdown string
	Weight   int
}

// Build renders the site from opts.Root into opts.OutDir. It builds into a new
// folder beside OutDir and swaps it in when done, so OutDir never holds a half
// build or pages that were deleted from content/.
func Build(opts Options) (Result, error) {
	out, err := filepath.Abs(opts.OutDir)
	if err != nil {
		return Result{}, fmt.Errorf("resolve output dir: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), filepath.Base(out)+".new-")
	if err != nil {
		return Result{}, fmt.Errorf("create build dir: %w", err)
	}
	res, err := buildInto(opts.Root, tmp)
	if err == nil {
		err = os.WriteFile(filepath.Join(tmp, buildMarker), nil, 0o644)
	}
	if err == nil {
		err = replaceDir(out, tmp)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return Result{}, err
	}
	return res, nil
}

// buildMarker marks a folder as a Northstar build, safe to replace.
const buildMarker = ".northstar-build"

// replaceDir puts src where dst is. It refuses to delete a dst that is neither
// empty nor an earlier build, so a mistaken --out cannot wipe a folder.
func replaceDir(dst, src string) error {
	entries, err := os.ReadDir(dst)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return os.Rename(src, dst)
	case err != nil:
		return fmt.Errorf("read output dir: %w", err)
	}
	if len(entries) > 0 {
		if _, err := os.Stat(filepath.Join(dst, buildMarker)); err != nil {
			return fmt.Errorf("refusing to replace %s: it is not empty and was not built by northstar", dst)
		}
	}
	old := dst + ".old"
	os.RemoveAll(old)
	if err := os.Rename(dst, old); err != nil {
		return fmt.Errorf("move old build aside: %w", err)
	}
	if err := os.Rename(src, dst); err != nil {
		return fmt.Errorf("move new build in: %w", err)
	}
	return os.RemoveAll(old)
}

func buildInto(siteRoot, outDir string) (Result, error) {
	root, err := filepath.Abs(siteRoot)
	if err != nil {
		return Result{}, fmt.Errorf("resolve site root: %w", err)
	}
	cfg, err := LoadConfig(root)
	if err != nil {
		return Result{}, err
	}
	pages, err := listContent(root, cfg)
	if err != nil {
		return Result{}, err
	}
	fallbacks, err := Fallbacks(root, pages, cfg)
	if err != nil {
		return Result{}, err
	}
	// Untranslated pages are written, as English copies marked fallback_from, to
	// a temporary folder mounted as a second content source: every language has
	// every page, and content/ stays as trainers wrote it.
	var extraContent string
	if len(fallbacks) > 0 {
		extraContent, err = os.MkdirTemp("", "northstar-fallbacks-")
		if err != nil {
			return Result{}, fmt.Errorf("create fallback dir: %w", err)
		}
		defer os.RemoveAll(extraContent)
		for rel, src := range fallbacks {
			p := filepath.Join(extraContent, filepath.FromSlash(strings.TrimPrefix(rel, "content/")))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return Result{}, fmt.Errorf("add fallback page %s: %w", rel, err)
			}
			if err := os.WriteFile(p, src, 0o644); err != nil {
				return Result{}, fmt.Errorf("add fallback page %s: %w", rel, err)
			}
		}
	}
	built, err := hugoBuild(root, outDir, extraContent)
	if err != nil {
		return Result{}, err
	}
	return Result{Pages: len(built), Languages: len(cfg.Languages), Built: built}, nil
}

// BareBuild is what Hugo alone does with the same sources: no fallback pages, no
// swap-in. It exists as the baseline for the build benchmark.
func BareBuild(siteRoot, outDir string) error {
	root, err := filepath.Abs(siteRoot)
	if err != nil {
		return fmt.Errorf("resolve site root: %w", err)
	}
	_, err = hugoBuild(root, outDir, "")
	return err
}

// hugoBuild runs one Hugo build of root into outDir, with extraContent (if not
// "") mounted as more content. It returns the pages built.
func hugoBuild(root, outDir, extraContent string) ([]PageInfo, error) {
	flags := config.New()
	flags.Set("publishDir", outDir)
	flags.Set("environment", "production")
	if extraContent != "" {
		flags.Set("module", map[string]any{"mounts": []map[string]any{
			{"source": "content", "target": "content"},
			{"source": extraContent, "target": "content"},
		}})
	}
	sites, err := openSites(root, flags, nil, nil)
	if err != nil {
		return nil, err
	}
	defer sites.Close()
	if err := sites.Build(hugolib.BuildCfg{}); err != nil {
		return nil, fmt.Errorf("build site: %w", err)
	}
	var built []PageInfo
	for _, p := range sites.Pages() {
		built = append(built, PageInfo{
			Lang:     p.Language().Name(),
			Kind:     p.Kind(),
			Section:  p.Section(),
			URL:      p.RelPermalink(),
			Title:    p.Title(),
			Params:   p.Params(),
			Markdown: p.RawContent(),
			Weight:   p.Weight(),
		})
	}
	return built, nil
}

// openSites loads root's Hugo configuration with flags (plus the working
// directory, and no build lock: Northstar serialises its own builds) and
// prepares its sites. Output goes to dest, the disk when nil; Hugo's own
// printing to stdout, os.Stdout when nil.
func openSites(root string, flags config.Provider, dest afero.Fs, stdout io.Writer) (*hugolib.HugoSites, error) {
	flags.Set("workingDir", root)
	flags.Set("noBuildLock", true)
	src := afero.NewOsFs()
	if dest == nil {
		dest = src
	}
	logger := loggers.New(loggers.Options{Level: logg.LevelWarn, DistinctLevel: logg.LevelWarn, StdOut: stdout})
	res, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Fs:       src,
		Flags:    flags,
		Filename: filepath.Join(root, "config.toml"),
		Logger:   logger,
	})
	if err != nil {
		return nil, fmt.Errorf("load site config: %w", err)
	}
	fs := hugofs.NewFromSourceAndDestination(src, dest, res.LoadingInfo.Cfg)
	sites, err := hugolib.NewHugoSites(deps.DepsCfg{Configs: res, Fs: fs, LogLevel: logger.Level(), StdErr: logger.StdErr(), StdOut: stdout})
	if err != nil {
		return nil, fmt.Errorf("init hugo: %w", err)
	}
	return sites, nil
}

// hugoPosition matches the "/abs/file:line:col" Hugo puts in its errors.
var hugoPosition = regexp.MustCompile(`"?(/[^":]+):(\d+):(\d+)"?:?\s*`)

// ErrorPosition reads where a Hugo build error points: the file (relative to
// root when inside it), the line, and the rest of the error's first line. ok
// is false when the error names no file.
func ErrorPosition(root string, err error) (file string, line int, msg string, ok bool) {
	first, _, _ := strings.Cut(err.Error(), "\n")
	m := hugoPosition.FindStringSubmatchIndex(first)
	if m == nil {
		return "", 0, first, false
	}
	file = first[m[2]:m[3]]
	if abs, aerr := filepath.Abs(root); aerr == nil {
		if rel, rerr := filepath.Rel(abs, file); rerr == nil && !strings.HasPrefix(rel, "..") {
			file = filepath.ToSlash(rel)
		}
	}
	line, _ = strconv.Atoi(first[m[4]:m[5]])
	return file, line, strings.TrimSpace(first[m[1]:]), true
}
