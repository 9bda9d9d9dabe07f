package search

import (
	"strings"
	"unicode"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/spanish"
	"golang.org/x/text/unicode/norm"
)

// plainWords lowercases s, drops accents and apostrophes ("don't" is
// "dont", "está" is "esta") and splits it into words of letters and digits:
// the form residents' phrases and queries are compared in.
func plainWords(s string) []string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r), r == '\'', r == '’', r == '`':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Fields(b.String())
}

// readWords is text as needs read it: plain words, "my self" as "myself",
// and text-speak written out ("kms" is "kill myself", "rn" "right now"), so
// a phrase and a search that say one thing two ways share its words.
func readWords(text string) []string {
	text = saidAssault.Replace(text)
	var out []string
	for _, w := range joinSelf(plainWords(text)) {
		if long, ok := textSpeak[w]; ok {
			out = append(out, strings.Fields(long)...)
			continue
		}
		out = append(out, w)
	}
	return out
}

// saidAssault catches "sa'd" before its apostrophe goes and it reads "sad".
var saidAssault = strings.NewReplacer("sa'd", "sexually assaulted", "sa’d", "sexually assaulted", "SA'd", "sexually assaulted", "SA’d", "sexually assaulted")

// textSpeak is how residents shorten words, in English and Spanish, and the
// words they stand for. Only shortenings that stand for one thing.
var textSpeak = map[string]string{
	"kms": "kill myself", "kys": "kill yourself", "unalive": "kill", "unalived": "killed", "sa": "sexual assault",
	"bf": "boyfriend", "gf": "girlfriend", "rn": "right now", "ppl": "people", "bc": "because", "cuz": "because",
	"abt": "about", "thru": "through", "nite": "night", "tonite": "tonight", "2nite": "tonight", "2day": "today",
	"yday": "yesterday", "b4": "before", "bro": "brother", "sis": "sister", "smth": "something", "sum1": "someone",
	"some1": "someone", "any1": "anyone", "evry1": "everyone", "every1": "everyone", "no1": "no one",
	"wud": "would", "wanna": "want to", "gonna": "going to", "gotta": "got to", "ur": "your", "u": "you", "r": "are", "n": "and",
	"kiere": "quiere", "kiero": "quiero", "aki": "aqui", "tmb": "tambien", "d": "de", "xfa": "por favor",
	"pa": "para", "bn": "bien", "tb": "tambien", "k": "que", "ke": "que", "xk": "porque",
}

// stemmers reduce a plain word to its stem in the languages needs are
// written in; a language without one compares whole words.
var stemmers = map[string]func(*snowballstem.Env) bool{
	"en": english.Stem,
	"es": spanish.Stem,
}

func stem(lang, word string) string {
	fn, ok := stemmers[lang]
	if !ok {
		return word
	}
	env := snowballstem.NewEnv(word)
	fn(env)
	return env.Current()
}

// stopWords carry no situation: "i need help with my" says nothing about
// which help. Compared after plainWords. Reflexives stay: "kill myself" and
// "se quiere matar" are not "kill me". Nor do the words for the means of
// help: "hotline" or "número" alone names no situation.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		a an the and or but if of at by for with about to from in on into is am are was were be been being
		have has had do does did doing so that this these those what which who whom how can could would should
		will shall may might must just got get gets getting im ive id its it there here some any very really
		please pls plz plis help helps need needs i me my mine we us our you your u ur r he him his she her
		they them their someone somebody anyone something thing things
		hotline line lines number numbers phone call calling contact helpline
		yo mi mis tu tus te el la los las lo le les un una unos unas y e o u de del al en con por para que q
		es son soy estoy esta estan su sus como cuando donde porque xq pq ayuda ayudar ayudeme ayudenme
		necesito favor porfa x alguien algo hay muy ya linea numero telefono llamar`) {
		m[w] = true
	}
	return m
}()

// editDistance is the optimal-string-alignment distance between a and b
// (insertions, deletions, substitutions and swaps of neighbours), or max+1
// once it is sure to exceed max.
func editDistance(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > max || -d > max {
		return max + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			best = min(best, cur[j])
		}
		if best > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// deletes returns s with up to n runes deleted, every way (s itself
// included): two words within n edits of each other share one.
func deletes(s string, n int) []string {
	out := []string{s}
	seen := map[string]bool{s: true}
	frontier := []string{s}
	for ; n > 0; n-- {
		var next []string
		for _, w := range frontier {
			r := []rune(w)
			for i := range r {
				d := string(r[:i]) + string(r[i+1:])
				if !seen[d] {
					seen[d] = true
					out = append(out, d)
					next = append(next, d)
				}
			}
		}
		frontier = next
	}
	return out
}
