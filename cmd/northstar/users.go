package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"northstar/internal/auth"
	"northstar/internal/site"
	"northstar/internal/store"
)

// stdin is where --password-stdin reads; tests replace it.
var stdin io.Reader = os.Stdin

func runUsers(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sub := map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"add": usersAdd, "import": usersImport, "set-role": usersSetRole, "disable": usersDisable, "enable": usersEnable,
	}
	if len(args) == 0 || sub[args[0]] == nil {
		fmt.Fprintln(stderr, "Usage: northstar users add|import|set-role|disable|enable [flags]  (each takes -h)")
		return errors.New("users: name a subcommand")
	}
	return sub[args[0]](ctx, args[1:], stdout, stderr)
}

// openStore reads --data/--db (and NORTHSTAR_*) and opens the store.
func openStore(ctx context.Context, fs *flag.FlagSet, args []string) (store.Store, error) {
	cfg, err := dbFlags(fs, args)
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, cfg.StoreDSN())
}

// parseInterspersed lets flags come after positional arguments too, as in
// `users import staff.csv --data ./data`. The positional ones are left in
// fs.Args().
func parseInterspersed(fs *flag.FlagSet, args []string) error {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return fs.Parse(append([]string{"--"}, positional...))
}

func departments(siteRoot string) ([]string, error) {
	cfg, err := site.LoadConfig(siteRoot)
	if err != nil {
		return nil, err
	}
	return cfg.Params.Training.Departments, nil
}

func usersAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("users add", "users add --email E --name N --department D --role R --password-stdin [--data DIR | --db DSN]", stderr)
	email := fs.String("email", "", "email address (sign-in name)")
	name := fs.String("name", "", "full name")
	dept := fs.String("department", "", "department, from config.toml")
	role := fs.String("role", store.RoleLearner, auth.RoleList())
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input (required)")
	siteRoot := fs.String("site", ".", "folder with config.toml")
	st, err := openStore(ctx, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	if !*fromStdin {
		return errors.New("pass the password on standard input with --password-stdin, never as an argument")
	}
	depts, err := departments(*siteRoot)
	if err != nil {
		return err
	}
	if err := auth.CheckAccount(auth.Account{Email: *email, Name: *name, Department: *dept, Role: *role}, depts); err != nil {
		return err
	}
	pw, err := readPassword(stdin, stderr)
	if err != nil {
		return err
	}
	admin := &auth.Admin{Store: st, Departments: depts}
	added, err := admin.Add(ctx, auth.CommandLine, auth.Account{Email: *email, Name: *name, Department: *dept, Role: *role, Password: pw}, "added")
	if err != nil {
		return err
	}
	u := added.User
	fmt.Fprintf(stdout, "added %s (%s, %s)\n", u.Email, u.Role, u.Department)
	return nil
}

// readPassword reads one line: from a pipe as it comes, and from a terminal
// after a prompt on stderr, without showing what is typed.
func readPassword(in io.Reader, prompt io.Writer) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(prompt, "Password (not shown, at least %d characters): ", auth.MinPasswordLen)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return string(b), nil
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// usersImport reads CSV rows email,name,department,role[,password] with a
// header. A row without a password gets a random one, printed once, which the
// person changes after signing in.
func usersImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("users import", "users import FILE.csv [--data DIR | --db DSN]", stderr)
	siteRoot := fs.String("site", ".", "folder with config.toml")
	st, err := openStore(ctx, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	if fs.NArg() != 1 {
		return errors.New("name one CSV file: " + auth.ImportHeader)
	}
	depts, err := departments(*siteRoot)
	if err != nil {
		return err
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	accounts, err := auth.ReadAccounts(fs.Arg(0), f, depts)
	if err != nil {
		return err
	}
	admin := &auth.Admin{Store: st, Departments: depts}
	n := 0
	for i, a := range accounts {
		added, err := admin.Add(ctx, auth.CommandLine, a, "imported")
		if errors.Is(err, auth.ErrHasAccount) {
			fmt.Fprintf(stderr, "%s:%d: %s already has an account, skipped\n", fs.Arg(0), i+2, a.Email)
			continue
		}
		if err != nil {
			return err
		}
		n++
		if added.TemporaryPassword != "" {
			fmt.Fprintf(stdout, "%s\ttemporary password: %s\n", added.User.Email, added.TemporaryPassword)
		}
	}
	fmt.Fprintf(stderr, "added %d account(s)\n", n)
	return nil
}

func usersSetRole(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("users set-role", "users set-role --email E --role R [--data DIR | --db DSN]", stderr)
	email := fs.String("email", "", "account email")
	role := fs.String("role", "", auth.RoleList())
	st, err := openStore(ctx, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	admin := &auth.Admin{Store: st}
	u, err := admin.AccountByEmail(ctx, *email)
	if err != nil {
		return fmt.Errorf("%s: %w", *email, err)
	}
	if _, err := admin.Change(ctx, auth.CommandLine, u.ID, *role, u.Department); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s is now %s\n", u.Email, *role)
	return nil
}

func usersDisable(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return setDisabled(ctx, args, stdout, stderr, true)
}

func usersEnable(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return setDisabled(ctx, args, stdout, stderr, false)
}

func setDisabled(ctx context.Context, args []string, stdout, stderr io.Writer, disabled bool) error {
	verb := map[bool]string{true: "disable", false: "enable"}[disabled]
	fs := newFlagSet("users "+verb, "users "+verb+" --email E [--data DIR | --db DSN]", stderr)
	email := fs.String("email", "", "account email")
	st, err := openStore(ctx, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	admin := &auth.Admin{Store: st}
	u, err := admin.AccountByEmail(ctx, *email)
	if err != nil {
		return fmt.Errorf("%s: %w", *email, err)
	}
	if _, err := admin.SetDisabled(ctx, auth.CommandLine, u.ID, disabled); err != nil {
		return err
	}
	if disabled {
		fmt.Fprintf(stdout, "%s disabled: their sessions have ended\n", u.Email)
	} else {
		fmt.Fprintf(stdout, "%s enabled\n", u.Email)
	}
	return nil
}
