package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"northstar/internal/referral"
	"northstar/internal/site"
	"northstar/internal/store"
)

func runReferrals(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "purge" {
		fmt.Fprintln(stderr, "Usage: northstar referrals purge [--site DIR] [--data DIR | --db DSN]")
		return errors.New("referrals: name a subcommand")
	}
	fs := newFlagSet("referrals purge", "referrals purge [--site DIR] [--data DIR | --db DSN]", stderr)
	siteRoot := fs.String("site", ".", "folder with config.toml (params.referrals.retention_years)")
	st, err := openStore(ctx, fs, args[1:])
	if err != nil {
		return err
	}
	defer st.Close()
	n, before, err := purgeReferrals(ctx, *siteRoot, st)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "deleted %d referral(s) that happened before %s\n", n, before)
	return nil
}

// purgeReferrals deletes the referrals older than the site's retention
// setting, and says how many and before which date.
func purgeReferrals(ctx context.Context, siteRoot string, st store.Store) (int64, string, error) {
	cfg, err := site.LoadConfig(siteRoot)
	if err != nil {
		return 0, "", err
	}
	set, err := referral.SettingsFrom(cfg)
	if err != nil {
		return 0, "", err
	}
	svc := &referral.Service{Store: st, Settings: set}
	n, err := svc.Purge(ctx)
	return n, referral.PurgeBefore(svc.Clock(), set), err
}

// purgeExpired deletes the expired referrals and logs how many; a failure
// is logged, and the next run tries again.
func purgeExpired(ctx context.Context, siteRoot string, st store.Store, log *slog.Logger) {
	n, before, err := purgeReferrals(ctx, siteRoot, st)
	switch {
	case err != nil && ctx.Err() == nil:
		log.Error("delete expired referrals", "err", err)
	case n > 0:
		log.Info("deleted expired referrals", "count", n, "happened_before", before)
	}
}

// purgeDaily runs purgeExpired once a day until ctx ends, then closes done.
func purgeDaily(ctx context.Context, siteRoot string, st store.Store, log *slog.Logger, done chan<- struct{}) {
	defer close(done)
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(24 * time.Hour):
			purgeExpired(ctx, siteRoot, st, log)
		}
	}
}
