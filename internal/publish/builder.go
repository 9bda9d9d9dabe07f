package publish

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/pelletier/go-toml/v2"

	"northstar/internal/quiz"
	"northstar/internal/referral"
	"northstar/internal/release"
	"northstar/internal/search"
	"northstar/internal/site"
	"northstar/internal/training"
)

// Installer serves a release from now on (web.Server).
type Installer interface {
	Install(*release.Release) error
}

// Builder builds the sources into one release (the site, its search index,
// the quizzes and modules) and hands it to the server only when all of it
// succeeds: what serve does at start and serve --watch after every change.
type Builder struct {
	root    string // absolute under --watch
	dataDir string
	srv     Installer
	// current is the release being served; older is the one it replaced,
	// whose site folder the next build writes once its last request ends.
	current, older *release.Release
	log            *slog.Logger
}

// NewBuilder returns a Builder of the sources under root for srv, keeping
// the built site and search index in dataDir.
func NewBuilder(root, dataDir string, srv Installer, log *slog.Logger) *Builder {
	return &Builder{root: root, dataDir: dataDir, srv: srv, log: log}
}

// Served is the folder of the site being served, "" before a good build.
func (b *Builder) Served() string {
	if b.current == nil {
		return ""
	}
	return b.current.SiteDir
}

// Build returns the problems as "file:line: message" where a position is
// known; with none, the new release is being served.
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
	referrals, err := referral.SettingsFrom(siteCfg)
	if err != nil {
		problems = append(problems, "config.toml:1: "+err.Error())
	}
	pages, err := site.ScanContent(b.root, siteCfg)
	if err != nil {
		problems = append(problems, err.Error())
	}
	setup, err := search.LoadSetup(b.root)
	if err != nil {
		problems = append(problems, err.Error())
	}
	modules, err := training.ReadModules(b.root)
	if err != nil {
		problems = append(problems, err.Error())
	}
	next := b.nextSiteDir()
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
	rel := release.New(release.Parts{SiteDir: next, Search: ix, Setup: setup,
		Quizzes: quizzes, Modules: modules, Departments: siteCfg.Params.Training.Departments,
		Directory: referral.ResourcesFromContent(pages), Referrals: referrals})
	if err := b.srv.Install(rel); err != nil {
		rel.Retire()
		return res, []string{err.Error()}
	}
	b.older, b.current = b.current, rel
	return res, nil
}

// nextSiteDir is the folder the next build writes: not the one being
// served. The release that last used it is retired; requests still on it
// end within the server's write timeout, and the build waits for them.
func (b *Builder) nextSiteDir() string {
	next := filepath.Join(b.dataDir, "site")
	if b.Served() == next {
		next = filepath.Join(b.dataDir, "site-watch")
	}
	if b.older == nil {
		return next
	}
	select {
	case <-b.older.Closed():
	case <-time.After(5 * time.Second):
		b.log.Info("rebuild waits for requests still on the release before last")
		<-b.older.Closed()
	}
	if err := b.older.Err(); err != nil {
		b.log.Warn("close the replaced search index", "err", err)
	}
	b.older = nil
	return next
}
