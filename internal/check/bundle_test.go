package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"northstar/internal/site"
)

// TestBundlePicturesPublished: a lesson kept as a folder with its picture
// (content/training/mod-b/pictures/) publishes the picture beside the page,
// where the Markdown's relative link points.
func TestBundlePicturesPublished(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if _, err := site.Build(site.Options{Root: "testdata/broken", OutDir: out}); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "training", "mod-b", "pictures", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "training", "mod-b", "pictures", "map.png")); err != nil {
		t.Errorf("the picture is not published: %v", err)
	}
	if !containsAll(string(page), `src="/training/mod-b/pictures/map.png"`, `alt="A street map of downtown Minneapolis"`) {
		t.Errorf("the page does not show the picture: %s", page)
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
