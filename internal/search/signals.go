package search

import "strings"

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
		muchachita muchachito chiquita chiquito`)
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
	// pastWords put it long ago: "years ago", "when i was a kid".
	pastWords = wordSet(`years yrs childhood decades anos decadas infancia`)
)

// confined tells a word for being locked in, which is danger now: "locked",
// "encerraron", "encerrada".
func confined(w string) bool {
	return w == "locked" || w == "locks" || w == "lock" || strings.HasPrefix(w, "encerr")
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
	for i, w := range words {
		parent = parent || parentWords[w]
		switch w {
		case "i", "im", "me", "my", "mi", "mis", "yo", "myself":
			firstPerson = true
		}
		if childWords[w] || nearWord(childWords, w) {
			child = true
		}
		if youthSelfWords[w] {
			youthSelf = true
		}
		locked = locked || confined(w)
		if nowWords[w] || nearWord(nowWords, w) || actInProgress(words, i) ||
			(i+1 < len(words) && nowPairs[w+" "+words[i+1]]) {
			out["now"] = true
		}
		if recentWords[w] || nearWord(recentWords, w) || (i > 0 && lastOrThis[words[i-1]] && timeOfDay[w]) {
			out["recent"] = true
		}
		past = past || pastWords[w]
	}
	if past {
		delete(out, "recent")
	}
	// Locked in is now unless the search says when: "me encerró ayer" is
	// an act of yesterday.
	if locked && !out["recent"] {
		out["now"] = true
	}
	minorAge, adultAge := givesMinorAge(words), givesAdultAge(words)
	switch {
	case adultAge && !minorAge:
	case person == "other" && (minorAge || child):
		out["minor-other"] = true
	case minorAge || youthSelf || (parent && firstPerson):
		out["minor"] = true
	}
	return out
}

// nowPairs are two words that say it is about to happen: someone is on the
// way.
var nowPairs = func() map[string]bool {
	m := map[string]bool{}
	for w := range wordSet(`coming_back hes_coming shes_coming hes_here ya_viene viene_para ya_llego his_way
		her_way their_way en_camino`) {
		m[strings.ReplaceAll(w, "_", " ")] = true
	}
	return m
}()

// progressive are the words that put the act after them in progress: "he
// is hitting", "le está pegando".
var progressive = wordSet(`is are hes shes theyre esta estan`)

// actInProgress tells whether words[i] puts an act in progress: "is", "está"
// with, within two words, an act of a concept written as happening ("-ing",
// "-ando", "-iendo"). "Keeps hitting" is not: it may be any day.
func actInProgress(words []string, i int) bool {
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
