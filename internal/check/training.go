package check

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"northstar/internal/quiz"
	"northstar/internal/site"
	"northstar/internal/training"
)

// isModule tells a training module's own page: content/training/<module>/_index.md.
func isModule(p site.Page) bool {
	_, ok := training.ModuleSlug(p.Key)
	return ok
}

// checkTraining checks the quiz files and that modules and quizzes name each other:
// every module's quiz exists, and every quiz belongs to a module.
func checkTraining(r *Report, root string, pages []site.Page, departments []string) error {
	quizzes, probs, err := quiz.LoadDir(filepath.Join(root, "quizzes"))
	if err != nil {
		return err
	}
	for _, p := range probs {
		r.add(relTo(root, p.File), p.Line, Error, "%s", p.Message)
	}
	for _, q := range quizzes {
		for _, w := range q.Warnings() {
			r.add(relTo(root, w.File), w.Line, Warning, "%s", w.Message)
		}
	}
	used := map[string]bool{}
	lessons := map[string][]string{} // module slug -> lesson slugs
	for _, p := range pages {
		parts := strings.Split(p.Key, "/")
		switch {
		case len(parts) == 3 && parts[0] == "training" && parts[2] != "_index":
			lessons[parts[1]] = append(lessons[parts[1]], parts[2])
		case len(parts) == 4 && parts[0] == "training" && parts[3] == "index":
			// A lesson kept as a folder with its pictures (a page bundle).
			lessons[parts[1]] = append(lessons[parts[1]], parts[2])
		}
	}
	for _, p := range pages {
		if !isModule(p) || p.FrontMatterErr != nil {
			continue
		}
		id, _ := p.FrontMatter["quiz"].(string)
		switch {
		case id == "":
			r.add(p.Path, 1, Error, `a training module needs "quiz": the id of its file in quizzes/`)
		case quizzes[id] == nil && !hasProblemFile(probs, id):
			r.add(p.Path, p.KeyLine("quiz"), Error, "quiz %q does not exist: add quizzes/%s.yaml", id, id)
		}
		used[id] = true
		if q := quizzes[id]; q != nil {
			explanationsNameLessons(r, root, q, strings.Split(p.Key, "/")[1], lessons)
		}
		if !positiveInt(p.FrontMatter["minutes"]) {
			r.add(p.Path, p.KeyLine("minutes"), Error, `a training module needs "minutes": about how long it takes, a whole number`)
		}
		if v, ok := p.FrontMatter["valid_months"]; ok && !wholeBetween(v, 1, 60) {
			r.add(p.Path, p.KeyLine("valid_months"), Error, `"valid_months" is how long a certificate holds before staff must retake the module: a whole number of months from 1 to 60 (12 if left out)`)
		}
		if list, ok := p.FrontMatter["audience"].([]any); !ok {
			r.add(p.Path, p.KeyLine("audience"), Error, `a training module needs "audience": a list of departments, or [all]`)
		} else {
			for _, a := range list {
				if d := fmt.Sprint(a); d != "all" && !slices.Contains(departments, d) {
					r.add(p.Path, p.KeyLine("audience"), Error, "audience %q is not a department: use all or one of %s (config.toml, params.training.departments)", d, strings.Join(departments, ", "))
				}
			}
		}
	}
	ids := make([]string, 0, len(quizzes))
	for id := range quizzes {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if !used[id] {
			r.add(relTo(root, quizzes[id].File), 1, Warning, "no training module uses quiz %q: name it in a module's quiz: front matter", id)
		}
	}
	return nil
}

// seeLesson finds "See: lesson-slug" in an explanation.
var seeLesson = regexp.MustCompile(`See:\s*([a-z0-9-]+)`)

// explanationsNameLessons requires each explanation to send the learner to a
// lesson of the module: "See: lesson-slug".
func explanationsNameLessons(r *Report, root string, q *quiz.Quiz, module string, lessons map[string][]string) {
	sort.Strings(lessons[module])
	for _, qu := range q.Questions {
		m := seeLesson.FindStringSubmatch(qu.Explanation)
		if m == nil || !slices.Contains(lessons[module], m[1]) {
			r.add(relTo(root, q.File), qu.Line, Error, "explanation of question %q must name a lesson of module %q, like \"See: %s\" (lessons: %s)",
				qu.ID, module, firstOr(lessons[module], "lesson-slug"), strings.Join(lessons[module], ", "))
		}
	}
}

func firstOr(l []string, def string) string {
	if len(l) > 0 {
		return l[0]
	}
	return def
}

// wholeBetween reports whether v is a whole number from lo to hi.
func wholeBetween(v any, lo, hi int64) bool {
	var n int64
	switch x := v.(type) {
	case uint64:
		if x > uint64(hi) {
			return false
		}
		n = int64(x)
	case int64:
		n = x
	case int:
		n = int64(x)
	default:
		return false
	}
	return n >= lo && n <= hi
}

func positiveInt(v any) bool {
	switch n := v.(type) {
	case uint64:
		return n > 0
	case int64:
		return n > 0
	case int:
		return n > 0
	}
	return false
}

func hasProblemFile(probs []quiz.Problem, id string) bool {
	for _, p := range probs {
		if strings.TrimSuffix(filepath.Base(p.File), ".yaml") == id {
			return true
		}
	}
	return false
}

func relTo(root, file string) string {
	if rel, err := filepath.Rel(root, file); err == nil {
		return filepath.ToSlash(rel)
	}
	return file
}
