package search_test

import (
	"path"
	"testing"

	"northstar/internal/search"
)

// TestNamedEntries: a search that names a directory entry, by an acronym or
// two of its distinctive words, opens with that entry, after a crisis line
// when the search also tells a crisis.
func TestNamedEntries(t *testing.T) {
	for _, c := range []struct{ lang, q, first string }{
		{"en", "miwrc address", "miwrc"},
		{"en", "safe harbor minnesota", "minnesota-safe-harbor"},
		{"en", "us dept of labor wage and hour phone", "us-dol-wage-and-hour"},
		{"en", "volunteer lawyers network hours", "volunteer-lawyers-network"},
		{"es", "telefono de legal aid", "mid-minnesota-legal-aid"},
		{"en", "domestic violence, he has a gun right now", "emergency-911"},
	} {
		res := run(t, search.Query{Text: c.q, Lang: c.lang})
		if len(res.Hits) == 0 || path.Base(res.Hits[0].URL) != c.first {
			var got []string
			for _, h := range res.Hits {
				got = append(got, path.Base(h.URL))
			}
			t.Errorf("%s %q: hits %v, want %s first", c.lang, c.q, got, c.first)
		}
	}
}

// TestNamesTellEntriesApart: two words in the names of two entries are a
// kind of service, not a name.
func TestNamesTellEntriesApart(t *testing.T) {
	docs := []search.Doc{
		{Kind: search.KindResource, Slug: "hotline", Title: "National Human Trafficking Hotline"},
		{Kind: search.KindResource, Slug: "tips", Title: "Minnesota BCA — human trafficking tips"},
		{Kind: search.KindPage, Slug: "page", Title: "Safe Harbor"},
	}
	for text, want := range map[string]string{
		"bca tips line":         "tips",
		"human trafficking":     "",
		"trafficking hotline":   "",
		"national human":        "",
		"safe harbor":           "",
		"trafficking tips, bca": "tips",
	} {
		got := search.NamedForTest(docs, text)
		if (want == "" && len(got) > 0) || (want != "" && (len(got) != 1 || got[0] != want)) {
			t.Errorf("%q names %v, want %q", text, got, want)
		}
	}
}
