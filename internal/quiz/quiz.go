// Package quiz owns the quiz files trainers write (quizzes/<id>.yaml): reading
// and checking them, drawing an attempt's questions, and grading answers. Answer
// keys stay in this package's types; what leaves for a learner is Presented.
package quiz

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/yuin/goldmark"

	"northstar/internal/yamlpos"
)

// Kinds of question.
const (
	Single    = "single"     // one right option
	Multiple  = "multiple"   // all that apply
	TrueFalse = "true_false" // answer: true or false
)

// Quiz is one quiz file.
type Quiz struct {
	ID       string `yaml:"-"`
	File     string `yaml:"-"`
	Title    string `yaml:"title"`
	PassMark int    `yaml:"pass_mark"`
	Draw     int    `yaml:"draw"`
	Shuffle  bool   `yaml:"shuffle"`
	// Review is how much a learner's review of a graded attempt shows:
	// ReviewFull, ReviewExplanations (when the file leaves it out) or
	// ReviewScore. Trainers always see the whole of it.
	Review    string     `yaml:"review"`
	Questions []Question `yaml:"questions"`
}

// How much a learner's review of a graded attempt shows (the quiz file's
// review key).
const (
	// ReviewFull shows each question drawn, the learner's choice, the
	// right answer and the explanation.
	ReviewFull = "full"
	// ReviewExplanations shows each question, the learner's choice,
	// whether it was right and the explanation, but never the right
	// option: a pool is not given away whole through reviews.
	ReviewExplanations = "explanations"
	// ReviewScore shows the score and whether it passed: no question.
	ReviewScore = "score"
)

// ReviewModes are the values review may take, the default first.
var ReviewModes = []string{ReviewExplanations, ReviewFull, ReviewScore}

// Question is one question of the pool, with its answer key.
type Question struct {
	ID          string   `yaml:"id"`
	Kind        string   `yaml:"kind"`
	Prompt      string   `yaml:"prompt"`
	Options     []Option `yaml:"options"`
	Answer      *bool    `yaml:"answer"` // true_false only
	Explanation string   `yaml:"explanation"`
	// Line is where the question starts in its file.
	Line int `yaml:"-"`
	// explanationHTML is Explanation rendered once, at parsing: grading
	// shows it with every result.
	explanationHTML string
}

// Option is one choice; Correct is part of the answer key.
type Option struct {
	ID      string `yaml:"id"`
	Text    string `yaml:"text"`
	Correct bool   `yaml:"correct"`
}

// ErrNotFound means no quiz has that id.
var ErrNotFound = errors.New("quiz not found")

// Problem is something wrong in a quiz file, at a line.
type Problem struct {
	File    string
	Line    int
	Message string
}

func (p Problem) String() string { return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message) }

// Parse reads one quiz file's bytes. It returns the quiz (nil when it cannot be
// read at all) and every problem found, each with its line.
func Parse(file string, src []byte) (*Quiz, []Problem) {
	id := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	var q Quiz
	if err := yamlpos.Unmarshal(src, &q); err != nil {
		return nil, []Problem{{File: file, Line: yamlpos.ErrorLine(err), Message: yamlpos.ErrorMessage(err)}}
	}
	q.ID, q.File = id, file
	tree, err := yamlpos.Parse(src)
	if err != nil {
		return nil, []Problem{{File: file, Line: yamlpos.ErrorLine(err), Message: yamlpos.ErrorMessage(err)}}
	}
	for i := range q.Questions {
		qu := &q.Questions[i]
		qu.Line = yamlpos.PathLine(tree, fmt.Sprintf("$.questions[%d]", i))
		// Rendering cannot fail on text already in memory; an error leaves
		// grading to render (and report) it itself.
		qu.explanationHTML, _ = RenderMarkdown(qu.Explanation)
	}
	probs := unknownKeys(file, tree)
	probs = append(probs, validate(&q, tree)...)
	if q.Review == "" {
		q.Review = ReviewExplanations
	}
	return &q, probs
}

var (
	quizKeys     = []string{"title", "pass_mark", "draw", "shuffle", "review", "questions"}
	questionKeys = []string{"id", "kind", "prompt", "options", "answer", "explanation"}
	optionKeys   = []string{"id", "text", "correct"}
)

