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
	if p == "" || len(p) > maxNextLen || p[0] != '/' || strings.HasPrefix(p, "//") {
		return defaultNext
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return defaultNext
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return defaultNext
	}
	return p
}
