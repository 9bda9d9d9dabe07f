package site

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/create"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/hugolib"
	"github.com/spf13/afero"
)

// NewFile is one file to create from an archetype of the theme
// (themes/<theme>/archetypes/<Kind><ext>).
type NewFile struct {
	// Kind names the archetype: "module" uses module.md for a .md Path.
	Kind string
	// Path is where to write, relative to the site root, with forward slashes.
	Path string
}

// ErrExists means a file to create is already there. Nothing was written.
var ErrExists = errors.New("file already exists")

// NewContent creates page, a file under content/, from its archetype, then each
// of also (files outside content/, such as a module's quiz) from theirs. It
// returns the paths written, relative to root, and writes nothing when any of
// them already exists.
//
// The work is Hugo's own: create.NewContent is what `hugo new content --kind`
// runs, so archetypes read .File, .Site, site.GetPage and every template function
// exactly as they do under Hugo. Hugo creates content files only, so a file
// outside content/ is made by executing its archetype through Hugo's
// ContentFactory, with the page just created as its context, the way Hugo
// executes an archetype for a page.
func NewContent(root string, page NewFile, also ...NewFile) ([]string, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("resolve site root: %w", err)
	}
	if !strings.HasPrefix(page.Path, "content/") {
		return nil, fmt.Errorf("new content %s: not under content/", page.Path)
	}
	files := append([]NewFile{page}, also...)
	for _, f := range files {
		_, err := os.Stat(filepath.Join(root, filepath.FromSlash(f.Path)))
		switch {
		case err == nil:
			return nil, fmt.Errorf("%s: %w", f.Path, ErrExists)
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("new content %s: %w", f.Path, err)
		}
	}

	h, err := archetypeSites(root)
	if err != nil {
		return nil, err
	}
	defer h.Close()

	var written []string
	undo := func() {
		for _, p := range written {
			os.Remove(filepath.Join(root, filepath.FromSlash(p)))
		}
	}
	abs := filepath.Join(root, filepath.FromSlash(page.Path))
	if err := create.NewContent(h, page.Kind, abs, false); err != nil {
		// Hugo writes a placeholder before it runs the archetype; a failed
		// archetype must not leave it behind.
		os.Remove(abs)
		return nil, fmt.Errorf("new content %s from archetype %q: %w", page.Path, page.Kind, err)
	}
	written = append(written, page.Path)

	p := h.GetContentPage(abs)
	if p == nil {
		undo()
		return nil, fmt.Errorf("new content %s: hugo does not see the new page", page.Path)
	}
	cf := hugolib.NewContentFactory(h)
	for _, f := range also {
		name := f.Kind + filepath.Ext(f.Path)
		fi, err := h.PathSpec.BaseFs.Archetypes.Fs.Stat(name)
		if err != nil {
			undo()
			return nil, fmt.Errorf("new file %s: no archetype %s in the theme: %w", f.Path, name, err)
		}
		target := filepath.Join(root, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			undo()
			return nil, fmt.Errorf("new file %s: %w", f.Path, err)
		}
		out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			undo()
			return nil, fmt.Errorf("new file %s: %w", f.Path, err)
		}
		written = append(written, f.Path)
		err = cf.ApplyArchetypeFi(out, p, f.Kind, fi.(hugofs.FileMetaInfo))
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			undo()
			return nil, fmt.Errorf("new file %s from archetype %s: %w", f.Path, name, err)
		}
	}
	return written, nil
}

// archetypeSites loads the site's Hugo configuration, as hugoBuild does, for
// creating content: no output folder, no build lock, logs kept quiet (the
// caller prints what was made).
func archetypeSites(root string) (*hugolib.HugoSites, error) {
	flags := config.New()
	// Nothing is rendered; what Hugo would publish goes to memory.
	flags.Set("publishDir", "public")
	// As `hugo new` does: an archetype may read pages dated in the future.
	flags.Set("buildFuture", true)
	return openSites(root, flags, afero.NewMemMapFs(), io.Discard)
}
