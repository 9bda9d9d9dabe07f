package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"northstar/internal/config"
	"northstar/internal/store"
)

// pgBackupHelp is what backup and restore say on PostgreSQL, whose own
// tools do both better than a copy through Northstar could.
const pgBackupHelp = `the database is PostgreSQL: back it up with its own tools, e.g.
  pg_dump --format=custom --file=northstar.dump "$NORTHSTAR_DB"
and restore into an empty database with
  pg_restore --clean --if-exists --no-owner --dbname="$NORTHSTAR_DB" northstar.dump
(docs/operations.md)`

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("backup", "backup --out FILE [--data DIR | --db DSN]", stderr)
	out := fs.String("out", "", "the file to write (must not exist)")
	cfg, err := dbFlags(fs, args)
	if err != nil {
		return err
	}
	if cfg.DB != "" {
		return errors.New(pgBackupHelp)
	}
	if *out == "" {
		return errors.New("backup: name the file to write with --out")
	}
	version, err := store.BackupSQLite(ctx, cfg.DataDir, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s (schema version %d), checked\n", cfg.DataDir, *out, version)
	return nil
}

func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("restore", "restore FILE [--data DIR]", stderr)
	cfg, err := dbFlags(fs, args)
	if err != nil {
		return err
	}
	if cfg.DB != "" {
		return errors.New(pgBackupHelp)
	}
	if fs.NArg() != 1 {
		return errors.New("restore: name the backup file")
	}
	kept, err := store.RestoreSQLite(ctx, cfg.DataDir, fs.Arg(0))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s into %s\n", fs.Arg(0), cfg.DataDir)
	if kept != "" {
		fmt.Fprintf(stdout, "the database it replaced is kept as %s\n", kept)
	}
	return nil
}

// dbFlags reads --data/--db (and NORTHSTAR_*), flags after positional
// arguments too.
func dbFlags(fs *flag.FlagSet, args []string) (config.Config, error) {
	cfg, err := config.FromEnv(os.LookupEnv)
	if err != nil {
		return cfg, err
	}
	cfg.RegisterDB(fs)
	return cfg, parseInterspersed(fs, args)
}
