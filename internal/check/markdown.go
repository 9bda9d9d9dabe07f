package check

import (
	"regexp"
	"strings"

	"northstar/internal/site"
)

// codeSpan matches `code` and “code“: shown as typed, never as a link,
// an image or prose.
var codeSpan = regexp.MustCompile("``.*?``|`[^`]*`")

// bodyLines calls fn with each line of a page's body outside fenced code
// blocks, numbered from 1 in the file, with inline code spans blanked out.
func bodyLines(p site.Page, fn func(n int, line string)) {
	lines := strings.Split(string(p.Source), "\n")
	inFence := false
	for i := p.BodyLine - 1; i >= 0 && i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\r")
		if trimmed := strings.TrimSpace(line); strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			inFence = !inFence
			continue
		}
		if inFence {
			continue
		}
		fn(i+1, codeSpan.ReplaceAllStringFunc(line, blank))
	}
}

// blank replaces s with as many spaces, so what follows keeps its column.
func blank(s string) string { return strings.Repeat(" ", len(s)) }
