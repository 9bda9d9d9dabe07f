package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"northstar/internal/config"
	"northstar/internal/site"
	"northstar/internal/store"
	"northstar/internal/xapi"
)

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "xapi" {
		fmt.Fprintln(stderr, "Usage: northstar export xapi --public-url URL [--site .] [--data ./data | --db postgres://…] > statements.jsonl")
		return errors.New("export: name what to export (xapi)")
	}
	fs := newFlagSet("export xapi", "export xapi --public-url URL [--site .] [--data DIR] [--db URL]", stderr)
	cfg, err := config.FromEnv(os.LookupEnv)
	if err != nil {
		return err
	}
	cfg.RegisterDB(fs)
	cfg.RegisterPublicURL(fs)
	siteDir := fs.String("site", cfg.SiteDir, "folder with config.toml and content/, for the modules (NORTHSTAR_SITE)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if cfg.PublicURL == "" {
		return errors.New("export xapi: --public-url is required: statements name people and modules by the site's public address, e.g. https://northstar.example.gov")
	}
	if err := config.ValidatePublicURL(cfg.PublicURL); err != nil {
		return err
	}
	modules, err := contentModules(*siteDir)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.StoreDSN())
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := xapi.Export(ctx, st, cfg.PublicURL, modules, stdout)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d statement(s)\n", n)
	return nil
}

// contentModules reads the modules (content/training/<module>/_index.md)
// from the content files, without building the site.
func contentModules(root string) ([]xapi.Module, error) {
	cfg, err := site.LoadConfig(root)
	if err != nil {
		return nil, err
	}
	pages, err := site.ScanContent(root, cfg)
	if err != nil {
		return nil, err
	}
	var out []xapi.Module
	for _, p := range pages {
		slug, ok := strings.CutPrefix(p.Key, "training/")
		slug, isIndex := strings.CutSuffix(slug, "/_index")
		if !ok || !isIndex || strings.Contains(slug, "/") || p.Lang != cfg.DefaultContentLanguage {
			continue
		}
		title, _ := p.FrontMatter["title"].(string)
		quizID, _ := p.FrontMatter["quiz"].(string)
		if quizID != "" {
			out = append(out, xapi.Module{Title: title, URL: "/training/" + slug + "/", Quiz: quizID})
		}
	}
	return out, nil
}
