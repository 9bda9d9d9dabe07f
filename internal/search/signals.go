package search

import (
	"slices"
	"strconv"
	"strings"
)

// Escalation: a need that is not a crisis becomes one when the search says
// who it is happening to or when. "My boyfriend sells me" is a need of its
// own; "im 15 and my boyfriend sells me" is a child being exploited, and
// "my boss threatens me with a knife right now" is danger now. The needs
// say which crisis they become (escalate: in their front matter); the
// signals are read here, from closed sets of words (ages, the words for a
// child, for now and for just now) rather than from any need's phrases, so
// they hold for situations no phrase foresaw.

// linkEscalations resolves each need's escalate: slugs to needs; a slug
// that is no crisis need is left out (northstar check reports it).
func (m *needMatcher) linkEscalations(bySlug map[string]map[string]string) {
	index := map[string]int{}
	for i, n := range m.needs {
		index[n.slug] = i
	}
	for _, n := range m.needs {
		for signal, slug := range bySlug[n.slug] {
			if i, ok := index[slug]; ok && m.needs[i].crisis && !n.crisis {
				if n.escalate == nil {
					n.escalate = map[string]int{}
				}
				n.escalate[signal] = i
			}
		}
	}
}

// escalate raises, for each need matched well enough, the crisis need a
// signal of the search makes it to that need's score.
func (m *needMatcher) escalate(scores []float64, signals map[string]bool) {
	if len(signals) == 0 {
		return
	}
	raised := append([]float64(nil), scores...)
	for i, n := range m.needs {
		if scores[i] < needThreshold {
			continue
		}
		for signal := range signals {
			if t, ok := n.escalate[signal]; ok {
				raised[t] = max(raised[t], scores[i])
			}
		}
	}
	copy(scores, raised)
}

// Closed sets of words the signals are read from, as plainWords gives them.
var (
	childWords = wordSet(`kid kids child children childs daughter daughters son sons niece nephew granddaughter
		grandson stepdaughter stepson student students teen teens teenager teenagers minor minors underage
		baby toddler boy boys girl girls lil little grandkid grandchild
		hija hijas hijo hijos hijastra hijastro nieta nieto sobrina sobrino nino nina ninos ninas menor menores
		estudiante estudiantes chamaco chamaca chamacos chamacas bebe hermanito hermanita adolescente adolescentes
		muchachita muchachito chiquita chiquito sobrinas sobrinos nietas nietos primitos primitas hermanitos
		hermanitas`)
	youthSelfWords = wordSet(`teen teenager underage minor highschool school grade freshman sophomore junior
		menor secundaria prepa preparatoria colegio escuela adolescente`)
	nowWords = wordSet(`now rightnow rn currently outside door doors window breaking tonight gun guns
		knife knives weapon choking strangling ahora ahorita ahoritita afuera puerta ventana pistola arma
		cuchillo cuchiyo navaja metiendo momento yard backyard porch patio machete lighter encendedor`)
	recentWords = wordSet(`yesterday tonight today earlier ago lastnight morning weekend just recently
		monday tuesday wednesday thursday friday saturday sunday
		ayer anoche hoy rato acaba acaban acabo recien manana madrugada finde lunes martes miercoles jueves
		viernes sabado domingo`)
	// parentWords name a parent: "my dad hits me" is written by a child.
	parentWords = wordSet(`dad daddy father mom mommy mother mum stepdad stepfather stepmom stepmother
		parents papa papi mama mami padre madre padrastro madrastra padres`)
	// "last night", "this morning".
	lastOrThis = wordSet(`last this past`)
	timeOfDay  = wordSet(`night morning afternoon evening week weekend`)
	// pastWords put it long ago: "childhood", "hace años"; see longAgo.
	pastWords = wordSet(`childhood decades decadas infancia`)
	// youngSelfWords say the writer was a child: "when i was a kid",
	// "cuando era niña", "de chica" (youngSelf).
	youngSelfWords = wordSet(`kid child little young younger teen teenager girl boy small
		nina nino chica chico pequena pequeno menor joven chiquita chiquito adolescente`)
)

