package email

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// ReadCredentials reads the relay's username and password from a file:
// two lines (username, then password) or one, username:password. The
// error never holds what the file holds.
func ReadCredentials(path string) (username, password string, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", fmt.Errorf("read smtp credentials: %w", err)
	}
	text := strings.TrimRight(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	var ok bool
	if strings.Contains(text, "\n") {
		username, password, _ = strings.Cut(text, "\n")
		ok = !strings.Contains(password, "\n")
	} else {
		username, password, ok = strings.Cut(text, ":")
	}
	username = strings.TrimSpace(username)
	if !ok || username == "" || password == "" {
		return "", "", errors.New("read smtp credentials: " + path + " must hold a username and a password, on two lines or as username:password")
	}
	return username, password, nil
}