// unknownKeys reports keys a quiz file may not have: usually a typo.
func unknownKeys(file string, tree *ast.File) []Problem {
	var probs []Problem
	check := func(n ast.Node, allowed []string, what string) []ast.Node {
		m, ok := n.(*ast.MappingNode)
		if !ok {
			return nil
		}
		var children []ast.Node
		for _, kv := range m.Values {
			key := kv.Key.String()
			if !slices.Contains(allowed, key) {
				probs = append(probs, Problem{File: file, Line: kv.Key.GetToken().Position.Line,
					Message: fmt.Sprintf("unknown %s key %q: use %s", what, key, strings.Join(allowed, ", "))})
			}
			if key == "questions" || key == "options" {
				if seq, ok := kv.Value.(*ast.SequenceNode); ok {
					children = append(children, seq.Values...)
				}
			}
		}
		return children
	}
	for _, doc := range tree.Docs {
		for _, qn := range check(doc.Body, quizKeys, "quiz") {
			for _, on := range check(qn, questionKeys, "question") {
				check(on, optionKeys, "option")
			}
		}
	}
	return probs
}

func validate(q *Quiz, tree *ast.File) []Problem {
	var probs []Problem
	add := func(path, format string, args ...any) {
		probs = append(probs, Problem{File: q.File, Line: yamlpos.PathLine(tree, path), Message: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(q.Title) == "" {
		add("$", "quiz needs a title")
	}
	if q.PassMark < 1 || q.PassMark > 100 {
		add("$.pass_mark", "pass_mark %d is out of range: use a percentage from 1 to 100", q.PassMark)
	}
	if q.Draw < 1 {
		add("$.draw", "draw must be at least 1 (how many questions each attempt gets)")
	}
	if len(q.Questions) < q.Draw {
		add("$.draw", "the pool has %d questions, fewer than draw: %d", len(q.Questions), q.Draw)
	}
	if q.Review != "" && !slices.Contains(ReviewModes, q.Review) {
		add("$.review", "unknown review %q: use full, explanations (the default) or score", q.Review)
	}
	seen := map[string]int{}
	for i, qu := range q.Questions {
		at := fmt.Sprintf("$.questions[%d]", i)
		switch {
		case strings.TrimSpace(qu.ID) == "":
			add(at, "question %d has no id", i+1)
		case seen[qu.ID] > 0:
			add(at+".id", "duplicate question id %q (first used on line %d)", qu.ID, seen[qu.ID])
		default:
			seen[qu.ID] = yamlpos.PathLine(tree, at+".id")
		}
		if strings.TrimSpace(qu.Prompt) == "" {
			add(at, "question %q has no prompt", qu.ID)
		}
		if strings.TrimSpace(qu.Explanation) == "" {
			add(at, "question %q has no explanation (shown after grading)", qu.ID)
		}
		switch qu.Kind {
		case TrueFalse:
			if qu.Answer == nil {
				add(at, "true_false question %q needs answer: true or answer: false", qu.ID)
			}
			if len(qu.Options) > 0 {
				add(at+".options", "true_false question %q takes answer:, not options", qu.ID)
			}
			continue
		case Single, Multiple:
		default:
			add(at+".kind", "unknown kind %q: use single, multiple or true_false", qu.Kind)
			continue
		}
		if qu.Answer != nil {
			add(at+".answer", "answer: is only for true_false; mark options with correct: true")
		}
		if len(qu.Options) < 2 {
			add(at+".options", "question %q needs at least two options", qu.ID)
		}
		correct := 0
		opts := map[string]bool{}
		for j, o := range qu.Options {
			if o.ID == "" || strings.TrimSpace(o.Text) == "" {
				add(fmt.Sprintf("%s.options[%d]", at, j), "each option needs an id and a text")
			}
			if opts[o.ID] {
				add(fmt.Sprintf("%s.options[%d].id", at, j), "duplicate option id %q", o.ID)
			}
			opts[o.ID] = true
			if o.Correct {
				correct++
			}
		}
		switch {
		case correct == 0:
			add(at+".options", "question %q has no correct option", qu.ID)
		case qu.Kind == Single && correct > 1:
			add(at+".options", "single-choice question %q has %d correct options: use kind: multiple", qu.ID, correct)
		}
	}
	return probs
}

// LoadDir reads every quizzes/*.yaml file. Problems are returned, not fatal:
// `northstar check` lists them all; the server refuses to start on any.
func LoadDir(dir string) (map[string]*Quiz, []Problem, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, nil, fmt.Errorf("list quizzes: %w", err)
	}
	sort.Strings(files)
	quizzes := map[string]*Quiz{}
	var probs []Problem
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, fmt.Errorf("read quiz: %w", err)
		}
		q, p := Parse(f, src)
		probs = append(probs, p...)
		if q != nil {
			quizzes[q.ID] = q
		}
	}
	return quizzes, probs, nil
}

var md = goldmark.New() // no raw HTML: trainers' Markdown cannot inject markup

// RenderMarkdown turns a prompt or explanation into safe HTML.
func RenderMarkdown(src string) (string, error) {
	var b bytes.Buffer
	if err := md.Convert([]byte(src), &b); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return b.String(), nil
}
