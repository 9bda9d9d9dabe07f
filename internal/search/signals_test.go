package search_test

import (
	"maps"
	"path"
	"slices"
	"strings"
	"testing"

	"northstar/internal/search"
)

// TestSignals: who a search says it is happening to, and when, read from
// ages, the words for a child or a parent, and the words for now and just now.
func TestSignals(t *testing.T) {
	for text, want := range map[string]string{
		"im 15 and my boyfriend sells me":               "minor",
		"my dad hits me when hes drunk":                 "minor",
		"a guy from school keeps making me send pics":   "minor",
		"my niece is 14 and a man pays her":             "minor-other",
		"mi hija sale con hombres por dinero":           "minor-other",
		"my daughter is 25 and her boyfriend sells her": "",
		"my boyfriend sells me":                         "",
		"he has a knife right now":                      "now",
		"mi jefe me amenaza con un cuchiyo":             "now",
		"me violaron anoche":                            "recent",
		"i was raped yesterdy":                          "recent",
		"i was raped on a saturday night 10 years ago":  "past",
		"when i was a kid my uncle touched me":          "past",
		"de niña mi tio me tocaba":                      "past",
		"cuando tenia 12 mi padrastro me violaba":       "past",
		"im 15 now, when i was 12 i ran away":           "minor past",
		"im 40 now and never told anyone":               "",
		"como reporto abuso de un niño":                 "minor-other",
		"my daughter is 16 years old, raped last night": "minor-other recent",
		"he has abused my daughter for years":           "minor-other",
		"mis sobrinos tienen moretones":                 "minor-other",
		"stats on trafficking for a school report":      "",
		"a guy from school sends me pics":               "minor",
		"he got out of jail last yr and texts me":       "past",
		"husband drunk throwing things at me":           "now",
		"sick of him hitting me":                        "",
		"me bañe, paso hace 3 horas":                    "recent",
		"he hit me years ago, i want a lawyer now":      "past",
		"raped years ago and now hes outside my door":   "now past",
		"he hurts me now":                               "now",
		"my daughter came home crying":                  "minor-other recent",
		"get out before he wakes up":                    "now",
		"mi hija llego llorando de la fiesta":           "minor-other recent",
		"tengo 16 y ahorita esta afuera de mi casa":     "minor now",
		"my friend got sa'd last nite":                  "recent",
		"how do i report wage theft":                    "",
		"mi papa le esta pegando a mi mama":             "minor now",
		"hes strangling her":                            "now",
		"el supervisor me encerro ayer":                 "recent",
		"me encerraron en un cuarto":                    "now",
		"he left but hes coming back":                   "now",
		"sit on his lap":                                "",
		"he keeps hitting me":                           "",
		"she is working late":                           "",
	} {
		var got []string
		for s := range maps.Keys(search.SignalsForTest(text)) {
			got = append(got, s)
		}
		slices.Sort(got)
		if strings.Join(got, " ") != want {
			t.Errorf("%q: signals %q, want %q", text, got, want)
		}
	}
}

// TestConcepts: the kind of act a search tells, however it is worded, and
// not a word that only looks like one ("me quiere matar" threatens; it is
// not "matarme").
func TestConcepts(t *testing.T) {
	checkConcepts(t, map[string]string{
		"he slammed me into the fridge":               "violence",
		"mi padrastro me jalonea":                     "family violence",
		"my stepbrother does stuff to me":             "family sexual",
		"un tipo me manoseo en el camion":             "sexual stranger",
		"me quiere matar":                             "weapon",
		"quiero matarme":                              "dying",
		"i took all the pills":                        "dying",
		"they locked me in and men come at night":     "confine night selling",
		"le dijo q no le diga a nadie, es un secreto": "secret",
		"my boss yells at me on every shift":          "",
		"how do i report wage theft":                  "",
		"we hang out after school":                    "",
		"no tengo donde vivir con mis hijos":          "",
		"ya no quiero vivir":                          "dying",
		"the daycare worker shook my baby":            "violence",
		"she has to sleep with him to stay there":     "night sexual shelter",
	})
}

// TestToldBy: a crisis told by its acts alone, in words no phrase of its
// need has, opens with its line; the same act without who or when does not
// make a crisis of a question.
func TestToldBy(t *testing.T) {
	crisisLines(t, []lineCase{
		{"en", "my stepbrother does stuff to me when everyone is asleep", "hennepin-child-protection"},
		{"es", "mi tio me obliga a hacer cosas y dice q es nuestro secreto", "hennepin-child-protection"},
		{"en", "a guy i met online pinned me down last weekend", "sexual-violence-center"},
		{"es", "hay un tipo en la puerta con un machete", "emergency-911"},
		{"en", "he is choking my sister", "emergency-911"},
		{"en", "how do i report wage theft", ""},
		{"en", "my landlord wont fix the sink", ""},
	})
}

