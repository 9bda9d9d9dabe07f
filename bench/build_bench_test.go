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
// sources, interleaved in one run, on the shipped site and on a generated
// 5,000-page site (1,250 pages in each of four languages). The ratio metric is
// northstar time over bare Hugo time; the goal is at most 1.25.
func BenchmarkBuild(b *testing.B) {
	gen := b.TempDir()
	if err := GenerateSite(gen, "..", 1250); err != nil {
		b.Fatal(err)
	}
	for _, s := range []struct{ name, root string }{{"shipped", ".."}, {"generated5000", gen}} {
		b.Run(s.name, func(b *testing.B) {
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
				if err := site.BareBuild(s.root, bareOut); err != nil {
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
