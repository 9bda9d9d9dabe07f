// Package publish turns the sources (content/, themes/, quizzes/,
// config.toml) into what the server serves: the built site, its search index
// and the training data, each swapped in whole, once at start or, under serve
// --watch, after every change.
package publish

import (
	"fmt"
	"path/filepath"

	"northstar/internal/search"
	"northstar/internal/site"
)

// Site builds the site into outDir and its search index into
// dataDir/search, each swapped in whole: northstar build.
func Site(siteRoot, outDir, dataDir string) (site.Result, error) {
	res, err := site.Build(site.Options{Root: siteRoot, OutDir: outDir})
	if err != nil {
		return res, err
	}
	return res, indexSearch(dataDir, res)
}

// indexSearch builds the search index of a built site into dataDir/search,
// swapped in whole.
func indexSearch(dataDir string, res site.Result) error {
	if err := search.BuildAside(IndexDir(dataDir), search.FromSite(res.Built)); err != nil {
		return fmt.Errorf("build search index: %w", err)
	}
	return nil
}

// IndexDir is where the search index of dataDir is kept.
func IndexDir(dataDir string) string { return filepath.Join(dataDir, "search") }
