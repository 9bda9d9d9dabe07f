package main

import (
	"fmt"
	"path/filepath"

	"northstar/internal/search"
	"northstar/internal/site"
)

// publish builds the site into outDir and its search index into
// dataDir/search, each swapped in whole.
func publish(siteRoot, outDir, dataDir string) (site.Result, error) {
	res, err := site.Build(site.Options{Root: siteRoot, OutDir: outDir})
	if err != nil {
		return res, err
	}
	return res, indexSearch(dataDir, res)
}

// indexSearch builds the search index of a built site into dataDir/search,
// swapped in whole.
func indexSearch(dataDir string, res site.Result) error {
	if err := search.BuildAside(indexDir(dataDir), search.FromSite(res.Built)); err != nil {
		return fmt.Errorf("build search index: %w", err)
	}
	return nil
}

func indexDir(dataDir string) string { return filepath.Join(dataDir, "search") }
