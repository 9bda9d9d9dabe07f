package search

import (
	"slices"
	"sort"
	"strings"
)

// A crisis is often told by what is being done rather than by its name: "he
// threw me against the wall", "my coach keeps touching me", "tengo todas las
// pastillas". A phrase list learns such words one at a time; a concept is a
// closed set of words that mean one kind of act (to hit, to touch, to die,
// to shut in), so the need model, having learnt from the phrases that
// "hits" and "golpea" mean someone hurting you, reads "slammed" and
// "ahorcó" the same way although no phrase has them. Words are compared as
// stems, each in its own language, or, written "=matarme", exactly (its
// stem is another verb's); an entry of two words is a sequence ("held
// down", "me hizo").
var concepts = map[string]struct{ en, es string }{
	"violence": {
		en: `hit hits hitting beat beats beating beaten punch punched punches punching kick kicked kicks
			kicking slap slapped slaps slapping choke choked chokes choking strangle strangled
			strangling throw throws threw throwing thrown shove shoved shoving push pushed pushes
			pushing grab grabbed grabs drag dragged bite bit burn burned smack smacked slam slammed
			slams bruise bruises bruised hurt hurts hurting attack attacked beats_up beat_up =shook
			=shaken`,
		es: `pega pegar pego pegando golpea golpear golpeo golpes golpeando patea pateo patear cachetea
			cachetada ahorca ahorco ahorcar empuja empujo empujar avienta avento aventar jalonea jaloneo
			quema quemo lastima lastimo lastimar madrazos chingadazos moretones moretes maltrata jala
			jalando jalo jalar =sacudio =sacudieron =zarandeo`,
	},
	"sexual": {
		en: `touch touches touching touched grope groped groping molest molested molesting rape raped
			raping fondle fondled forced undress undressed naked nude privates sex sexual kiss kissed
			made_me did_stuff did_things held_down pinned_down makes_me make_me does_stuff do_stuff
			doing_stuff does_things abuse abused abusing consent consented didnt_agree didnt_consent
			sleep_with sleeping_with slept_with sleeps_with`,
		es: `toca tocar toco tocando tocaba manosea manoseo manosear viola violo violar violada violaron
			abusa abuso desnuda desnudo encuerada intimas sexo besa beso me_hizo me_hace me_hacia
			me_hicieron me_obligo me_obliga me_obligan me_obligaron me_forzo forzaron forzada forzado
			metio_mano haga_cosas hacer_cosas hace_cosas hiciera_cosas consenti consentimiento acostarme_con
			acostarse_con acostarte_con`,
	},
	"dying": {
		en: `die dying died dead death exist disappear suicide suicidal goodbye overdose overdosed pills
			od jump bridge rope hang hanging razor unalive kill_myself end_it end_my alive wake_up
			killing_myself kill_himself kill_herself killing_himself killing_herself
			bleach poison swallowed noose wrist wrists slit painless least_painful`,
		es: `morir muera muerta muerto muerte =matarme =matarse =suicidarme suicidio desaparecer
			despedida se_despidio se_despide pastillas colgarme ahorcarme =trague =trage cloro veneno
			=cortarme =cortarse =cortandome venas =tirarme puente acabar_con =vivir =despertar soga
			seguir_vivo seguir_viviendo estar_vivo estar_viva seguir_viva`,
	},
	"weapon": {
		en: `gun guns knife knives weapon pistol bat machete threaten threatens threatened threat kill
			kills killing gasoline lighter`,
		es: `pistola arma cuchillo navaja bate machete amenaza amenazo amenazando =matar =mata =matan
			=mato =matara gasolina encendedor`,
	},
	"confine": {
		en: `locked lock trapped follow following followed stalking stalker hiding hide broke_in
			breaking_in break_in wont_let cant_leave found_me found_my =tracked =tracking`,
		es: `encerrada encerrado encerro encierra me_sigue me_siguio me_persigue escondida escondido
			se_metio quiere_meter me_tienen no_deja me_encontro me_encontraron`,
	},
	"selling": {
		en: `money paid pays sell sells selling sold clients client johns customers dates ads escort pics
			sugar_daddy photos pictures meet meeting men`,
		es: `dinero pagan paga vende vendiendo venden clientes hombres anuncios fotos citas sugar_daddy`,
	},
	"secret": {
		en: `secret secrets dont_tell not_tell`,
		es: `secreto no_diga no_digas`,
	},
	"night": {
		en: `bed bedroom asleep sleeping sleep night room`,
		es: `cama dormida dormido dormir noche cuarto recamara`,
	},
	// Who does it: someone of the family or a trusted adult, or a
	// stranger or peer. "my uncle does stuff to me" is a child abused;
	// "a guy from the party did stuff to me" an assault.
	"family": {
		en: `uncle aunt brother stepbrother cousin stepdad stepfather grandpa grandfather dad father
			coach teacher priest pastor godfather`,
		es: `tio tia hermano hermanastro primo padrastro abuelo papa padre maestro entrenador =cunado
			padrino`,
	},
	"stranger": {
		en: `guy guys dude stranger classmate`,
		es: `tipo chavo muchacho desconocido companero`,
	},
	// Drugged by someone, which tells an assault by itself, apart from
	// drinking or drugs, which tell one only with an act.
	"drugged": {
		en: `drugged roofie roofied roofies spiked`,
		es: `drogaron drogada drogado =drogo`,
	},
	"drunk": {
		en: `drink drinks drunk drug drugs high wasted`,
		es: `bebida borracho borracha =droga =drogas tomado tomada`,
	},
	// A place to stay, which an adult may trade a young person for sex or
	// money: "a lady says i can stay with her if", "me dio donde quedarme".
	"shelter": {
		en: `stay staying crash couch place_to`,
		es: `=quedarme =quedar donde_quedarme donde_dormir techo`,
	},
}

