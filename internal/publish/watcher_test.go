package publish

import (
	"path/filepath"
	"testing"
)

// TestSource: which changed files lead to a rebuild. serve --watch as a
// whole is tested through the command, in cmd/northstar.
func TestSource(t *testing.T) {
	root := filepath.FromSlash("/site")
	w := &Watcher{Builder: &Builder{root: root}}
	for _, tt := range []struct {
		path string
		want string // "" when not a source
	}{
		{"/site/config.toml", "config.toml"},
		{"/site/content/get-help.md", "content/get-help.md"},
		{"/site/content/training/basics/intro/picture.png", "content/training/basics/intro/picture.png"},
		{"/site/themes/northstar/layouts/baseof.html", "themes/northstar/layouts/baseof.html"},
		{"/site/quizzes/basics.yaml", "quizzes/basics.yaml"},
		{"/site/README.md", ""},
		{"/site/data/site/index.html", ""},
		{"/site/content/.get-help.md.swp", ""},
		{"/site/content/get-help.md~", ""},
		{"/site/content/4913", ""},
		{"/site/content/.git/HEAD", ""},
		{"/site/quizzes/basics.yaml.tmp", ""},
		{"/elsewhere/content/x.md", ""},
	} {
		got, ok := w.source(filepath.FromSlash(tt.path))
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("source(%s) = %q, %v; want %q", tt.path, got, ok, tt.want)
		}
	}
}
