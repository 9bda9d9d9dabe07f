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

	"northstar/internal/auth"
	"northstar/internal/config"
	"northstar/internal/metrics"
	"northstar/internal/publish"
	"northstar/internal/site"
	"northstar/internal/sso"
	"northstar/internal/store"
	"northstar/internal/training"
	"northstar/internal/web"
)

// staffSide is the staff side's part that does not come from the sources:
// sessions, sign-in limits and, while no administrator exists, the setup
// link. Each release brings the quizzes and modules (publish.Builder).
func staffSide(ctx context.Context, cfg config.Config, st store.Store, log *slog.Logger) (*web.Staff, error) {
	tr := &web.Staff{
		Store:      st,
		Sessions:   auth.NewSessions(st),
		TrustProxy: cfg.TrustProxy,
		PublicURL:  cfg.PublicURL,
	}
	tr.Sessions.Passwords = cfg.LocalLogin
	if cfg.OIDCIssuer != "" {
		secret, err := os.ReadFile(cfg.OIDCClientSecretFile)
		if err != nil {
			return nil, fmt.Errorf("read the OIDC client secret: %w", err)
		}
		siteCfg, err := site.LoadConfig(cfg.SiteDir)
		if err != nil {
			return nil, err
		}
		claims, err := sso.ClaimsFrom(siteCfg)
		if err != nil {
			return nil, err
		}
		// A provider that cannot be reached now does not stop serve: the
		// client tries again at the next sign-in.
		if tr.SSO, err = sso.New(ctx, sso.Settings{Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID,
			ClientSecret: strings.TrimSpace(string(secret)), RedirectURL: cfg.OIDCRedirectURL, Claims: claims, Nonces: st}); err != nil {
			log.Warn("the City's identity provider cannot be reached yet: sign-in with the City account answers 503 until it can", "err", err)
		}
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
	log := cfg.Logger(stderr)
	log.Info("starting northstar", "version", version, "config", cfg)

	// One server per data dir: restore refuses while one holds it.
	unlock, err := store.LockDataDir(cfg.DataDir)
	if err != nil {
		return err
	}
	defer unlock()
	// Listen first: the listening address is the fallback public address,
	// which every build's staff side needs. Connections wait in the
	// backlog until the site is built and served.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	if cfg.PublicURL == "" {
		cfg.PublicURL = "http://" + ln.Addr().String()
		log.Warn("no --public-url (NORTHSTAR_PUBLIC_URL): certificate links and exports use the listening address, which the public may not reach",
			"public_url", cfg.PublicURL)
	}
	srv := web.New(log)
	storeOpts := []store.Option{store.WithLog(log)}
	if cfg.MetricsAddr != "" {
		m := metrics.New()
		srv.SetMetrics(m)
		storeOpts = append(storeOpts, store.WithCommitObserver(m.CommitBatch))
		stopMetrics, err := serveMetrics(cfg.MetricsAddr, m, log)
		if err != nil {
			return err
		}
		defer stopMetrics()
		log.Info("metrics for Prometheus", "url", "http://"+cfg.MetricsAddr+"/metrics")
	}
	st, err := store.Open(ctx, cfg.StoreDSN(), storeOpts...)
	if err != nil {
		return err
	}
	defer st.Close()
	tr, err := staffSide(ctx, cfg, st, log)
	if err != nil {
		return err
	}
	srv.SetStaff(tr)
	// Referrals past the retention period go at start-up, then daily.
	purgeExpired(ctx, cfg.SiteDir, st, log)
	purgeCtx, stopPurging := context.WithCancel(ctx)
	purged := make(chan struct{})
	go purgeDaily(purgeCtx, cfg.SiteDir, st, log, purged)
	defer func() { stopPurging(); <-purged }()
	// Reminders by email go daily at --remind-at, when there is a relay.
	if cfg.SMTPAddr == "" {
		log.Info("reminders by email are off: no --smtp-addr")
	} else {
		settings, err := smtpSettings(cfg)
		if err != nil {
			return err
		}
		remindCtx, stopReminding := context.WithCancel(ctx)
		reminded := make(chan struct{})
		go remindDaily(remindCtx, cfg, st, log, reminded)
		defer func() { stopReminding(); <-reminded }()
		log.Info("reminders by email on", "at", cfg.RemindAt, "time_zone", training.CityTime.String(), "smtp", settings)
		tr.RemindAt = cfg.RemindAt
	}
	var live *web.LiveReload
	var watcher *publish.Watcher
	if *watch {
		root, err := filepath.Abs(cfg.SiteDir)
		if err != nil {
			return fmt.Errorf("resolve site dir: %w", err)
		}
		cfg.SiteDir = root
		live = web.NewLiveReload()
		srv.SetLiveReload(live)
	}
	b := publish.NewBuilder(cfg.SiteDir, cfg.DataDir, srv, log)
	if *watch {
		// Watch before the first build, so no change made meanwhile is missed.
		if watcher, err = publish.Watch(b, live, stdout); err != nil {
			return err
		}
		defer watcher.Close()
	}
	start := time.Now()
	res, problems := b.Build()
	defer srv.Close()
	switch {
	case len(problems) > 0 && live == nil:
		return fmt.Errorf("the site does not build (northstar check lists problems):\n%s", strings.Join(problems, "\n"))
	case len(problems) > 0:
		// Under --watch a trainer fixes the files while the server waits:
		// pages show the problems and reload once it builds.
		fmt.Fprintln(stdout, "The site does not build yet; fix these and save, and it is served:")
		for _, p := range problems {
			fmt.Fprintln(stdout, p)
		}
		live.Failed(problems)
	default:
		log.Info("site and search index built", "pages", res.Pages, "languages", res.Languages, "dir", b.Served(), "duration", time.Since(start).Round(time.Millisecond))
	}
	if watcher != nil {
		watchCtx, stopWatching := context.WithCancel(ctx)
		stopped := make(chan struct{})
		go func() { watcher.Run(watchCtx); close(stopped) }()
		// Stop rebuilding before the store and the search index close.
		defer func() { stopWatching(); <-stopped }()
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

// serveMetrics serves /metrics on addr, its own listener: the public port
// never answers it. The returned func stops it.
func serveMetrics(addr string, m *metrics.Metrics, log *slog.Logger) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for metrics on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go hs.Serve(ln)
	return func() { hs.Close() }, nil
}
