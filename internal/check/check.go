// Package check finds what would break the published site before it ships:
// missing front matter, links that lead nowhere, pages left untranslated or
// out of date, images without alt text, and words the City's language review
// asks to change (Framework for Action goal 5.6). Each finding names a file
// and line, as "file:line: message".
package check

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"northstar/internal/referral"
	"northstar/internal/site"
)

// Severity tells whether a finding blocks publishing.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Finding is one problem at one place.
type Finding struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
}

func (f Finding) String() string {
	msg := f.Message
	if f.Severity == Warning {
		msg = "warning: " + msg
	}
	return fmt.Sprintf("%s:%d: %s", f.File, f.Line, msg)
}

// Report is every finding of one run, sorted by file and line, and how each
// page reaches readers of each language.
type Report struct {
	Findings []Finding
	// Languages are the site's languages other than English, by weight: the
	// columns of Translations.
	Languages []string
	// Translations has a row per page that readers of other languages see.
	Translations []TranslationRow
	// EnglishOnly counts the pages left out of Translations because they are
	// English-only.
	EnglishOnly int
}

// Errors counts the findings that block publishing.
func (r Report) Errors() int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == Error {
			n++
		}
	}
	return n
}

// Warnings counts the findings that do not block publishing.
func (r Report) Warnings() int {
	return len(r.Findings) - r.Errors()
}

// MarshalJSON writes the report as tools read it: findings, the translation
// table, and the counts.
func (r Report) MarshalJSON() ([]byte, error) {
	out := struct {
		Findings     []Finding        `json:"findings"`
		Translations []TranslationRow `json:"translations"`
		Errors       int              `json:"errors"`
		Warnings     int              `json:"warnings"`
	}{r.Findings, r.Translations, r.Errors(), r.Warnings()}
	if out.Findings == nil {
		out.Findings = []Finding{}
	}
	if out.Translations == nil {
		out.Translations = []TranslationRow{}
	}
	return json.Marshal(out)
}

func (r *Report) add(file string, line int, sev Severity, format string, args ...any) {
	r.Findings = append(r.Findings, Finding{File: file, Line: line, Severity: sev, Message: fmt.Sprintf(format, args...)})
}

// requiredFrontMatter lists keys every page needs, with why.
var requiredFrontMatter = []struct{ key, why string }{
	{"title", "the page heading and browser title"},
	{"description", "the one-line summary shown in lists and search"},
}

// Content checks the site under root. It builds the site into a temporary
// folder to learn which internal links resolve.
func Content(root string) (Report, error) {
	return contentAt(root, time.Now())
}

// contentAt checks as if today were now, so tests can age entries.
func contentAt(root string, now time.Time) (Report, error) {
	var r Report
	cfg, err := site.LoadConfig(root)
	if err != nil {
		return r, err
	}
	pages, err := site.ScanContent(root, cfg)
	if err != nil {
		return r, err
	}
	if _, err := referral.SettingsFrom(cfg); err != nil {
		r.add("config.toml", 1, Error, "%v", err)
	}
	ssoClaims(&r, cfg)
	review, err := loadReview(&r, root, cfg)
	if err != nil {
		return r, err
	}
	for _, p := range pages {
		if isResource(p) {
			resource(&r, p, cfg, now)
		} else {
			frontMatter(&r, p)
		}
		validUntil(&r, p, now)
		images(&r, p)
		reviewPage(&r, p, review[p.Lang])
	}
	translations(&r, pages, cfg)
	needs(&r, pages, cfg)
	if err := placeholders(&r, root, pages); err != nil {
		return r, err
	}
	if err := checkTraining(&r, root, pages, cfg.Params.Training.Departments); err != nil {
		return r, err
	}
	if err := reviewQuizzes(&r, root, review[cfg.DefaultContentLanguage]); err != nil {
		return r, err
	}

	tmp, err := os.MkdirTemp("", "northstar-check-")
	if err != nil {
		return r, fmt.Errorf("create temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "public")
	if _, err := site.Build(site.Options{Root: root, OutDir: out}); err != nil {
		if r.Errors() == 0 {
			file, line, msg := locate(root, err)
			r.add(file, line, Error, "the site does not build: %s", msg)
		}
	} else {
		for _, p := range pages {
			links(&r, root, p, out)
		}
	}
	sort.SliceStable(r.Findings, func(i, j int) bool {
		a, b := r.Findings[i], r.Findings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return r, nil
}

// locate turns a Hugo build error into file, line and a one-line message.
func locate(root string, err error) (string, int, string) {
	file, line, msg, ok := site.ErrorPosition(root, err)
	if !ok {
		return "config.toml", 1, msg
	}
	return file, line, msg
}

func frontMatter(r *Report, p site.Page) {
	if p.FrontMatterErr != nil {
		line := 1
		var fe *site.FrontMatterError
		if errors.As(p.FrontMatterErr, &fe) {
			line = fe.Line
		}
		r.add(p.Path, line, Error, "%v", p.FrontMatterErr)
		return
	}
	for _, req := range requiredFrontMatter {
		v, ok := p.FrontMatter[req.key]
		s, isString := v.(string)
		switch {
		case !ok:
			r.add(p.Path, 1, Error, "missing front matter %q (%s)", req.key, req.why)
		case !isString || strings.TrimSpace(s) == "":
			r.add(p.Path, p.KeyLine(req.key), Error, "front matter %q must be non-empty text", req.key)
		}
	}
	if v, ok := p.FrontMatter["english_only"]; ok {
		if _, isBool := v.(bool); !isBool {
			r.add(p.Path, p.KeyLine("english_only"), Error, "english_only must be true or false")
		}
	}
}
