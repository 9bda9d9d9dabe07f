package bench

import (
	"context"
	"path/filepath"
	"testing"

	"northstar/internal/search"
	"northstar/internal/web"
)

func BenchmarkRawProfile(b *testing.B) {
	docs := GenerateResources(corpusResources)
	dir := filepath.Join(b.TempDir(), "search")
	if err := search.Build(dir, docs); err != nil {
		b.Fatal(err)
	}
	ix, _ := search.Open(dir)
	setup, _ := web.LoadSearchSetup("..")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := searchQueries[i%len(searchQueries)]
		q.Page = 1
		if _, err := ix.Search(context.Background(), q, setup.Vocabulary, setup.Synonyms); err != nil {
			b.Fatal(err)
		}
	}
}