// conceptTable maps the stem of a concept's word, in each language (or the
// word itself, for an exact entry), to the concepts it names, and a
// two-word entry to its concepts.
type conceptTable struct {
	single map[string][]string
	pair   map[string][]string
}

var conceptIndex = func() conceptTable {
	ix := conceptTable{map[string][]string{}, map[string][]string{}}
	names := make([]string, 0, len(concepts))
	for c := range concepts {
		names = append(names, c)
	}
	sort.Strings(names)
	add := func(m map[string][]string, k, c string) {
		if !contains(m[k], c) {
			m[k] = append(m[k], c)
		}
	}
	for _, c := range names {
		for lang, words := range map[string]string{"en": concepts[c].en, "es": concepts[c].es} {
			for _, w := range strings.Fields(words) {
				switch a, b, pair := strings.Cut(w, "_"); {
				case pair:
					add(ix.pair, a+" "+b, c)
				case strings.HasPrefix(w, "="):
					add(ix.single, "="+w[1:], c)
				default:
					add(ix.single, key(lang, w), c)
				}
			}
		}
	}
	return ix
}()

// objects are the words a two-word entry may have between its two: "pinned
// me down", "held her down".
var objects = wordSet(`me her him them us you`)

// A lexicon tells, for each word the needs' phrases use, the languages they
// use it in. A word is compared with a concept's words as a stem in each
// language, and an English word can share its stem with a Spanish one:
// "more" with "morir", "tired" with "tirarme", "tip" with "tipo". A word
// the phrases use in one language only is read in that language; any other
// in both.
type lexicon map[string]langSet

type langSet uint8

const (
	inEnglish langSet = 1 << iota
	inSpanish
)

// lexiconOf is the lexicon of the words of the needs' phrases, from their
// keys ("en:passport").
func lexiconOf(words map[string][]string) lexicon {
	lx := lexicon{}
	for w, keys := range words {
		for _, k := range keys {
			switch {
			case strings.HasPrefix(k, "en:"):
				lx[w] |= inEnglish
			case strings.HasPrefix(k, "es:"):
				lx[w] |= inSpanish
			}
		}
	}
	return lx
}

var (
	onlyEnglish = []string{"en"}
	onlySpanish = []string{"es"}
	bothLangs   = []string{"en", "es"}
)

// langs are the languages w is read in.
func (lx lexicon) langs(w string) []string {
	switch lx[w] {
	case inEnglish:
		return onlyEnglish
	case inSpanish:
		return onlySpanish
	}
	return bothLangs
}

// conceptsOf returns the concepts a search's words (readWords) name, each
// once, in a fixed order; lx may be nil.
func conceptsOf(words []string, lx lexicon) []string {
	var out []string
	add := func(cs []string) {
		for _, c := range cs {
			if !contains(out, c) {
				out = append(out, c)
			}
		}
	}
	for i, w := range words {
		fig := figurative(words, i)
		if i+1 < len(words) && !fig {
			add(conceptIndex.pair[w+" "+words[i+1]])
			// "held down" said of someone: "held her down".
			if i+2 < len(words) && objects[words[i+1]] {
				add(conceptIndex.pair[w+" "+words[i+2]])
			}
		}
		if stopWords[w] || fig {
			continue
		}
		add(conceptIndex.single["="+w])
		if w == "matar" && slices.Contains(words[max(0, i-3):i], "se") {
			add([]string{"dying"}) // "se va a matar": himself
		}
		for _, lang := range lx.langs(w) {
			add(conceptIndex.single[key(lang, w)])
		}
	}
	sort.Strings(out)
	return out
}

