package search

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// A need is a situation a resident may describe ("my boss keeps my
// passport"), written as a page in content/help/ with the many ways people
// say it and the directory entries that help, in order. Searches are matched
// against every need's phrases in every language, so "me violaron" finds the
// sexual-assault lines on the English site too.

// NeedMatch is a need a search matched, in the search's language.
type NeedMatch struct {
	Slug        string  `json:"slug"`
	Title       string  `json:"title"`
	Description string  `json:"description"`
	URL         string  `json:"url"`
	Crisis      bool    `json:"crisis"`
	Score       float64 `json:"-"`
	services    []string
}

// Tuning of the match, against the tuning half of the evaluation set
// (internal/search/testdata/eval/tune.jsonl; see TestEvaluation).
var (
	// needThreshold is the score (0..1) a need must reach to be matched;
	// a crisis need is matched from crisisThreshold, lower, since missing a
	// crisis costs far more than showing a line.
	needThreshold   = 0.35
	crisisThreshold = 0.38
	// crisisBonus is added to a crisis need's score when ordering: a
	// crisis wins over a need that matches about as well.
	crisisBonus = 0.2
	// needRunnerUp: a need scoring within this share of the best one lifts
	// its services too, after the best one's.
	needRunnerUp = 0.8
	// unknownWeight is the weight of a query word no need uses: it dilutes
	// a match without ruling it out.
	unknownWeight = 1.2
	// phraseShare is how much of a need's score its best phrase gives (the
	// rest: how much of the query the need's words explain as a whole);
	// phraseBase how much a phrase counts before the query's own coverage.
	phraseShare = 0.7
	phraseBase  = 0.35
	// stemOnly is what a query word counts in a phrase that has its stem
	// but not the word itself.
	stemOnly = 0.85
	// minEvidence is the least weight of query words a need must share:
	// one word used by many needs ("hotline") says no situation.
	minEvidence = 1.8
	// otherSpeaker scales a need written for the other speaker: "my niece
	// is being sold" is the report, not "I am under 18 and someone is
	// using me".
	otherSpeaker = 0.8
	// minorLift scales the score of a need about someone under 18
	// (minor: true) when the search gives an age under 18: a scale, not a
	// bonus, so "tengo 16 y pienso en matarme" stays with suicide.
	minorLift = 1.35
	// modelWeight is how much the need model's belief (0..1) adds to a
	// need's score (see classifier.go).
	modelWeight = 0.3
	// toldLift is what each part of the most specific way a search tells a
	// need (told_by: "violence + minor", two parts) adds to its score.
	toldLift = 0.2
)

// phrase is one way of saying a need, as the keys of its words.
type phrase struct {
	keys   []string
	plain  map[string]bool // its words as written (after plainWords)
	weight float64         // the sum of its keys' weights
}

type need struct {
	slug     string
	speaker  string
	minor    bool
	crisis   bool
	services []string
	pages    map[string]Doc // by site language
	phrases  []phrase
	bag      map[string]bool // every key of every phrase
	// escalate maps a signal ("minor", "now" …) to the index of the
	// crisis need this one becomes when a search carries it.
	escalate map[string]int
	// toldBy are the sets of parts that tell this need (Doc.ToldBy).
	toldBy [][]string
}

// needMatcher holds every need and the vocabulary of their phrases.
type needMatcher struct {
	needs []*need
	// weight of each key ("en:passport", "es:viol"): rarer across needs
	// weighs more.
	weight map[string]float64
	// words maps a plain word of some phrase to its keys, and near maps
	// each deletion variant of such a word to the words it came from, for
	// matching misspellings (a symmetric-delete dictionary).
	words map[string][]string
	near  map[string][]string
	// prefix maps the first prefixLen letters of each longer phrase word to
	// the words that start so: "prostituyendo" finds "prostituta" when
	// stemming and spelling both miss.
	prefix map[string][]string
	// model reads a search for its need without sharing a phrase's words.
	model *needModel
	// lex tells the language of a phrase word, for reading concepts.
	lex lexicon
}

// prefixLen is how much of a word must agree for a prefix match.
const prefixLen = 6

