// Package yamlpos finds where things are in YAML files (goccy/go-yaml), so
// that quiz and content checks can report "file:line: message".
package yamlpos

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// ErrorLine is the line a YAML parse error points at, or 1.
func ErrorLine(err error) int {
	if errors.Is(err, ErrUnreadable) {
		return 1
	}
	var line, col int
	if _, e := fmt.Sscanf(yaml.FormatError(err, false, false), "[%d:%d]", &line, &col); e == nil {
		return line
	}
	return 1
}

// ErrorMessage is a YAML parse error's first line, without its position.
func ErrorMessage(err error) string {
	if errors.Is(err, ErrUnreadable) {
		return err.Error()
	}
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

// ErrUnreadable is what Unmarshal and Parse return when the YAML library
// itself fails on a file (it can panic on some malformed input: the quiz
// fuzzer found one). A trainer's typo must be a message, never a crash of
// check or serve --watch.
var ErrUnreadable = errors.New("this YAML could not be read: check the indentation and the characters near the top")

// Unmarshal is yaml.UnmarshalWithOptions, with a panic of the library
// turned into ErrUnreadable. Every YAML file Northstar reads goes through
// it or Parse.
func Unmarshal(src []byte, v any, opts ...yaml.DecodeOption) (err error) {
	defer recoverInto(&err)
	return yaml.UnmarshalWithOptions(src, v, opts...)
}

// Parse is parser.ParseBytes, with a panic turned into ErrUnreadable.
func Parse(src []byte) (f *ast.File, err error) {
	defer recoverInto(&err)
	return parser.ParseBytes(src, 0)
}

func recoverInto(err *error) {
	if v := recover(); v != nil {
		*err = ErrUnreadable
	}
}

// Format is the YAML library's text of err, position first ("[3:5] …").
func Format(err error) string {
	if errors.Is(err, ErrUnreadable) {
		return err.Error()
	}
	return yaml.FormatError(err, false, false)
}
