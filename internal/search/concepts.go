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
			slams bruise bruises bruised hurt hurts hurting attack attacked beats_up beat_up`,
		es: `pega pegar pego pegando golpea golpear golpeo golpes golpeando patea pateo patear cachetea
			cachetada ahorca ahorco ahorcar empuja empujo empujar avienta avento aventar jalonea jaloneo
			quema quemo lastima lastimo lastimar madrazos chingadazos moretones moretes maltrata jala
			jalando jalo jalar`,
	},
	"sexual": {
		en: `touch touches touching touched grope groped groping molest molested molesting rape raped
			raping fondle fondled forced undress undressed naked nude privates sex sexual kiss kissed
			made_me did_stuff did_things held_down pinned_down makes_me make_me does_stuff do_stuff
			doing_stuff does_things`,
		es: `toca tocar toco tocando tocaba manosea manoseo manosear viola violo violar violada violaron
			abusa abuso desnuda desnudo encuerada intimas sexo besa beso me_hizo me_hace me_hacia
			me_hicieron me_obligo me_obliga me_obligan me_obligaron me_forzo forzaron forzada forzado
			metio_mano`,
	},
	"dying": {
		en: `die dying died dead death exist disappear suicide suicidal goodbye overdose overdosed pills
			od jump bridge rope hang hanging razor unalive kill_myself end_it end_my alive wake_up
			bleach poison swallowed`,
		es: `morir muera muerta muerto muerte =matarme =matarse =suicidarme suicidio desaparecer
			despedida se_despidio se_despide pastillas colgarme ahorcarme =trague =trage cloro veneno
			cortarme tirarme puente acabar_con vivir despertar`,
	},
	"weapon": {
		en: `gun guns knife knives weapon pistol bat machete threaten threatens threatened threat kill
			kills killing`,
		es: `pistola arma cuchillo navaja bate machete amenaza amenazo amenazando =matar =mata =matan
			=mato =matara`,
	},
	"confine": {
		en: `locked lock trapped follow following followed stalking stalker hiding hide broke_in
			breaking_in break_in wont_let cant_leave`,
		es: `encerrada encerrado encerro encierra me_sigue me_siguio me_persigue escondida escondido
			se_metio quiere_meter me_tienen no_deja`,
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
			coach teacher priest pastor`,
		es: `tio tia hermano hermanastro primo padrastro abuelo papa padre maestro entrenador`,
	},
	"stranger": {
		en: `guy guys dude stranger classmate`,
		es: `tipo chavo muchacho desconocido companero`,
	},
	"drugged": {
		en: `drink drinks drunk drugged roofie roofied drug drugs`,
		es: `bebida borracho borracha droga drogaron drogada`,
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

// conceptsOf returns the concepts a search's words (readWords) name, each
// once, in a fixed order.
func conceptsOf(words []string) []string {
	var out []string
	add := func(cs []string) {
		for _, c := range cs {
			if !contains(out, c) {
				out = append(out, c)
			}
		}
	}
	for i, w := range words {
		if i+1 < len(words) {
			add(conceptIndex.pair[w+" "+words[i+1]])
			// "held down" said of someone: "held her down".
			if i+2 < len(words) && objects[words[i+1]] {
				add(conceptIndex.pair[w+" "+words[i+2]])
			}
		}
		if stopWords[w] {
			continue
		}
		add(conceptIndex.single["="+w])
		if w == "matar" && slices.Contains(words[max(0, i-3):i], "se") {
			add([]string{"dying"}) // "se va a matar": himself
		}
		for _, lang := range []string{"en", "es"} {
			add(conceptIndex.single[key(lang, w)])
		}
	}
	sort.Strings(out)
	return out
}

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

func readSearch(words []string) reading {
	return reading{words: words, person: speakerOf(words), signals: signalsOf(words), concepts: conceptsOf(words)}
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
