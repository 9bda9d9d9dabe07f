package main

import (
	"context"
	"fmt"
	"io"

	"northstar/internal/check"
)

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("check", "check [--site DIR]", stderr)
	root := fs.String("site", ".", "folder with config.toml, content/ and themes/")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rep, err := check.Content(*root)
	if err != nil {
		return err
	}
	for _, f := range rep.Findings {
		fmt.Fprintln(stdout, f)
	}
	if n := rep.Errors(); n > 0 {
		fmt.Fprintf(stderr, "%d error(s), %d warning(s)\n", n, len(rep.Findings)-n)
		return errSilent
	}
	fmt.Fprintf(stderr, "no errors, %d warning(s)\n", len(rep.Findings))
	return nil
}
