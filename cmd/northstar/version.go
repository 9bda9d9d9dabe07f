package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version is set at release time with -ldflags "-X main.version=…".
var version = "dev"

func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "version", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	hugo := "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			if m.Path == "github.com/gohugoio/hugo" {
				hugo = m.Version
			}
		}
	}
	fmt.Fprintf(stdout, "northstar %s (%s, hugo %s)\n", version, runtime.Version(), hugo)
	return nil
}