// longAgo tells whether words[i] puts what is told long ago: "years ago",
// "hace años me violaron", "childhood", or the writer as a child (youngSelf).
// "15 years old", "tiene 15 años" give an age, and "for years", "hace años
// que" say it goes on.
func longAgo(words []string, i int) bool {
	w, next := words[i], ""
	if i+1 < len(words) {
		next = words[i+1]
	}
	prev := ""
	if i > 0 {
		prev = words[i-1]
	}
	switch w {
	case "years", "yrs":
		return next == "ago" || next == "back" || next == "later"
	case "year", "yr":
		return prev == "last" // "last year"
	case "ano":
		return next == "pasado" // "el año pasado"
	case "anos":
		return slices.Contains(words[max(0, i-3):i], "hace") && next != "que" && next != "q"
	}
	return pastWords[w] || youngSelf(words, i)
}

// youngSelf tells whether words[i] is the writer as a child: "kid" in
// "when i was a kid", "niña" in "cuando era niña" and "de niña", "12" in
// "cuando tenía 12".
func youngSelf(words []string, i int) bool {
	w := words[i]
	if !youngSelfWords[w] && !isAge(w) {
		return false
	}
	j := i - 1
	if j >= 1 && (words[j] == "a" || words[j] == "una" || words[j] == "un") && words[j-1] != "de" {
		j-- // "when i was a kid", not "abuso de un niño"
	}
	switch {
	case j < 0:
		return false
	case words[j] == "was":
		return j > 0 && words[j-1] == "i"
	case words[j] == "era", words[j] == "tenia":
		return j > 0 && words[j-1] == "cuando"
	case words[j] == "de":
		return youngSelfWords[w] && w != "menor" && w != "joven"
	}
	return false
}

// isAge tells a word that may be an age: "12", "16yo".
func isAge(w string) bool {
	if _, ok := ageWord(w); ok {
		return true
	}
	n, err := strconv.Atoi(w)
	return err == nil && n > 0 && n < 100
}

// forStudy tells a search made for schoolwork or research ("stats on
// trafficking for a school report", "proyecto de la escuela sobre la
// trata"): "school" in it does not make the writer young, and no crisis
// comes first for it.
func forStudy(words []string) bool {
	for i, w := range words {
		switch w {
		case "homework", "essay", "assignment", "stats", "statistics", "tarea", "ensayo", "estadisticas":
			return true
		case "report", "project", "paper":
			if i > 0 && (words[i-1] == "school" || words[i-1] == "class" || words[i-1] == "research") {
				return true
			}
		case "proyecto", "reporte":
			after := words[i+1 : min(i+4, len(words))]
			if slices.Contains(after, "escuela") || slices.Contains(after, "clase") {
				return true
			}
		}
	}
	return false
}

// shortSpans are the units of "hours ago", "hace 3 horas".
var shortSpans = wordSet(`hour hours hr hrs minute minutes min mins hora horas minuto minutos`)

// hoursAgo tells whether words[i] puts it a few hours ago: "2 hours ago",
// "a few hrs ago", "hace 3 horas", "hace unos minutos".
func hoursAgo(words []string, i int) bool {
	if !shortSpans[words[i]] {
		return false
	}
	return (i+1 < len(words) && words[i+1] == "ago") || slices.Contains(words[max(0, i-3):i], "hace")
}

// confined tells a word for being locked in, which is danger now: "locked",
// "encerraron", "encerrada".
func confined(w string) bool {
	return w == "locked" || w == "locks" || w == "lock" || strings.HasPrefix(w, "encerr")
}

