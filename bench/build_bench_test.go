package bench

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"northstar/internal/site"
)

// BenchmarkBuild times `northstar build` against a bare Hugo build of the same
// pages, interleaved in one run, on the shipped site and on a generated
// 5,000-page site (1,250 pages in each of four languages). Bare Hugo gets a copy
// of the sources with the English fallback pages written out as files, so both
// render the same pages and the ratio is Northstar's own overhead: listing
// content, the in-memory overlay and swapping the output in. The ratio metric is
// northstar time over bare Hugo time; the goal is at most 1.25.
func BenchmarkBuild(b *testing.B) {
	gen := b.TempDir()
	if err := GenerateSite(gen, "..", 1250); err != nil {
		b.Fatal(err)
	}
	for _, s := range []struct{ name, root string }{{"shipped", ".."}, {"generated5000", gen}} {
		b.Run(s.name, func(b *testing.B) {
			bareRoot := b.TempDir()
			if err := materialize(s.root, bareRoot); err != nil {
				b.Fatal(err)
			}
			out := b.TempDir()
			var ours, bare time.Duration
			for i := 0; i < b.N; i++ {
				start := time.Now()
				if _, err := site.Build(site.Options{Root: s.root, OutDir: filepath.Join(out, "northstar")}); err != nil {
					b.Fatal(err)
				}
				ours += time.Since(start)
				bareOut := filepath.Join(out, "bare")
				os.RemoveAll(bareOut)
				start = time.Now()
				if err := site.BareBuild(bareRoot, bareOut); err != nil {
					b.Fatal(err)
				}
				bare += time.Since(start)
			}
			b.ReportMetric(float64(ours.Milliseconds())/float64(b.N), "northstar-ms/op")
			b.ReportMetric(float64(bare.Milliseconds())/float64(b.N), "bare-hugo-ms/op")
			b.ReportMetric(float64(ours)/float64(bare), "ratio")
		})
	}
}

// BenchmarkPageWeight reports each public page's compressed weight: its HTML
// with the stylesheet and script it loads, gzip at the server's level.
func BenchmarkPageWeight(b *testing.B) {
	out := filepath.Join(b.TempDir(), "public")
	if _, err := site.Build(site.Options{Root: "..", OutDir: out}); err != nil {
		b.Fatal(err)
	}
	assets, _ := filepath.Glob(filepath.Join(out, "css", "*.css"))
	js, _ := filepath.Glob(filepath.Join(out, "js", "*.js"))
	assetBytes := 0
	for _, f := range append(assets, js...) {
		assetBytes += gzipLen(b, f)
	}
	type row struct {
		page  string
		bytes int
	}
	var rows []row
	for i := 0; i < b.N; i++ {
		rows = rows[:0]
		filepath.WalkDir(out, func(path string, d os.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(path, ".html") {
				rel, _ := filepath.Rel(out, path)
				rows = append(rows, row{"/" + strings.TrimSuffix(filepath.ToSlash(rel), "index.html"), gzipLen(b, path) + assetBytes})
			}
			return nil
		})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].page < rows[j].page })
	max := 0
	for _, r := range rows {
		b.Logf("%-32s %6d bytes", r.page, r.bytes)
		if r.bytes > max {
			max = r.bytes
		}
	}
	b.ReportMetric(float64(max), "max-page-bytes")
	b.ReportMetric(float64(assetBytes), "css+js-bytes")
}

func gzipLen(b *testing.B, file string) int {
	raw, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(raw)
	zw.Close()
	return buf.Len()
}

// materialize copies a site's config and content to dst, adds the fallback pages
// Northstar would lay over it as real files, and points it at the same themes.
func materialize(root, dst string) error {
	cfg, err := site.LoadConfig(root)
	if err != nil {
		return err
	}
	pages, err := site.ScanContent(root, cfg)
	if err != nil {
		return err
	}
	fallbacks, err := site.Fallbacks(root, pages, cfg)
	if err != nil {
		return err
	}
	files := map[string][]byte{}
	for _, p := range pages {
		files[p.Path] = p.Source
	}
	for rel, src := range fallbacks {
		files[rel] = src
	}
	raw, err := os.ReadFile(filepath.Join(root, "config.toml"))
	if err != nil {
		return err
	}
	themes, err := filepath.Abs(filepath.Join(root, "themes"))
	if err != nil {
		return err
	}
	if !strings.Contains(string(raw), "themesDir") {
		raw = append([]byte("themesDir = \""+themes+"\"\n"), raw...)
	}
	files["config.toml"] = raw
	for rel, data := range files {
		p := filepath.Join(dst, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
