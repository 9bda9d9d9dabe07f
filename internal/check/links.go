package check

import (
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
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
//
// A page kept as a folder with its files (a page bundle: index.md or
// _index.md) may link to those files by name, like ![a map](map.png).
func links(r *Report, root string, p site.Page, out string) {
	bundle := path.Base(p.Key) == "index" || path.Base(p.Key) == "_index" && strings.Contains(p.Key, "/")
	bodyLines(p, func(n int, line string) {
		var dests []string
		for _, m := range inlineLink.FindAllStringSubmatch(line, -1) {
			dests = append(dests, m[1])
		}
		if m := refLink.FindStringSubmatch(line); m != nil {
			dests = append(dests, m[1])
		}
		for _, d := range dests {
			if bundle && relativeName(d) {
				if !bundleFile(root, p, d) {
					r.add(p.Path, n, Error, "%s names no file beside this page: put the file in %s, or write the link from the site root", d, path.Dir(p.Path))
				}
				continue
			}
			if msg := checkLink(d, out); msg != "" {
				r.add(p.Path, n, Error, "%s", msg)
			}
		}
	})
}

// relativeName reports whether dest is a plain relative file name, like
// map.png or img/map.png.
func relativeName(dest string) bool {
	u, err := url.Parse(dest)
	return err == nil && u.Scheme == "" && u.Host == "" && u.Path != "" && !strings.HasPrefix(u.Path, "/") && !strings.Contains(u.Path, "..")
}

// bundleFile reports whether dest names a file beside the bundle's page.
func bundleFile(root string, p site.Page, dest string) bool {
	u, _ := url.Parse(dest)
	info, err := os.Stat(filepath.Join(root, filepath.Dir(filepath.FromSlash(p.Path)), filepath.FromSlash(u.Path)))
	return err == nil && !info.IsDir()
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
	if slices.Contains(site.ServerPages, u.Path) {
		return ""
	}
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
