// Command northstar builds Northstar's public site with Hugo and serves it with
// the API on one port. It only wires packages together; the logic is in internal/.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"build", "build the public site into a folder (default public/)", runBuild},
		{"serve", "build the site, then serve it and the API on one port", runServe},
		{"check", "check content for errors before publishing", runCheck},
		{"new", "create a module, lesson or resource from the theme's archetypes", runNew},
		{"users", "add, import, change and disable staff accounts", runUsers},
		{"referrals", "delete referrals older than the retention setting (purge)", runReferrals},
		{"remind", "send the reminders by email that are due, each once", runRemind},
		{"backup", "copy the SQLite database while serve runs, and check the copy", runBackup},
		{"restore", "make a backup the database of a data dir (serve stopped), migrated forward", runRestore},
		{"export", "export completions as xAPI statements (JSON lines)", runExport},
		{"version", "print the version", runVersion},
		{"help", "list the commands", nil},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errSilent):
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "northstar:", err)
		os.Exit(1)
	}
}

// errSilent means the command already told the user what went wrong.
var errSilent = errors.New("failed")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] && c.run != nil {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: northstar <command> [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'northstar <command> -h' for a command's flags.")
}

// newFlagSet returns a flag set whose errors and -h output go to stderr.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: northstar %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}