func prefixOf(w string) (string, bool) {
	r := []rune(w)
	if len(r) < prefixLen+1 {
		return "", false
	}
	return string(r[:prefixLen]), true
}

// key is a stem tagged with its language, so an English and a Spanish stem
// that happen to be spelt alike are not one word.
func key(lang, word string) string {
	if lang == "es" {
		if k, ok := spanishPerson[word]; ok {
			return "es:" + k
		}
	}
	return lang + ":" + stem(lang, word)
}

// spanishPerson keeps apart forms of a verb the stemmer makes one when the
// person decides the need: "me quiero matar" is suicide, "me quiere matar"
// danger from someone else.
var spanishPerson = map[string]string{
	"quiero": "quiero", "kiero": "quiero", "quiere": "quiere", "kiere": "quiere", "quieren": "quiere",
	"voy": "voy", "va": "va", "van": "va",
}

// maxEdits is how many letters a word may be off and still match: none for
// short words, where one letter makes another word.
func maxEdits(word string) int {
	switch n := len([]rune(word)); {
	case n < 4:
		return 0
	case n < 7:
		return 1
	default:
		return 2
	}
}

func newNeedMatcher(docs []Doc) *needMatcher {
	m := &needMatcher{weight: map[string]float64{}, words: map[string][]string{}, near: map[string][]string{}, prefix: map[string][]string{}}
	bySlug := map[string]*need{}
	escalations := map[string]map[string]string{}
	for _, d := range docs {
		if d.Kind != KindNeed {
			continue
		}
		n := bySlug[d.Slug]
		if n == nil {
			n = &need{slug: d.Slug, pages: map[string]Doc{}, bag: map[string]bool{}}
			bySlug[d.Slug] = n
			m.needs = append(m.needs, n)
		}
		n.pages[d.Lang] = d
		if d.Lang == "en" || n.services == nil {
			n.crisis, n.services, n.speaker, n.minor = d.Crisis, d.NeedServices, d.Speaker, d.Minor
			n.toldBy = toldByParts(d.ToldBy)
			escalations[d.Slug] = d.Escalate
		}
		if d.ContentLang != d.Lang && d.ContentLang != "" {
			continue // an untranslated copy says nothing new
		}
		for _, text := range append([]string{d.Title}, d.Phrases...) {
			p := phrase{plain: map[string]bool{}}
			for _, w := range readWords(text) {
				if stopWords[w] {
					continue
				}
				k := key(d.ContentLang, w)
				if !contains(m.words[w], k) {
					m.words[w] = append(m.words[w], k)
				}
				if !contains(p.keys, k) {
					p.keys = append(p.keys, k)
				}
				p.plain[w] = true
				n.bag[k] = true
			}
			if len(p.keys) > 0 {
				n.phrases = append(n.phrases, p)
			}
		}
	}
	df := map[string]int{}
	for _, n := range m.needs {
		for k := range n.bag {
			df[k]++
		}
	}
	for k, c := range df {
		m.weight[k] = math.Log(1 + float64(len(m.needs))/float64(c))
	}
	for _, n := range m.needs {
		for i := range n.phrases {
			for _, k := range n.phrases[i].keys {
				n.phrases[i].weight += m.weight[k]
			}
		}
	}
	for w := range m.words {
		for _, d := range deletes(w, maxEdits(w)) {
			m.near[d] = append(m.near[d], w)
		}
		if p, ok := prefixOf(w); ok {
			m.prefix[p] = append(m.prefix[p], w)
		}
	}
	sort.Slice(m.needs, func(i, j int) bool { return m.needs[i].slug < m.needs[j].slug })
	m.linkEscalations(escalations)
	texts := make([][]string, len(m.needs))
	for i, n := range m.needs {
		texts[i] = phraseTexts(n)
	}
	m.lex = lexiconOf(m.words)
	m.model = trainNeedModel(m.needs, texts, m.lex)
	return m
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// queryWord is one word of a search and the keys it may stand for.
type queryWord struct {
	plain  string
	keys   []string
	weight float64
}

// understand turns the words of a search (readWords) into their keys: the word's
// stems in each language or, for a word no phrase uses, the keys of the
// closest word one does (a letter or two off, the same beginning, or two
// words run together: "foodshelf").
func (m *needMatcher) understand(read []string) []queryWord {
	var out []queryWord
	seen := map[string]bool{}
	for _, w := range read {
		if stopWords[w] || seen[w] {
			continue
		}
		seen[w] = true
		keys := m.exact(w)
		if len(keys) == 0 {
			keys = m.closest(w)
		}
		if len(keys) == 0 {
			keys = m.byPrefix(w)
		}
		if len(keys) == 0 {
			if a, b, ok := m.split(w); ok {
				out = append(out, m.word(a, m.exact(a)), m.word(b, m.exact(b)))
				continue
			}
		}
		out = append(out, m.word(w, keys))
	}
	return out
}

func (m *needMatcher) word(plain string, keys []string) queryWord {
	qw := queryWord{plain: plain, keys: keys, weight: unknownWeight}
	for _, k := range keys {
		qw.weight = max(qw.weight, m.weight[k])
	}
	return qw
}

// exact returns w's stems, in each language, that some phrase uses.
func (m *needMatcher) exact(w string) []string {
	var keys []string
	for _, lang := range []string{"en", "es"} {
		if k := key(lang, w); m.weight[k] > 0 {
			keys = append(keys, k)
		}
	}
	return keys
}

func (m *needMatcher) byPrefix(w string) []string {
	var keys []string
	if p, ok := prefixOf(w); ok {
		for _, cand := range m.prefix[p] {
			for _, k := range m.words[cand] {
				if !contains(keys, k) {
					keys = append(keys, k)
				}
			}
		}
	}
	return keys
}

// split finds w as two phrase words run together, each at least three
// letters and neither a stop word.
func (m *needMatcher) split(w string) (string, string, bool) {
	r := []rune(w)
	for i := 3; i <= len(r)-3; i++ {
		a, b := string(r[:i]), string(r[i:])
		if !stopWords[a] && !stopWords[b] && len(m.words[a]) > 0 && len(m.words[b]) > 0 {
			return a, b, true
		}
	}
	return "", "", false
}

// joinSelf writes "my self" as "myself", as phrases do.
func joinSelf(words []string) []string {
	out := words[:0:0]
	for i := 0; i < len(words); i++ {
		if i+1 < len(words) && (words[i+1] == "self" || words[i+1] == "selves") {
			switch words[i] {
			case "my", "your", "him", "her", "it", "them", "our":
				out = append(out, words[i]+words[i+1])
				i++
				continue
			}
		}
		out = append(out, words[i])
	}
	return out
}

// notEmergency tells a search that says it is not an emergency ("non
// emergency police", "no es emergencia"): no crisis comes first for it.
func notEmergency(words []string) bool {
	for i, w := range words {
		if w == "no" || w == "not" || w == "non" || w == "nonemergency" {
			if w == "nonemergency" {
				return true
			}
			for _, next := range words[i+1 : min(i+4, len(words))] {
				if strings.HasPrefix(next, "emergen") {
					return true
				}
			}
		}
	}
	return false
}

// closest returns the keys of the phrase words fewest edits from w (within
// maxEdits), preferring among equals those more needs use.
func (m *needMatcher) closest(w string) []string {
	limit := maxEdits(w)
	if limit == 0 {
		return nil
	}
	best, bestDist := []string(nil), limit+1
	checked := map[string]bool{}
	for _, d := range deletes(w, limit) {
		for _, cand := range m.near[d] {
			if checked[cand] {
				continue
			}
			checked[cand] = true
			if dist := editDistance(w, cand, limit); dist < bestDist {
				best, bestDist = append([]string(nil), m.words[cand]...), dist
			} else if dist == bestDist {
				for _, k := range m.words[cand] {
					if !contains(best, k) {
						best = append(best, k)
					}
				}
			}
		}
	}
	return best
}

// score is how well the words say need n, from 0 to 1: the best phrase's
// share of its own weight the words cover, tempered by the share of the
// words' weight that phrase explains, and by how much of the words the need
// as a whole explains (so word order and a phrase split in two do not matter).
func (m *needMatcher) score(n *need, words []queryWord) float64 {
	var total float64
	for _, qw := range words {
		total += qw.weight
	}
	if total == 0 {
		return 0
	}
	var inBag, evidence float64
	for _, qw := range words {
		for _, k := range qw.keys {
			if n.bag[k] {
				inBag += qw.weight
				evidence += m.weight[k]
				break
			}
		}
	}
	if evidence < minEvidence {
		return 0 // only words most needs share ("hotline", "work")
	}
	best := 0.0
	for _, p := range n.phrases {
		var covered, explained float64
		for _, k := range p.keys {
			for _, qw := range words {
				if contains(qw.keys, k) {
					// A word as the phrase writes it counts fully; one
					// that only shares its stem ("quiero", "quiere")
					// a little less, so the closer phrase wins a tie.
					f := stemOnly
					if p.plain[qw.plain] {
						f = 1
					}
					covered += f * m.weight[k]
					explained += f * qw.weight
					break
				}
			}
		}
		if covered == 0 {
			continue
		}
		s := (covered / p.weight) * (phraseBase + (1-phraseBase)*min(1, explained/total))
		best = max(best, s)
	}
	return phraseShare*best + (1-phraseShare)*(inBag/total)
}

// match returns the needs text matches, best first (a crisis counting
// crisisBonus more), in site language lang.
func (m *needMatcher) match(text, lang string) []NeedMatch {
	if m == nil || len(m.needs) == 0 {
		return nil
	}
	read := literal(readWords(text))
	words := m.understand(read)
	if len(words) == 0 {
		return nil
	}
	bonus := crisisBonus
	if notEmergency(plainWords(text)) || forStudy(read) {
		bonus = 0
	}
	r := readSearch(read, m.lex)
	if r.signals["past"] && !r.signals["now"] {
		bonus = 0 // long ago: support comes first, unless it is happening again
	}
	young := r.signals["minor"] || r.signals["minor-other"]
	beliefs := m.model.beliefs(r)
	scores := make([]float64, len(m.needs))
	for i, n := range m.needs {
		s := m.score(n, words)
		if beliefs != nil {
			s += modelWeight * beliefs[i]
		}
		if n.speaker != "" && r.person != "" && n.speaker != r.person {
			s *= otherSpeaker
		}
		if young && n.minor {
			s *= minorLift
		}
		scores[i] = s
	}
	m.escalate(scores, r.signals)
	told := r.parts()
	for i, n := range m.needs {
		scores[i] += toldLift * float64(toldBy(n.toldBy, told))
	}
	var out []NeedMatch
	for i, n := range m.needs {
		s := scores[i]
		if s < needThreshold && !(n.crisis && s >= crisisThreshold) {
			continue
		}
		page, ok := n.pages[lang]
		if !ok {
			page, ok = n.pages["en"]
		}
		if !ok {
			continue
		}
		out = append(out, NeedMatch{Slug: n.slug, Title: page.Title, Description: page.Summary, URL: page.URL,
			Crisis: n.crisis, Score: s, services: n.services})
	}
	rank := func(n NeedMatch) float64 {
		if n.Crisis {
			return n.Score + bonus
		}
		return n.Score
	}
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i]) > rank(out[j]) })
	// Keep the best, those close to it, and every crisis.
	keep := out[:0]
	for _, nm := range out {
		if nm.Crisis || len(keep) == 0 || rank(nm) >= needRunnerUp*rank(out[0]) {
			keep = append(keep, nm)
		}
	}
	return keep
}

