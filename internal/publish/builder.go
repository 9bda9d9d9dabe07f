package publish

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/pelletier/go-toml/v2"

	"northstar/internal/quiz"
	"northstar/internal/search"
	"northstar/internal/site"
	"northstar/internal/web"
)

// Builder builds the site, its search index and the training data from the
// sources, and hands them to the server only when all of them succeed: what
// serve does at start and serve --watch after every change.
type Builder struct {
	root    string // absolute under --watch
	dataDir string
	srv     *web.Server
	// training is what the server was last given, or, before the first
	// good build, what does not come from the sources (sessions, sign-in
	// limits, setup link); each build copies it with new quizzes and modules.
	training *web.Training
	// served is the site folder being served; a build writes the other one.
	served string
	log    *slog.Logger
}

// NewBuilder returns a Builder of the sources under root for srv, keeping
// the built site and search index in dataDir. training is the staff side's
// part that does not come from the sources.
func NewBuilder(root, dataDir string, srv *web.Server, training *web.Training, log *slog.Logger) *Builder {
	return &Builder{root: root, dataDir: dataDir, srv: srv, training: training, log: log}
}

// Served is the folder of the site being served, "" before a good build.
func (b *Builder) Served() string { return b.served }

// Build returns the problems as "file:line: message" where a position is
// known; with none, everything built is being served.
func (b *Builder) Build() (site.Result, []string) {
	var problems []string
	quizzes, quizProbs, err := quiz.LoadDir(filepath.Join(b.root, "quizzes"))
	if err != nil {
		problems = append(problems, err.Error())
	}
	for _, p := range quizProbs {
		p.File = relTo(b.root, p.File)
		problems = append(problems, p.String())
	}
	siteCfg, err := site.LoadConfig(b.root)
	if err != nil {
		line := 1
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, _ = de.Position()
		}
		return site.Result{}, append(problems, fmt.Sprintf("config.toml:%d: %v", line, err))
	}
	setup, err := web.LoadSearchSetup(b.root)
	if err != nil {
		problems = append(problems, err.Error())
	}
	next := filepath.Join(b.dataDir, "site")
	if b.served == next {
		next = filepath.Join(b.dataDir, "site-watch")
	}
	res, err := site.Build(site.Options{Root: b.root, OutDir: next})
	if err != nil {
		problems = append(problems, hugoProblem(b.root, err))
	}
	if len(problems) > 0 {
		return res, problems
	}
	if err := indexSearch(b.dataDir, res); err != nil {
		return res, []string{err.Error()}
	}
	ix, err := search.Open(IndexDir(b.dataDir))
	if err != nil {
		return res, []string{err.Error()}
	}
	if err := b.srv.SetSearch(ix, setup); err != nil {
		b.log.Warn("close the replaced search index", "err", err)
	}
	if err := b.srv.SetSiteDir(next); err != nil {
		return res, []string{err.Error()}
	}
	b.served = next
	tr := *b.training
	tr.Quizzes = quizzes
	tr.Modules = web.ModulesFromSite(res.Built)
	tr.Departments = siteCfg.Params.Training.Departments
	b.srv.SetTraining(&tr)
	b.training = &tr
	return res, nil
}
