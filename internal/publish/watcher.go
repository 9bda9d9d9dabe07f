package publish

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"northstar/internal/check"
	"northstar/internal/site"
)

// watchedDirs are the source folders serve --watch follows, besides config.toml.
var watchedDirs = []string{"content", "themes", "quizzes"}

// debounce is how long the sources must stay quiet before a rebuild: saving a
// file is often several writes, and a checkout many files.
const debounce = 200 * time.Millisecond

// reloader tells open pages of each rebuild (web.LiveReload).
type reloader interface {
	Rebuilt()
	Failed(problems []string)
}

// Watcher is serve --watch: when a source changes it rebuilds the site, the
// search index and the training data, and swaps each in whole. A change that
// does not build is reported, in the terminal and on open pages, and the last
// good build goes on being served.
type Watcher struct {
	*Builder
	live reloader
	fsw  *fsnotify.Watcher
	out  io.Writer // the terminal
	// checked and lastCheck are what northstar check last found after a
	// good build, so the terminal hears of it only when it changes.
	checked   bool
	lastCheck []string
}

// Watch starts following the sources of b, so that changes made from now on,
// even during a first build, lead to a rebuild once Run runs; the terminal
// (out) hears of each rebuild and open pages of each change (live). Close
// stops following.
func Watch(b *Builder, live reloader, out io.Writer) (*Watcher, error) {
	fsw, err := watchSources(b.root)
	if err != nil {
		return nil, err
	}
	return &Watcher{Builder: b, live: live, fsw: fsw, out: out}, nil
}

// Close stops following the sources.
func (w *Watcher) Close() error { return w.fsw.Close() }

// watchSources follows root's sources.
func watchSources(root string) (*fsnotify.Watcher, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch sources: %w", err)
	}
	// The root itself, for config.toml (editors often replace a file rather
	// than write it) and for a source folder created later.
	err = fsw.Add(root)
	for _, dir := range watchedDirs {
		if err == nil {
			err = addTree(fsw, filepath.Join(root, dir))
		}
	}
	if err != nil {
		fsw.Close()
		return nil, fmt.Errorf("watch sources: %w", err)
	}
	return fsw, nil
}

// addTree watches dir and every folder under it: fsnotify is not recursive.
func addTree(fsw *fsnotify.Watcher, dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil
		case err != nil:
			return err
		case !d.IsDir():
			return nil
		case path != dir && ignored(d.Name()):
			return filepath.SkipDir
		}
		return fsw.Add(path)
	})
}

// ignored tells editors' scratch files and hidden folders, which change often
// and are never part of the site.
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") || name == "4913" ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") || strings.HasSuffix(name, ".tmp")
}

// source returns name relative to the site root when it is a source file.
func (w *Watcher) source(name string) (string, bool) {
	rel, err := filepath.Rel(w.root, name)
	if err != nil {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	parts := strings.Split(rel, "/")
	if slices.ContainsFunc(parts, ignored) {
		return "", false
	}
	if rel == "config.toml" || (len(parts) > 0 && slices.Contains(watchedDirs, parts[0])) {
		return rel, true
	}
	return "", false
}

// Run rebuilds after each burst of changes until ctx ends.
func (w *Watcher) Run(ctx context.Context) {
	if w.Served() != "" {
		w.checkContent()
	}
	changed := map[string]fsnotify.Op{} // by source path, what happened to it
	var fire <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			rel, isSource := w.source(ev.Name)
			if !isSource || ev.Op == fsnotify.Chmod {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					if err := addTree(w.fsw, ev.Name); err != nil {
						w.log.Warn("watch new folder", "dir", rel, "err", err)
					}
				}
			}
			changed[rel] |= ev.Op
			fire = time.After(debounce)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			w.log.Warn("watch sources", "err", err)
		case <-fire:
			fire = nil
			var files []string
			for f, op := range changed {
				// A file made and gone within the burst is an editor's or
				// a tool's scratch file: nothing to rebuild for.
				if _, err := os.Stat(filepath.Join(w.root, filepath.FromSlash(f))); err != nil && op.Has(fsnotify.Create) {
					continue
				}
				files = append(files, f)
			}
			clear(changed)
			if len(files) > 0 {
				slices.Sort(files)
				w.rebuild(files)
			}
		}
	}
}

// rebuild builds everything and swaps it in, or reports why it cannot.
func (w *Watcher) rebuild(changed []string) {
	start := time.Now()
	what := strings.Join(changed, ", ")
	if len(changed) > 3 {
		what = fmt.Sprintf("%s and %d more", strings.Join(changed[:3], ", "), len(changed)-3)
	}
	if _, problems := w.Build(); len(problems) > 0 {
		fmt.Fprintf(w.out, "%s changed: it does not build, so the last good version is still served:\n", what)
		for _, p := range problems {
			fmt.Fprintln(w.out, p)
		}
		w.live.Failed(problems)
		return
	}
	w.live.Rebuilt()
	fmt.Fprintf(w.out, "%s changed: rebuilt in %s\n", what, time.Since(start).Round(time.Millisecond))
	w.checkContent()
}

// checkContent runs what northstar check runs (it takes under a second on
// the whole site), after the new build is already served, and prints its
// findings when they differ from the last: a page that builds can still
// miss alt text or a lesson link, which publishing refuses.
func (w *Watcher) checkContent() {
	rep, err := check.Content(w.root)
	if err != nil {
		fmt.Fprintf(w.out, "northstar check could not run: %v\n", err)
		return
	}
	var found []string
	for _, f := range rep.Findings {
		found = append(found, f.String())
	}
	if w.checked && slices.Equal(found, w.lastCheck) {
		return
	}
	w.checked, w.lastCheck = true, found
	if len(found) == 0 {
		fmt.Fprintln(w.out, "northstar check: no problems")
		return
	}
	fmt.Fprintf(w.out, "northstar check: %d error(s), which stop publishing, and %d warning(s):\n", rep.Errors(), rep.Warnings())
	for _, f := range found {
		fmt.Fprintln(w.out, f)
	}
}

var (
	// yamlPosition is the "[line:col] " a YAML parser starts its message with;
	// the line is already in the file's position.
	yamlPosition = regexp.MustCompile(`^\[\d+:\d+\]\s*`)
)

// hugoProblem turns a Hugo build error into "file:line: message" with the file
// relative to root, or returns its first line when it names no file.
func hugoProblem(root string, err error) string {
	file, line, msg, ok := site.ErrorPosition(root, err)
	if !ok {
		return msg
	}
	return fmt.Sprintf("%s:%d: %s", file, line, yamlPosition.ReplaceAllString(msg, ""))
}

// relTo shows file relative to root when it is inside it.
func relTo(root, file string) string {
	if rel, err := filepath.Rel(root, file); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return file
}
