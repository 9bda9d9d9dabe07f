package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"northstar/internal/config"
	"northstar/internal/email"
	"northstar/internal/reminder"
	"northstar/internal/store"
	"northstar/internal/training"
)

func runRemind(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("remind", "remind --public-url URL --smtp-addr HOST:PORT --smtp-from ADDRESS [--smtp-credentials-file FILE] [--site .] [--data DIR | --db URL]", stderr)
	cfg, err := config.FromEnv(os.LookupEnv)
	if err != nil {
		return err
	}
	cfg.RegisterDB(fs)
	cfg.RegisterPublicURL(fs)
	cfg.RegisterSMTP(fs)
	fs.StringVar(&cfg.SiteDir, "site", cfg.SiteDir, "folder with config.toml and content/, for the modules (NORTHSTAR_SITE)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.SMTPAddr == "" {
		return errors.New("remind: --smtp-addr is required: the SMTP relay reminders go through")
	}
	if err := config.ValidatePublicURL(cfg.PublicURL); err != nil {
		return err
	}
	if err := cfg.ValidateSMTP(); err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.StoreDSN())
	if err != nil {
		return err
	}
	defer st.Close()
	log := cfg.Logger(stderr)
	res, err := sendReminders(ctx, cfg, st, log)
	fmt.Fprintf(stdout, "sent %d reminder(s)", res.Sent)
	if res.Failed > 0 {
		fmt.Fprintf(stdout, ", %d not sent (tried again at the next run)", res.Failed)
	}
	if res.Left > 0 {
		fmt.Fprintf(stdout, ", %d left for the next run (at most %d a run)", res.Left, reminder.DefaultMax)
	}
	fmt.Fprintln(stdout)
	if err == nil && res.Failed > 0 {
		err = fmt.Errorf("remind: %d reminder(s) not sent", res.Failed)
	}
	return err
}

// sendReminders sends the reminders due now with the site's modules as
// they are now, through the relay cfg names.
func sendReminders(ctx context.Context, cfg config.Config, st store.Store, log *slog.Logger) (reminder.Result, error) {
	settings, err := smtpSettings(cfg)
	if err != nil {
		return reminder.Result{}, err
	}
	modules, err := training.ReadModules(cfg.SiteDir)
	if err != nil {
		return reminder.Result{}, err
	}
	svc := &reminder.Service{Store: st, Modules: modules, PublicURL: cfg.PublicURL, Log: log,
		Dial: func(ctx context.Context) (reminder.Sender, error) { return email.Dial(ctx, settings) }}
	return svc.Run(ctx)
}

// smtpSettings are cfg's relay settings, with the credentials read from
// their file.
func smtpSettings(cfg config.Config) (email.Settings, error) {
	s := email.Settings{Addr: cfg.SMTPAddr, From: cfg.SMTPFrom}
	if cfg.SMTPCredentialsFile != "" {
		var err error
		if s.Username, s.Password, err = email.ReadCredentials(cfg.SMTPCredentialsFile); err != nil {
			return s, err
		}
	}
	return s, nil
}

// remindDaily sends reminders every day at cfg.RemindAt in Minneapolis
// until ctx ends, then closes done. A failed run is logged; what it did
// not send goes at the next.
func remindDaily(ctx context.Context, cfg config.Config, st store.Store, log *slog.Logger, done chan<- struct{}) {
	defer close(done)
	hour, minute, err := reminder.ParseAt(cfg.RemindAt)
	if err != nil {
		log.Error("reminders by email are off", "err", err)
		return
	}
	for {
		next := reminder.NextRun(time.Now(), hour, minute)
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(next)):
		}
		res, err := sendReminders(ctx, cfg, st, log)
		switch {
		case err == nil:
			log.Info("reminders by email sent", "sent", res.Sent, "not_sent", res.Failed, "left", res.Left)
		case ctx.Err() != nil:
			return
		case errors.Is(err, reminder.ErrBusy):
			log.Info("reminders by email: another instance is sending them")
		default:
			log.Error("reminders by email", "err", err, "sent", res.Sent, "not_sent", res.Failed)
		}
	}
}
