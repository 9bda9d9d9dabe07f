package training_test

import (
	"reflect"
	"testing"

	"northstar/internal/training"
)

// TestReadModules: each module's own page in the default language, YAML or
// TOML, in order of weight; lessons, translations and a page whose front
// matter does not parse are not modules.
func TestReadModules(t *testing.T) {
	got, err := training.ReadModules("testdata/site")
	if err != nil {
		t.Fatal(err)
	}
	want := []training.Module{
		{Slug: "roles", Title: "Roles", URL: "/training/roles/", Quiz: "roles", Audience: []string{"Library", "Police"}, Minutes: 30, Weight: 1, ValidMonths: 24},
		{Slug: "basics", Title: "Basics", URL: "/training/basics/", Quiz: "basics", Audience: []string{"all"}, Minutes: 20, Weight: 2},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("modules:\n got %+v\nwant %+v", got, want)
	}
}

func TestModuleSlug(t *testing.T) {
	for key, want := range map[string]string{
		"training/basics/_index":      "basics",
		"training/basics/lesson":      "",
		"training/_index":             "",
		"training/basics/pics/_index": "",
		"help/basics/_index":          "",
	} {
		got, ok := training.ModuleSlug(key)
		if got != want || ok != (want != "") {
			t.Errorf("ModuleSlug(%q) = %q, %v; want %q", key, got, ok, want)
		}
	}
}
