package search_test

import (
	"testing"

	"northstar/internal/search"
)

// TestMinorAge: a search that gives someone's age under 18 is told from one
// whose numbers are text-speak, hours, money or an adult's age.
func TestMinorAge(t *testing.T) {
	for text, want := range map[string]bool{
		"im 14 and he makes me meet ppl":        true,
		"I'm 16, my boyfriend posts me":         true,
		"some1 is hurting my sister shes 6":     true,
		"my daughter is 15 and has an older bf": true,
		"tengo 16 y me obliga":                  true,
		"mi hija de 8 me dijo":                  true,
		"a 13 year old girl at the hotel":       true,
		"mi sobrina 12 años":                    true,
		"he makes me do stuff i dont want 2":    false,
		"i owe him 4 the room":                  false,
		"turnos de 12 horas sin descanso":       false,
		"it is 5 pm and he is not back":         false,
		"im 19 and my pimp took my money":       false,
		"im 5 minutes from the shelter":         false,
		"call 911":                              false,
	} {
		if got := search.GivesMinorAgeForTest(text); got != want {
			t.Errorf("%q: minor age %v, want %v", text, got, want)
		}
	}
}
