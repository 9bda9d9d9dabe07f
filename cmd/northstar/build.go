package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"northstar/internal/publish"
)

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("build", "build [--out DIR] [--data DIR] [--site DIR]", stderr)
	out := fs.String("out", "public", "folder to write the site to")
	data := fs.String("data", "data", "data folder: the search index goes into its search/ folder")
	root := fs.String("site", ".", "folder with config.toml, content/ and themes/")
	if err := fs.Parse(args); err != nil {
		return err
	}
	start := time.Now()
	if err := os.MkdirAll(*data, 0o750); err != nil {
		return fmt.Errorf("create data dir: %w", err)
	}
	res, err := publish.Site(*root, *out, *data)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "built %d pages in %d languages into %s, search index into %s, in %s\n",
		res.Pages, res.Languages, *out, publish.IndexDir(*data), time.Since(start).Round(time.Millisecond))
	return nil
}
