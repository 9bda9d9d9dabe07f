package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"northstar/internal/site"
)

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("build", "build [--out DIR] [--site DIR]", stderr)
	out := fs.String("out", "public", "folder to write the site to")
	root := fs.String("site", ".", "folder with config.toml, content/ and themes/")
	if err := fs.Parse(args); err != nil {
		return err
	}
	start := time.Now()
	res, err := site.Build(site.Options{Root: *root, OutDir: *out})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "built %d pages in %d languages into %s in %s\n", res.Pages, res.Languages, *out, time.Since(start).Round(time.Millisecond))
	return nil
}
