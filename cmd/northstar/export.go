package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"northstar/internal/config"
	"northstar/internal/store"
	"northstar/internal/training"
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
	modules, err := training.ReadModules(*siteDir)
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
