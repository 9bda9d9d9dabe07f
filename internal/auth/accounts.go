package auth

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Account is a staff account to create, as given on the command line or in
// a line of an import file. An empty Password asks for a temporary one.
type Account struct {
	Email, Name, Department, Role, Password string
}

// MaxNameLen and MaxEmailLen bound what an account may hold, in characters:
// a name must fit on a certificate, an email in any mail system (RFC 5321).
const (
	MaxNameLen  = 100
	MaxEmailLen = 254
)

// CheckAccount tells why an account cannot be created, or nil: its
// department must be one of departments (config.toml). Every way of making
// an account (users add, users import, the setup link) uses it.
func CheckAccount(a Account, departments []string) error {
	local, domain, _ := strings.Cut(a.Email, "@")
	switch {
	case utf8.RuneCountInString(a.Email) > MaxEmailLen:
		return &FieldError{"email", fmt.Sprintf("email is longer than %d characters", MaxEmailLen)}
	case local == "" || domain == "" || strings.Contains(domain, "@") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") ||
		strings.ContainsAny(a.Email, " \t,;<>()[]\\\"") || hasControl(a.Email) || !utf8.ValidString(a.Email):
		return &FieldError{"email", fmt.Sprintf("email %q is not an email address", a.Email)}
	case strings.TrimSpace(a.Name) == "":
		return &FieldError{"name", "name must not be empty"}
	case utf8.RuneCountInString(a.Name) > MaxNameLen:
		return &FieldError{"name", fmt.Sprintf("name is longer than %d characters", MaxNameLen)}
	case hasControl(a.Name) || !utf8.ValidString(a.Name):
		return &FieldError{"name", "name must not hold control characters"}
	case !slices.Contains(departments, a.Department):
		return &UnknownDepartmentError{Department: a.Department, Known: departments}
	case !ValidRole(a.Role):
		return roleError(a.Role)
	}
	return nil
}

// FieldError is a field of an account that is not right, and why.
type FieldError struct {
	Field, Msg string
}

func (e *FieldError) Error() string { return e.Msg }

func roleError(role string) error {
	return &FieldError{"role", fmt.Sprintf("role %q must be %s", role, RoleList())}
}

// UnknownDepartmentError is an account whose department is not one of
// the configured ones.
type UnknownDepartmentError struct {
	Department string
	Known      []string
}

func (e *UnknownDepartmentError) Error() string {
	return fmt.Sprintf("department %q is not one of: %s (config.toml, params.training.departments)", e.Department, strings.Join(e.Known, ", "))
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, unicode.IsControl)
}

// ValidRole tells whether role is one of Roles.
func ValidRole(role string) bool {
	return slices.Contains(Roles, role)
}

// ImportHeader is the first line an import file must have.
const ImportHeader = "email,name,department,role[,password]"

// MaxImportRows bounds an import file: a department's staff, not a city's
// population.
const MaxImportRows = 5000

// ImportRow is one line of an import file, checked.
type ImportRow struct {
	Line    int
	Account Account
	// Problem is why the line cannot be added; empty when it can.
	Problem string
	// Exists: the email already has an account; the line is skipped.
	Exists bool
}

// CheckImport reads an import file (CSV: the header ImportHeader, then one
// account a line) and checks every line, so that all its problems can be
// shown at once. With passwords false, a line that gives one is a problem:
// a file uploaded through a browser should hold none. The error is for the
// file as a whole (not CSV, no header, too long).
func CheckImport(r io.Reader, departments []string, passwords bool) ([]ImportRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) || err == nil && !strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(header[0], "\ufeff")), "email") {
		return nil, &ImportError{Line: 1, Msg: "the first line must be the header " + ImportHeader}
	}
	if err != nil {
		return nil, csvError(err)
	}
	var out []ImportRow
	seen := map[string]int{}
	for line := 2; ; line++ {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		if len(out) == MaxImportRows {
			return nil, &ImportError{Line: line, Msg: fmt.Sprintf("more than %d accounts: split the file", MaxImportRows)}
		}
		out = append(out, checkImportRow(line, row, departments, passwords, seen))
	}
	return out, nil
}

// ImportError is what makes a whole import file unreadable, and where.
type ImportError struct {
	Line int
	Msg  string
}

func (e *ImportError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ImportError{Line: pe.Line, Msg: pe.Err.Error()}
	}
	return err
}

func checkImportRow(line int, row []string, departments []string, passwords bool, seen map[string]int) ImportRow {
	ir := ImportRow{Line: line}
	if len(row) < 4 || len(row) > 5 {
		ir.Problem = fmt.Sprintf("want 4 or 5 columns, got %d", len(row))
		return ir
	}
	ir.Account = Account{Email: strings.TrimSpace(row[0]), Name: strings.TrimSpace(row[1]),
		Department: strings.TrimSpace(row[2]), Role: strings.TrimSpace(row[3])}
	if len(row) == 5 {
		ir.Account.Password = row[4]
	}
	key := strings.ToLower(ir.Account.Email)
	switch err := CheckAccount(ir.Account, departments); {
	case err != nil:
		ir.Problem = err.Error()
	case ir.Account.Password != "" && !passwords:
		ir.Problem = "leave the password column empty: each account gets a temporary password, shown once"
	case seen[key] > 0:
		ir.Problem = fmt.Sprintf("the same email as line %d", seen[key])
	}
	if ir.Problem == "" && ir.Account.Password != "" {
		if err := CheckNewPassword(ir.Account.Password); err != nil {
			ir.Problem = err.Error()
		}
	}
	if seen[key] == 0 {
		seen[key] = line
	}
	return ir
}

// ReadAccounts reads an import file named name and returns its accounts
// only when every line is right, so that a file with a mistake adds nobody.
// Errors say "name:line: why".
func ReadAccounts(name string, r io.Reader, departments []string) ([]Account, error) {
	rows, err := CheckImport(r, departments, true)
	var ie *ImportError
	if errors.As(err, &ie) {
		return nil, fmt.Errorf("%s:%d: %s", name, ie.Line, ie.Msg)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	out := make([]Account, 0, len(rows))
	for _, row := range rows {
		if row.Problem != "" {
			return nil, fmt.Errorf("%s:%d: %s", name, row.Line, row.Problem)
		}
		out = append(out, row.Account)
	}
	return out, nil
}

// TemporaryPassword is a random password for an imported account without
// one, shown once to whoever imports it; its holder changes it after
// signing in.
func TemporaryPassword() string {
	var b [15]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
