package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"northstar/internal/auth"
	"northstar/internal/config"
	"northstar/internal/quiz"
	"northstar/internal/search"
	"northstar/internal/site"
	"northstar/internal/store"
	"northstar/internal/web"
)

// trainingSetup loads the quizzes and modules and prepares sign-in. Quiz
// files with problems stop the server: check lists them.
func trainingSetup(ctx context.Context, cfg config.Config, st store.Store, res site.Result) (*web.Training, error) {
	quizzes, probs, err := quiz.LoadDir(filepath.Join(cfg.SiteDir, "quizzes"))
	if err != nil {
		return nil, err
	}
	if len(probs) > 0 {
		var b strings.Builder
		for _, p := range probs {
			b.WriteString("\n" + p.String())
		}
		return nil, fmt.Errorf("quiz files have problems (run northstar check):%s", b.String())
	}
	siteCfg, err := site.LoadConfig(cfg.SiteDir)
	if err != nil {
		return nil, err
	}
	tr := &web.Training{
		Store:        st,
		Sessions:     &auth.Sessions{Store: st},
		AccountLimit: &auth.Throttle{Max: 5, Window: 15 * time.Minute},
		AddressLimit: &auth.Throttle{Max: 30, Window: 15 * time.Minute},
		Quizzes:      quizzes,
		Modules:      web.ModulesFromSite(res.Built),
		Departments:  siteCfg.Params.Training.Departments,
		TrustProxy:   cfg.TrustProxy,
		PublicURL:    cfg.PublicURL,
	}
	admins, err := st.CountAdmins(ctx)
	if err != nil {
		return nil, err
	}
	if admins == 0 {
		if tr.Setup, err = auth.NewSetupLink(time.Now()); err != nil {
			return nil, err
		}
	}
	return tr, nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve [--addr 127.0.0.1:8080] [--data ./data] [--watch]", stderr)
	watch := fs.Bool("watch", false, "rebuild when content/, themes/, quizzes/ or config.toml change, and reload open pages: for writing content, not for production")
	cfg, err := config.Load(fs, args)
	if err != nil {
		return err
	}
	config.TuneGC(os.LookupEnv)
	level, _ := cfg.Level()
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	log.Info("starting northstar", "version", version, "config", cfg)

	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("create data dir: %w", err)
	}
	srv := web.New(log)
	var sources *fsnotify.Watcher
	if *watch {
		// Watch before the first build, so no change made meanwhile is missed.
		root, err := filepath.Abs(cfg.SiteDir)
		if err != nil {
			return fmt.Errorf("resolve site dir: %w", err)
		}
		cfg.SiteDir = root
		if sources, err = watchSources(root); err != nil {
			return err
		}
		defer sources.Close()
	}
	siteDir := filepath.Join(cfg.DataDir, "site")
	start := time.Now()
	res, err := publish(cfg.SiteDir, siteDir, cfg.DataDir)
	if err != nil {
		return err
	}
	log.Info("site and search index built", "pages", res.Pages, "languages", res.Languages, "dir", siteDir, "duration", time.Since(start).Round(time.Millisecond))
	if err := srv.SetSiteDir(siteDir); err != nil {
		return err
	}
	setup, err := web.LoadSearchSetup(cfg.SiteDir)
	if err != nil {
		return err
	}
	ix, err := search.Open(indexDir(cfg.DataDir))
	if err != nil {
		return err
	}
	if err := srv.SetSearch(ix, setup); err != nil {
		return err
	}
	defer srv.Close()

	st, err := store.Open(ctx, cfg.StoreDSN())
	if err != nil {
		return err
	}
	defer st.Close()
	tr, err := trainingSetup(ctx, cfg, st, res)
	if err != nil {
		return err
	}
	srv.SetTraining(tr)
	var live *web.LiveReload
	if *watch {
		live = web.NewLiveReload()
		srv.SetLiveReload(live)
		w := &siteWatcher{root: cfg.SiteDir, dataDir: cfg.DataDir, srv: srv, live: live, training: tr,
			served: siteDir, fsw: sources, out: stdout, log: log}
		watchCtx, stopWatching := context.WithCancel(ctx)
		stopped := make(chan struct{})
		go func() { w.run(watchCtx); close(stopped) }()
		// Stop rebuilding before the store and the search index close.
		defer func() { stopWatching(); <-stopped }()
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	httpSrv := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if live != nil {
		// Open pages hold an event stream each; shutting down ends them.
		httpSrv.RegisterOnShutdown(live.Close)
	}
	fmt.Fprintf(stdout, "Northstar is serving on http://%s/\n", ln.Addr())
	if live != nil {
		fmt.Fprintf(stdout, "Watching %s for changes: open pages reload after each rebuild.\n", cfg.SiteDir)
	}
	if tr.Setup != nil {
		fmt.Fprintf(stdout, "No administrator yet. Create one within %s at http://%s/setup?token=%s\n",
			auth.SetupLinkLifetime, ln.Addr(), tr.Setup.Token())
	}

	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight", "timeout", cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := httpSrv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return nil
}
