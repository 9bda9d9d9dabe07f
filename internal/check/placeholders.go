package check

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"northstar/internal/site"
)

// placeholder is what `northstar new` leaves for the author to replace.
var placeholder = regexp.MustCompile(`\bTODO\b`)

// placeholders reports every "TODO" left in a page or quiz file, outside
// comments: `northstar new` writes them, and none may be published.
func placeholders(r *Report, root string, pages []site.Page) error {
	for _, p := range pages {
		placeholderLines(r, p.Path, p.Source, "")
	}
	files, err := filepath.Glob(filepath.Join(root, "quizzes", "*.yaml"))
	if err != nil {
		return err
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		placeholderLines(r, relTo(root, f), src, "#")
	}
	return nil
}

// placeholderLines flags lines holding TODO; lines that are comments (YAML's
// "#", in a quiz or in front matter) are the scaffold's instructions and are
// left alone.
func placeholderLines(r *Report, file string, src []byte, comment string) {
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	inFront := false
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if comment == "" && (line == "---" || line == "+++") && (n == 1 || inFront) {
			inFront = n == 1
			continue
		}
		if (comment != "" || inFront) && strings.HasPrefix(line, "#") {
			continue
		}
		if placeholder.MatchString(line) {
			r.add(file, n, Error, "placeholder TODO left here: replace it with the real text before publishing")
		}
	}
}
