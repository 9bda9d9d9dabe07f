package check

import (
	"cmp"
	"regexp"
	"strings"

	"northstar/internal/site"
)

var (
	// markdownImage matches ![alt](dest) and ![alt][ref], capturing alt and,
	// for the inline form, dest.
	markdownImage = regexp.MustCompile(`!\[([^\]]*)\](?:\(\s*<?([^)\s>]*)|\[)`)
	// htmlImage matches a raw <img> tag.
	htmlImage = regexp.MustCompile(`(?i)<img\b[^>]*>`)
	// htmlAttr matches one attribute of a tag, quoted or not.
	htmlAttr = regexp.MustCompile(`(?i)\b(alt|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)
)

// images requires alt text on every image: a screen reader reads it out, and
// it is what shows when a watched phone blocks images. Raw HTML is not
// published (markup.goldmark.renderer.unsafe = false), but an <img> without
// alt is flagged too, so it is not carried over to a Markdown image as it is.
func images(r *Report, p site.Page) {
	bodyLines(p, func(n int, line string) {
		for _, m := range markdownImage.FindAllStringSubmatch(line, -1) {
			if strings.TrimSpace(m[1]) != "" {
				continue
			}
			if m[2] == "" { // ![][ref]
				r.add(p.Path, n, Error, "image has no alt text: say what it shows for people who cannot see it, like ![what the picture shows][ref]")
			} else {
				r.add(p.Path, n, Error, "image %s has no alt text: say what it shows for people who cannot see it, like ![what the picture shows](%s)", m[2], m[2])
			}
		}
		for _, tag := range htmlImage.FindAllString(line, -1) {
			attrs := map[string]string{}
			for _, a := range htmlAttr.FindAllStringSubmatch(tag, -1) {
				attrs[strings.ToLower(a[1])] = a[2] + a[3] + a[4]
			}
			if strings.TrimSpace(attrs["alt"]) == "" {
				src := cmp.Or(attrs["src"], "pic.png")
				r.add(p.Path, n, Error, "<img> has no alt text, and raw HTML is not published: write ![what the picture shows](%s)", src)
			}
		}
	})
}