// lineCase is a search and the entry its crisis box must show: "" for none.
type lineCase struct{ lang, text, line string }

func crisisLines(t *testing.T, cases []lineCase) {
	t.Helper()
	for _, c := range cases {
		res := run(t, search.Query{Text: c.text, Lang: c.lang})
		got := ""
		if res.Crisis != nil {
			got = path.Base(res.Crisis.Line.URL)
		}
		if got != c.line {
			t.Errorf("%s %q: crisis line %q, want %q", c.lang, c.text, got, c.line)
		}
	}
}

// TestTextSpeak: shortenings are written out before a search meets the
// needs, and "sa'd" is not "sad".
func TestTextSpeak(t *testing.T) {
	for text, want := range map[string]string{
		"gonna kms rn":         "going to kill myself right now",
		"my bf sa'd me":        "my boyfriend sexually assaulted me",
		"so sad":               "so sad",
		"mi ex me kiere matar": "mi ex me quiere matar",
		"my self":              "myself",
	} {
		if got := strings.Join(search.ReadWordsForTest(text), " "); got != want {
			t.Errorf("%q: read as %q, want %q", text, got, want)
		}
	}
}

// TestEscalation: a need that is not a crisis opens with the crisis it
// becomes when the search says the person is a child or it is happening
// now, and stays itself without.
func TestEscalation(t *testing.T) {
	crisisLines(t, []lineCase{
		{"es", "mi novio me vende con otros hombres", ""},
		{"es", "tengo 15 y mi novio me vende con otros hombres", "minnesota-safe-harbor"},
		{"en", "my boss threatens me", ""},
		{"en", "my boss is threatening me with a knife right now", "emergency-911"},
		{"es", "me quiero matar", "988-lifeline"},
		{"es", "mi esposo me quiere matar", "emergency-911"},
	})
}

// TestNeedModel: the model learns the needs from their phrases, and finds a
// need from a wording none of its phrases has.
func TestNeedModel(t *testing.T) {
	b := search.BeliefsForTest(testIndex, "thinkin of endin evrything tonite")
	best := ""
	for slug, p := range b {
		if best == "" || p > b[best] {
			best = slug
		}
	}
	if best != "thinking-about-suicide" {
		t.Errorf("model's best need %q (%.2f), want thinking-about-suicide (%.2f)", best, b[best], b["thinking-about-suicide"])
	}
	var sum float64
	for _, p := range b {
		sum += p
	}
	if sum < 0.999 || sum > 1.001 {
		t.Errorf("beliefs sum to %f, want 1", sum)
	}
	if got := search.BeliefsForTest(testIndex, "zzzz qqqq"); len(got) != 0 {
		t.Errorf("beliefs for words the model never saw: %v, want none", got)
	}
}

// TestFigurative: an act said of a thing or as a figure of speech names no
// act; said of a person it does.
func TestFigurative(t *testing.T) {
	checkConcepts(t, map[string]string{
		"court fees are killing me":      "",
		"he is killing me":               "weapon",
		"my mom kicked me out":           "",
		"he kicked me":                   "violence",
		"dying of heat in the warehouse": "",
		"i want to die":                  "dying",
		"my visa dies next month":        "",
		"me muero de hambre":             "",
		"hay un tipo con machete":        "stranger weapon",
		"he found my new address":        "confine",
		"nadie le habla de la corte":     "",
		"creo que me drogaron en el bar": "drugged",
		"me muero si pierdo la custodia": "",
		"killing myself at this job":     "",
		"he says he is killing himself":  "dying weapon",
	})
	for text, want := range map[string]bool{"my 16yo cousin": true, "15yrs old": true, "a 40yo man": false} {
		if got := search.GivesMinorAgeForTest(text); got != want {
			t.Errorf("%q: minor age %v, want %v", text, got, want)
		}
	}
}

// checkConcepts holds each text to the concepts it names, joined by spaces.
func checkConcepts(t *testing.T, cases map[string]string) {
	t.Helper()
	for text, want := range cases {
		if got := strings.Join(search.ConceptsForTest(text), " "); got != want {
			t.Errorf("%q: concepts %q, want %q", text, got, want)
		}
	}
}
