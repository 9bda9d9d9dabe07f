// Package yamlpos finds where things are in YAML files (goccy/go-yaml), so
// that quiz and content checks can report "file:line: message".
package yamlpos

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// ErrorLine is the line a YAML parse error points at, or 1.
func ErrorLine(err error) int {
	var line, col int
	if _, e := fmt.Sscanf(yaml.FormatError(err, false, false), "[%d:%d]", &line, &col); e == nil {
		return line
	}
	return 1
}

// ErrorMessage is a YAML parse error's first line, without its position.
func ErrorMessage(err error) string {
	msg, _, _ := strings.Cut(yaml.FormatError(err, false, false), "\n")
	if i := strings.Index(msg, "] "); strings.HasPrefix(msg, "[") && i > 0 {
		msg = msg[i+2:]
	}
	return msg
}

// PathLine finds the line of a YAML path such as $.questions[2].id, or 1.
func PathLine(tree *ast.File, path string) int {
	p, err := yaml.PathString(path)
	if err != nil {
		return 1
	}
	n, err := p.FilterFile(tree)
	if err != nil || n == nil || n.GetToken() == nil {
		return 1
	}
	return n.GetToken().Position.Line
}
