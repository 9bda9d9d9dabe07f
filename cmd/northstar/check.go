package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"northstar/internal/check"
)

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("check", "check [--site DIR] [--format text|json]", stderr)
	root := fs.String("site", ".", "folder with config.toml, content/ and themes/")
	format := fs.String("format", "text", "text: file:line: message lines, then the translation table; json: one object for tools")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		fs.Usage()
		return fmt.Errorf("unknown --format %q: use text or json", *format)
	}
	rep, err := check.Content(*root)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		if rep.Errors() > 0 {
			return errSilent
		}
		return nil
	}
	for _, f := range rep.Findings {
		fmt.Fprintln(stdout, f)
	}
	if len(rep.Findings) > 0 {
		fmt.Fprintln(stdout)
	}
	if err := rep.WriteTranslations(stdout); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if n := rep.Errors(); n > 0 {
		fmt.Fprintf(stderr, "%d error(s), %d warning(s)\n", n, rep.Warnings())
		return errSilent
	}
	fmt.Fprintf(stderr, "no errors, %d warning(s)\n", rep.Warnings())
	return nil
}