// lifted lists the services the matched needs put first, in order, once each.
func lifted(needs []NeedMatch) []string {
	var out []string
	for _, n := range needs {
		for _, s := range n.services {
			if !contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// withNamed is lifted(needs) with the entries a search names (names.named)
// first, after a crisis need's line.
func withNamed(needs []NeedMatch, named []string) []string {
	services := lifted(needs)
	if len(named) == 0 {
		return services
	}
	out := make([]string, 0, len(named)+len(services))
	if len(needs) > 0 && needs[0].Crisis && len(services) > 0 {
		out = append(out, services[0])
	}
	for _, list := range [][]string{named, services} {
		for _, s := range list {
			if !contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// normalizedPhrase is a phrase as check compares them for clashes between
// needs: plain words, stop words kept, in order.
func NormalizedPhrase(s string) string { return strings.Join(plainWords(s), " ") }

// othersWords name a person a search may be about other than its writer:
// the one it is happening to, not who does it (a boyfriend, a boss).
var othersWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`niece nephew daughter son kid kids child children girl boy friend sister
		brother cousin neighbor neighbour coworker student teen teenager she her hers he him his
		hija hijo sobrina sobrino amiga amigo hermana hermano prima primo vecina vecino nino nina
		menor chamaco chamaca ella baby babies toddler infant daughters sons nieces nephews cousins sisters
		brothers friends neighbors students granddaughter grandson stepdaughter stepson bebe bebes hijas hijos
		primos primas sobrinas sobrinos ninos ninas hermanos hermanas amigos amigas vecinos vecinas nieta nieto
		menores chamacos chamacas`) {
		othersWords[w] = true
	}
}

// speakerOf tells whether a search speaks of someone else ("other"), of its
// writer ("self"), or cannot tell ("").
func speakerOf(words []string) string {
	self := false
	for _, w := range words {
		if othersWords[w] {
			return "other"
		}
		switch w {
		case "i", "im", "me", "ive", "yo", "tengo", "estoy", "soy":
			self = true
		}
	}
	if self {
		return "self"
	}
	return ""
}

// Words before or after a number that make it someone's age: "im 14",
// "she is 6", "tengo 16", "mi hija de 8", "14 years old", "15 años".
var (
	ageBefore = map[string]bool{"im": true, "am": true, "is": true, "shes": true, "hes": true, "age": true,
		"aged": true, "only": true, "just": true, "turned": true, "tengo": true, "tiene": true, "de": true, "cumpli": true}
	ageAfter = map[string]bool{"years": true, "year": true, "yrs": true, "yr": true, "yo": true, "y": true,
		"ano": true, "anos": true, "anitos": true}
	// notAges are units that make the number something else: "shifts of 12
	// hours", "it is 5 pm", "im 5 minutes away".
	notAges = map[string]bool{}
)

func init() {
	for _, w := range strings.Fields(`am pm oclock hour hours hr hrs minute minutes min mins day days week weeks
		month months dollar dollars bucks hundred thousand percent times people men guys
		hora horas minuto minutos dia dias semana semanas mes meses dolar dolares pesos mil cientos por
		veces hombres personas`) {
		notAges[w] = true
	}
}

// ageWord reads an age written as one word: "16yo", "15yrs", "14y".
func ageWord(w string) (int, bool) {
	n := strings.IndexFunc(w, func(r rune) bool { return r < '0' || r > '9' })
	if n < 1 || n > 2 || !ageAfter[w[n:]] {
		return 0, false
	}
	age, err := strconv.Atoi(w[:n])
	return age, err == nil && age >= 1
}

// givesMinorAge tells whether words give someone's age as under 18. A bare
// number does not: text-speak writes "2" and "4" for "to" and "for".
func givesMinorAge(words []string) bool {
	return slices.ContainsFunc(agesIn(words), func(age int) bool { return age < 18 })
}

// givesAdultAge tells whether words give someone's age as 18 or more.
func givesAdultAge(words []string) bool {
	return slices.ContainsFunc(agesIn(words), func(age int) bool { return age >= 18 })
}

// agesIn returns the ages words give: numbers from 1 to 99 next to a word
// that makes them an age.
func agesIn(words []string) []int {
	var out []int
	for i, w := range words {
		if age, ok := ageWord(w); ok {
			out = append(out, age) // "16yo", "15yrs"
			continue
		}
		age, err := strconv.Atoi(w)
		if err != nil || age < 1 || age > 99 || (i+1 < len(words) && notAges[words[i+1]]) {
			continue
		}
		if (i+2 < len(words) && words[i+2] == "ago") || (i > 0 && words[i-1] == "hace") {
			continue // "10 years ago", "hace 10 años": a time, not an age
		}
		if (i > 0 && ageBefore[words[i-1]]) || (i+1 < len(words) && ageAfter[words[i+1]]) {
			out = append(out, age)
		}
	}
	return out
}
