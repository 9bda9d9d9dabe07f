// Package certificate owns what a training certificate looks like to the
// outside world: its public verification code (making, reading back and
// showing one) and the documents that show it, a printable PDF and the QR
// code for the HTML page. Who earned a certificate, and whether it is still
// valid, is for the training and store packages.
package certificate

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
	"unicode"
)

// CodeLen is the length of a verification code: 12 base32 characters, 60 bits.
const CodeLen = 12

// NewCode returns a fresh verification code: CodeLen characters of the RFC
// 4648 base32 alphabet (A–Z, 2–7) carrying 60 bits from crypto/rand, too many
// to guess against a rate-limited lookup.
func NewCode() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("certificate code: %w", err)
	}
	// 8 bytes encode to 13 characters; the first 12 carry the first 60 bits.
	return base32.StdEncoding.EncodeToString(b[:])[:CodeLen], nil
}

// ParseCode normalises a code a person typed or a scanner read: it drops
// spaces and dashes and upper-cases ASCII letters. ok is false unless exactly
// CodeLen base32 characters remain. The digits 0, 1, 8 and 9 are not in the
// alphabet and are refused rather than guessed at.
func ParseCode(s string) (code string, ok bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '-' || unicode.IsSpace(r):
			continue
		case 'a' <= r && r <= 'z':
			// ASCII only: strings.ToUpper would turn 'ſ' into 'S' and 'ı'
			// into 'I', accepting characters nobody was shown.
			r -= 'a' - 'A'
		}
		if !isBase32(r) {
			return "", false
		}
		b.WriteRune(r)
	}
	if b.Len() != CodeLen {
		return "", false
	}
	return b.String(), true
}

// Format shows a code in three groups of four, "ABCD-EFGH-JKLM", easier to
// read out and type. Anything that is not a code as NewCode or ParseCode
// return it is returned as it is.
func Format(code string) string {
	if len(code) != CodeLen || strings.ContainsFunc(code, func(r rune) bool { return !isBase32(r) }) {
		return code
	}
	return code[:4] + "-" + code[4:8] + "-" + code[8:]
}

func isBase32(r rune) bool {
	return ('A' <= r && r <= 'Z') || ('2' <= r && r <= '7')
}
