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
		return fmt.Errorf("email is longer than %d characters", MaxEmailLen)
	case local == "" || domain == "" || strings.Contains(domain, "@") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") ||
		strings.ContainsAny(a.Email, " \t,;<>()[]\\\"") || hasControl(a.Email) || !utf8.ValidString(a.Email):
		return fmt.Errorf("email %q is not an email address", a.Email)
	case strings.TrimSpace(a.Name) == "":
		return errors.New("name must not be empty")
	case utf8.RuneCountInString(a.Name) > MaxNameLen:
		return fmt.Errorf("name is longer than %d characters", MaxNameLen)
	case hasControl(a.Name) || !utf8.ValidString(a.Name):
		return errors.New("name must not hold control characters")
	case !slices.Contains(departments, a.Department):
		return &UnknownDepartmentError{Department: a.Department, Known: departments}
	case !ValidRole(a.Role):
		return fmt.Errorf("role %q must be %s", a.Role, RoleList())
	}
	return nil
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

// ReadAccounts reads an import file (CSV, the header ImportHeader, then one
// account a line) named name, and checks every line before returning any,
// so that a file with a mistake adds nobody. Errors say "name:line: why".
func ReadAccounts(name string, r io.Reader, departments []string) ([]Account, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(rows) == 0 || !strings.EqualFold(strings.TrimSpace(rows[0][0]), "email") {
		return nil, fmt.Errorf("%s:1: the first line must be the header %s", name, ImportHeader)
	}
	var out []Account
	for i, row := range rows[1:] {
		line := i + 2
		if len(row) < 4 || len(row) > 5 {
			return nil, fmt.Errorf("%s:%d: want 4 or 5 columns, got %d", name, line, len(row))
		}
		a := Account{Email: strings.TrimSpace(row[0]), Name: strings.TrimSpace(row[1]),
			Department: strings.TrimSpace(row[2]), Role: strings.TrimSpace(row[3])}
		if len(row) == 5 {
			a.Password = row[4]
		}
		if err := CheckAccount(a, departments); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if a.Password != "" {
			if err := CheckNewPassword(a.Password); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, line, err)
			}
		}
		out = append(out, a)
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