// figurative tells whether words[i] is an act said of a thing or as a
// figure of speech, so names no act: "kicked me out" (of a home), "dying of
// heat", "dying to get my papers", "me muero de hambre", "hang out with",
// "no tengo donde vivir", "court fees are
// killing me", "my visa dies next month". Said of a person it is the act:
// "he is killing me", "my son died".
func figurative(words []string, i int) bool {
	w, next := words[i], ""
	if i+1 < len(words) {
		next = words[i+1]
	}
	switch w {
	case "kick", "kicks", "kicked", "kicking", "throw", "throws", "threw", "thrown", "throwing":
		return next == "out" || (objects[next] && i+2 < len(words) && words[i+2] == "out")
	case "hang", "hanging":
		// "to hang out with", "hanging around".
		return next == "out" || next == "with" || next == "around"
	case "vivir":
		// "no tengo donde vivir": a home, not a life.
		return i > 0 && (words[i-1] == "donde" || words[i-1] == "adonde" || words[i-1] == "lugar")
	case "dying", "muero", "muriendo":
		// "me muero si pierdo la custodia": a figure, as "i'd die if".
		return next == "of" || next == "to" || next == "for" || next == "de" || next == "por" || next == "si"
	case "kill", "kills", "killing", "die", "dies", "died":
		// "killing myself at this job": working too hard.
		if next == "myself" && i+2 < len(words) && words[i+2] == "at" {
			return true
		}
		// "<thing> is killing me", "<thing> is going to kill somebody".
		for k := i - 1; k >= max(0, i-3); k-- {
			if words[k] == "is" || words[k] == "are" {
				return k > 0 && !personWords[words[k-1]]
			}
		}
		// "my visa dies", "the car died".
		return (w == "dies" || w == "died") && i >= 2 && !personWords[words[i-1]] && determiners[words[i-2]]
	}
	return false
}

// literal is words without those said as a figure of speech, which tell no
// need: "court fees are killing me" is about court fees.
func literal(words []string) []string {
	out := make([]string, 0, len(words))
	for i, w := range words {
		if !figurative(words, i) {
			out = append(out, w)
		}
	}
	return out
}

// determiners come before a thing: "my visa", "the car".
var determiners = wordSet(`my the his her their our your this that mi su el la`)

// personWords name people, who may be the ones doing an act.
var personWords = func() map[string]bool {
	m := wordSet(`i he she they we you someone somebody anyone everyone people man woman guy lady boyfriend
		girlfriend husband wife ex partner boss pimp stepdad stepmom mom dad father mother uncle aunt cousin
		brother sister grandpa grandma teacher coach`)
	for _, set := range []map[string]bool{othersWords, childWords, parentWords} {
		for w := range set {
			m[w] = true
		}
	}
	return m
}()

// Speakers a told_by part may name: the search speaks of its writer or of
// someone else (speakerOf).
var speakers = []string{"self", "other"}

// ToldByParts are the parts a need's told_by may combine: the concepts, the
// signals and the speakers, sorted.
func ToldByParts() []string {
	out := append(append([]string(nil), Signals...), speakers...)
	for c := range concepts {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// SplitToldBy returns the parts of one told_by entry ("violence + minor").
func SplitToldBy(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "+") {
		if p = strings.ToLower(strings.TrimSpace(p)); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func toldByParts(entries []string) [][]string {
	var out [][]string
	for _, e := range entries {
		if parts := SplitToldBy(e); len(parts) > 0 {
			out = append(out, parts)
		}
	}
	return out
}

// reading is what a search's words (readWords) say besides their keys:
// who it speaks of, the signals, and the kinds of act. Read once a search,
// for the need matcher, its model and told_by.
type reading struct {
	words    []string
	person   string
	signals  map[string]bool
	concepts []string
}

func readSearch(words []string, lx lexicon) reading {
	return reading{words: words, person: speakerOf(words), signals: signalsOf(words), concepts: conceptsOf(words, lx)}
}

// parts is every part a search carries: its concepts, its signals and its
// speaker.
func (r reading) parts() map[string]bool {
	out := map[string]bool{}
	for _, c := range r.concepts {
		out[c] = true
	}
	for s := range r.signals {
		out[s] = true
	}
	if r.person != "" {
		out[r.person] = true
	}
	return out
}

// toldBy is the number of parts of the most specific entry of entries the
// search's parts all carry, or 0 when none is.
func toldBy(entries [][]string, parts map[string]bool) int {
	best := 0
	for _, e := range entries {
		all := true
		for _, p := range e {
			all = all && parts[p]
		}
		if all {
			best = max(best, len(e))
		}
	}
	return best
}
