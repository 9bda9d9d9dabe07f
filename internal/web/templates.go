package web

import "embed"

// templateFS holds the pages the server renders per request. They fill slots
// in pages Hugo built, so both share the theme's look and strings.
//
//go:embed templates
var templateFS embed.FS
