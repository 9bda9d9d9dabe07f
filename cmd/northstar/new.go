package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"northstar/internal/site"
)

// slugFormat is a URL-safe name: lower-case letters, digits and single hyphens.
var slugFormat = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func runNew(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const synopsis = "new module <slug> | new lesson <module>/<slug> | new resource <slug>  [--site DIR]"
	flags := newFlagSet("new", synopsis, stderr)
	root := flags.String("site", ".", "folder with config.toml, content/ and themes/")
	if err := parseInterspersed(flags, args); err != nil {
		return err
	}
	if flags.NArg() != 2 {
		flags.Usage()
		return errors.New("new: name what to create (module, lesson or resource) and its slug")
	}
	kind, name := flags.Arg(0), flags.Arg(1)
	var (
		page site.NewFile
		also []site.NewFile
	)
	switch kind {
	case "module":
		if err := validSlug("module", name); err != nil {
			return err
		}
		page = site.NewFile{Kind: "module", Path: "content/training/" + name + "/_index.md"}
		also = []site.NewFile{{Kind: "quiz", Path: "quizzes/" + name + ".yaml"}}
	case "lesson":
		module, slug, ok := strings.Cut(name, "/")
		if !ok {
			return fmt.Errorf("new lesson %q: write it as <module>/<slug>, like referral-basics/first-contact", name)
		}
		if err := validSlug("module", module); err != nil {
			return err
		}
		if err := validSlug("lesson", slug); err != nil {
			return err
		}
		if slug == "quiz" {
			return errors.New(`new lesson: "quiz" is taken: the module's quiz page is /training/<module>/quiz/`)
		}
		index := filepath.Join(*root, "content", "training", module, "_index.md")
		if _, err := os.Stat(index); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("new lesson: there is no module %q (content/training/%s/_index.md): create it with: northstar new module %s", module, module, module)
		} else if err != nil {
			return fmt.Errorf("new lesson: %w", err)
		}
		page = site.NewFile{Kind: "lesson", Path: "content/training/" + module + "/" + slug + ".md"}
	case "resource":
		if err := validSlug("resource", name); err != nil {
			return err
		}
		page = site.NewFile{Kind: "resources", Path: "content/resources/" + name + ".md"}
	default:
		flags.Usage()
		return fmt.Errorf("new: unknown kind %q: use module, lesson or resource", kind)
	}
	written, err := site.NewContent(*root, page, also...)
	if errors.Is(err, site.ErrExists) {
		return fmt.Errorf("new %s: %w: nothing was changed (edit the existing file, or pick another slug)", kind, err)
	}
	if err != nil {
		return err
	}
	for _, p := range written {
		fmt.Fprintln(stdout, "created", filepath.Join(*root, filepath.FromSlash(p)))
	}
	next := "Next: replace every TODO in the file, then run `northstar check`."
	switch kind {
	case "module":
		next = fmt.Sprintf("Next: replace every TODO in both files, add lessons with `northstar new lesson %s/<slug>`, then run `northstar check`: it refuses the quiz until its questions are written.", name)
	case "resource":
		next = fmt.Sprintf("Next: replace every TODO and check each detail against the source, add the Spanish version (content/resources/%s.es.md), then run `northstar check`.", name)
	}
	fmt.Fprintln(stdout, next)
	return nil
}

func validSlug(what, s string) error {
	if !slugFormat.MatchString(s) {
		return fmt.Errorf("new: %s slug %q: use lower-case letters, digits and hyphens, like first-contact", what, s)
	}
	return nil
}
