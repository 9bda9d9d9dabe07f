package web

import (
	"net/url"
	"strings"
)

// defaultNext is where sign-in leads when next= is missing or refused.
const defaultNext = "/training/my/"

// maxNextLen bounds a redirect target.
const maxNextLen = 2048

// SafeNext keeps a redirect target after sign-in on this site: a path
// starting with one slash, in printable ASCII without a backslash (no
// scheme, no host, no whitespace or control character, which browsers drop
// or reinterpret: "/\t/evil.example" is "//evil.example" to them). Anything
// else is defaultNext.
func SafeNext(p string) string {
	if len(p) > maxNextLen || !plainPath(p) {
		return defaultNext
	}
	// The same rules hold once percent-escapes are decoded: a browser or
	// a proxy on the way may decode them (%2F%2Fevil.example, %09).
	if dec, err := url.PathUnescape(p); err != nil || !plainPath(dec) {
		return defaultNext
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return defaultNext
	}
	return p
}

// plainPath: one leading slash, then printable ASCII without a backslash.
func plainPath(p string) bool {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return false
		}
	}
	return true
}
