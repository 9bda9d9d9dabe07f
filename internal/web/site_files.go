package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"mime"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// siteRoot is one built site: its directory, its languages (the folders with a
// 404 page), and the gzip-compressed form of each text file, made on first use.
type siteRoot struct {
	dir    string
	langs  []string
	gz     sync.Map // path -> *gzEntry
	shells sync.Map // page path -> *shell
}

// shell is a built page with a slot the server fills per request: the parts
// before and after the slot's marker.
type shell struct {
	head, tail []byte
}

// shell reads the built page rel (e.g. es/search/index.html) once per build
// and splits it at marker.
func (r *siteRoot) shell(rel, marker string) (*shell, error) {
	if v, ok := r.shells.Load(rel); ok {
		return v.(*shell), nil
	}
	b, err := os.ReadFile(filepath.Join(r.dir, filepath.FromSlash(rel)))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", rel, err)
	}
	head, tail, ok := bytes.Cut(b, []byte(marker))
	if !ok {
		return nil, fmt.Errorf("%s has no %s", rel, marker)
	}
	sh := &shell{head: head, tail: tail}
	r.shells.Store(rel, sh)
	return sh, nil
}

type gzEntry struct {
	once    sync.Once
	modTime time.Time
	data    []byte
	err     error
}

// openSiteRoot reads the built site in dir: that it has a home page, and
// its languages.
func openSiteRoot(dir string) (*siteRoot, error) {
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		return nil, fmt.Errorf("use built site %s: %w", dir, err)
	}
	root := &siteRoot{dir: dir}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read built site %s: %w", dir, err)
	}
	for _, e := range entries {
		if e.IsDir() {
			if _, err := os.Stat(filepath.Join(dir, e.Name(), "404.html")); err == nil {
				root.langs = append(root.langs, e.Name())
			}
		}
	}
	return root, nil
}

// Limits on a path the site can hold: longer ones, or ones with a segment
// longer than a file name may be, name no built file.
const (
	maxSitePath    = 1024
	maxSiteSegment = 255
)

// sitePath is the clean, rooted form of a URL path that can name a built
// file, or false: too long, a segment too long, a NUL or other control
// character, or not UTF-8. Such paths are a 404 without asking the file
// system, which would answer them with errors of its own.
func sitePath(urlPath string) (string, bool) {
	if len(urlPath) > maxSitePath || !utf8.ValidString(urlPath) {
		return "", false
	}
	for i := 0; i < len(urlPath); i++ {
		if urlPath[i] < 0x20 || urlPath[i] == 0x7f || urlPath[i] == '\\' {
			return "", false
		}
	}
	clean := path.Clean("/" + urlPath)
	for _, seg := range strings.Split(clean, "/") {
		if len(seg) > maxSiteSegment {
			return "", false
		}
	}
	return clean, true
}

// resolve maps a URL path to a file: "/es/" -> es/index.html. It returns
// redirect when the path names a folder without its trailing slash, and
// fs.ErrNotExist for a path no built file can have (sitePath).
func (r *siteRoot) resolve(urlPath string) (file string, info fs.FileInfo, redirect bool, err error) {
	clean, ok := sitePath(urlPath)
	if !ok {
		return "", nil, false, fs.ErrNotExist
	}
	name := filepath.Join(r.dir, filepath.FromSlash(clean))
	info, err = os.Stat(name)
	if err != nil {
		return "", nil, false, err
	}
	if info.IsDir() {
		if !strings.HasSuffix(urlPath, "/") {
			return "", nil, true, nil
		}
		name = filepath.Join(name, "index.html")
		if info, err = os.Stat(name); err != nil {
			return "", nil, false, err
		}
	}
	return name, info, false, nil
}

// gzipped returns the compressed bytes of a file, compressing it once per build.
func (r *siteRoot) gzipped(name string, info fs.FileInfo) ([]byte, error) {
	v, _ := r.gz.LoadOrStore(name, &gzEntry{})
	e := v.(*gzEntry)
	e.once.Do(func() {
		raw, err := os.ReadFile(name)
		if err != nil {
			e.err = err
			return
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(raw)
		if err := zw.Close(); err != nil {
			e.err = err
			return
		}
		e.data, e.modTime = buf.Bytes(), info.ModTime()
	})
	return e.data, e.err
}

// fingerprinted matches Hugo's fingerprinted asset names: main.min.<sha256>.css.
var fingerprinted = regexp.MustCompile(`\.[0-9a-f]{32,64}\.[a-z0-9]+$`)

func contentType(name string) string {
	if t := mime.TypeByExtension(filepath.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") ||
		strings.Contains(ctype, "javascript") ||
		strings.Contains(ctype, "json") ||
		strings.Contains(ctype, "xml") ||
		strings.Contains(ctype, "svg")
}
