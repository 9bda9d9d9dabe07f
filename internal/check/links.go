package check

import (
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"northstar/internal/site"
)

var (
	// inlineLink matches the destination of [text](dest "title").
	inlineLink = regexp.MustCompile(`\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)`)
	// refLink matches a reference definition: [label]: dest
	refLink = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)`)
)

// links reports internal links in a page's body that lead to no page of the
// built site in out. A link to "/get-help/" is shown in each reader's language,
// and every page exists in every language, so checking one language suffices.
// Links in code, fenced or `inline`, are text, not links.
func links(r *Report, p site.Page, out string) {
	bodyLines(p, func(n int, line string) {
		var dests []string
		for _, m := range inlineLink.FindAllStringSubmatch(line, -1) {
			dests = append(dests, m[1])
		}
		if m := refLink.FindStringSubmatch(line); m != nil {
			dests = append(dests, m[1])
		}
		for _, d := range dests {
			if msg := checkLink(d, out); msg != "" {
				r.add(p.Path, n, Error, "%s", msg)
			}
		}
	})
}

// checkLink returns why dest is broken, or "".
func checkLink(dest, out string) string {
	u, err := url.Parse(dest)
	if err != nil {
		return "link " + dest + " is not a valid address"
	}
	switch {
	case u.Scheme == "tel" || u.Scheme == "sms" || u.Scheme == "mailto":
		return ""
	case u.Scheme != "" || u.Host != "":
		return "" // external: not ours to check, and never fetched
	case u.Path == "":
		return "" // #fragment on the same page
	case !strings.HasPrefix(u.Path, "/"):
		return "link " + dest + " is relative: write it from the site root, like /get-help/"
	}
	clean := path.Clean(u.Path)
	name := filepath.Join(out, filepath.FromSlash(clean))
	if info, err := os.Stat(name); err == nil {
		if !info.IsDir() {
			return ""
		}
		if _, err := os.Stat(filepath.Join(name, "index.html")); err == nil {
			return ""
		}
	}
	return "link " + dest + " leads to no page"
}