// pairSet is the set of two-word entries written "came_home", as "came home".
func pairSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[strings.ReplaceAll(w, "_", " ")] = true
	}
	return m
}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// signalsOf reads the signals of a search's plain words.
func signalsOf(words []string) map[string]bool {
	out := map[string]bool{}
	person := speakerOf(words)
	child, youthSelf, past, parent, firstPerson, locked := false, false, false, false, false, false
	young := false   // the writer as a child, long ago
	bareNow := false // "now" alone
	study := forStudy(words)
	for i, w := range words {
		parent = parent || parentWords[w]
		switch w {
		case "i", "im", "me", "my", "mi", "mis", "yo", "myself":
			firstPerson = true
		}
		if youngSelf(words, i) {
			young = true
		} else if childWords[w] || nearWord(childWords, w) {
			child = true
		}
		if youthSelfWords[w] && !study {
			youthSelf = true
		}
		locked = locked || confined(w)
		switch {
		case (w == "now" || w == "ahora") && (i == 0 || words[i-1] != "right"):
			// A bare "now" is now unless the search tells of long ago:
			// "he hit me years ago and i want a lawyer now". "im 40 now"
			// gives an age.
			bareNow = bareNow || i == 0 || !isAge(words[i-1])
		case nowWords[w] || nearWord(nowWords, w) || actInProgress(words, i) ||
			(i+1 < len(words) && nowPairs[w+" "+words[i+1]]):
			out["now"] = true
		}
		if recentWords[w] || nearWord(recentWords, w) || (i > 0 && lastOrThis[words[i-1]] && timeOfDay[w]) ||
			hoursAgo(words, i) || (i+1 < len(words) && recentPairs[w+" "+words[i+1]]) {
			out["recent"] = true
		}
		past = past || longAgo(words, i)
	}
	if past {
		delete(out, "recent")
		out["past"] = true
	} else if bareNow {
		out["now"] = true
	}
	// Locked in is now unless the search says when: "me encerró ayer" is
	// an act of yesterday.
	if locked && !out["recent"] {
		out["now"] = true
	}
	minorAge, adultAge := givesMinorAge(words), givesAdultAge(words)
	switch {
	case !minorAge && (young || adultAge):
	case person == "other" && (minorAge || child):
		out["minor-other"] = true
	case minorAge || youthSelf || (parent && firstPerson):
		out["minor"] = true
	}
	return out
}

// nowPairs are two words that say it is about to happen: someone is on the
// way.
var nowPairs = pairSet(`he_wakes she_wakes que_despierte coming_back hes_coming shes_coming hes_here ya_viene
	viene_para ya_llego his_way her_way their_way en_camino`)

// recentPairs are two words that tell it just happened: someone came home
// hurt.
var recentPairs = pairSet(`came_home got_home came_back home_crying llego_llorando llego_golpeada
	llego_golpeado llego_asustada regreso_llorando volvio_llorando`)

// progressive are the words that put the act after them in progress: "he
// is hitting", "le está pegando".
var progressive = wordSet(`is are hes shes theyre esta estan`)

// actInProgress tells whether words[i] puts an act in progress: "is", "está"
// with, within two words, an act of a concept written as happening ("-ing",
// "-ando", "-iendo"). "Keeps hitting" is not: it may be any day.
func actInProgress(words []string, i int) bool {
	if bareProgressive(words, i) {
		return true
	}
	if !progressive[words[i]] {
		return false
	}
	for j := i + 1; j < min(i+3, len(words)); j++ {
		w := words[j]
		if (strings.HasSuffix(w, "ing") || strings.HasSuffix(w, "ando") || strings.HasSuffix(w, "iendo")) &&
			len(conceptsOf([]string{w}, nil)) > 0 && !figurative(words, j) {
			return true
		}
	}
	return false
}

// notNow are the words before an act in "-ing" that make it a habit, a
// wish or a past: "keeps hitting", "stop hitting", "been hitting", "sick
// of him hitting me".
var notNow = wordSet(`keep keeps kept stop stops stopped start starts started been was were about of for from
	without after before like by avoid quit when while into at him her them me us you`)

// bareProgressive tells an act of violence in "-ing" said without "is", as
// texts do: "husband drunk throwing things at me", "dad hitting mom".
func bareProgressive(words []string, i int) bool {
	w := words[i]
	if i == 0 || !strings.HasSuffix(w, "ing") || notNow[words[i-1]] || figurative(words, i) {
		return false
	}
	return contains(conceptIndex.single[key("en", w)], "violence")
}

// nearWord is whether w is one edit from a word of set, for words of six
// letters or more ("cuchiyo", "yesterdy").
func nearWord(set map[string]bool, w string) bool {
	if len([]rune(w)) < 6 {
		return false
	}
	for s := range set {
		if len([]rune(s)) >= 6 && editDistance(w, s, 1) <= 1 {
			return true
		}
	}
	return false
}
