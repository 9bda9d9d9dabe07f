package referral

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

// now is 2026-12-07 08:00 in Minneapolis (CST).
var now = time.Date(2026, 12, 7, 14, 0, 0, 0, time.UTC)

var testSettings = Settings{
	Sources:   []Choice{{"inspection", "Inspection"}, {"front-desk", "Front desk"}, {"other", "Other"}},
	Languages: []Choice{{"en", "English"}, {"es", "Spanish"}, {"unknown", "Not known"}},
}

var testDirectory = []Resource{
	{Slug: "national-human-trafficking-hotline", Names: map[string]string{"en": "National Human Trafficking Hotline"}},
	{Slug: "hennepin-child-protection", Names: map[string]string{"en": "Hennepin County child protection"}},
}

// goodForm is a complete referral of an adult.
func goodForm() url.Values {
	return url.Values{
		"date": {"2026-12-07"}, "source": {"inspection"}, "suspected": {"labor"}, "age": {"25-plus"},
		"danger": {"no"}, "called_911": {"no"}, "language": {"es"}, "interpreter": {"qualified"},
		"services": {"national-human-trafficking-hotline"}, "warm_handoff": {"yes"}, "agreed": {"yes"},
	}
}

func TestParse(t *testing.T) {
	cases := []struct {
		name   string
		change func(f url.Values)
		field  string // "" when the form must be accepted
	}{
		{"complete adult referral", func(url.Values) {}, ""},
		{"today in Minneapolis", func(f url.Values) { f.Set("date", "2026-12-07") }, ""},
		{"tomorrow", func(f url.Values) { f.Set("date", "2026-12-08") }, "date"},
		{"90 days back", func(f url.Values) { f.Set("date", "2026-09-08") }, ""},
		{"91 days back", func(f url.Values) { f.Set("date", "2026-09-07") }, "date"},
		{"not a date", func(f url.Values) { f.Set("date", "12/07/2026") }, "date"},
		{"short date", func(f url.Values) { f.Set("date", "2026-12-7") }, "date"},
		{"no date sent: today, the form's default", func(f url.Values) { f.Del("date") }, ""},
		{"an empty date", func(f url.Values) { f.Set("date", "") }, "date"},
		{"source not in config", func(f url.Values) { f.Set("source", "licensing") }, "source"},
		{"two sources", func(f url.Values) { f["source"] = []string{"inspection", "other"} }, "source"},
		{"free text in suspected", func(f url.Values) { f.Set("suspected", "Maria, 14, lives on 5th St") }, "suspected"},
		{"unknown age group", func(f url.Values) { f.Set("age", "30") }, "age"},
		{"danger missing", func(f url.Values) { f.Del("danger") }, "danger"},
		{"911 not yes or no", func(f url.Values) { f.Set("called_911", "maybe") }, "called_911"},
		{"under 18 without child protection", func(f url.Values) { f.Set("age", "under-18") }, "child_protection"},
		{"under 18 with child protection called", func(f url.Values) { f.Set("age", "under-18"); f.Set("child_protection", "yes") }, ""},
		{"under 18, child protection not called", func(f url.Values) { f.Set("age", "under-18"); f.Set("child_protection", "no") }, ""},
		{"under 18, child protection unclear", func(f url.Values) { f.Set("age", "under-18"); f.Set("child_protection", "later") }, "child_protection"},
		{"adult with child protection", func(f url.Values) { f.Set("child_protection", "yes") }, "child_protection"},
		{"adult with a blank then an answer", func(f url.Values) { f["child_protection"] = []string{"", "yes"} }, "child_protection"},
		{"unknown age, child protection given", func(f url.Values) { f.Set("age", "unknown"); f.Set("child_protection", "yes") }, ""},
		{"unknown age, not given", func(f url.Values) { f.Set("age", "unknown") }, ""},
		{"language not listed", func(f url.Values) { f.Set("language", "Klingon") }, "language"},
		{"interpreter not listed", func(f url.Values) { f.Set("interpreter", "my cousin") }, "interpreter"},
		{"no service", func(f url.Values) { f.Del("services") }, "services"},
		{"service not in directory", func(f url.Values) { f.Set("services", "acme-shelter") }, "services"},
		{"same service twice", func(f url.Values) {
			f["services"] = []string{"national-human-trafficking-hotline", "national-human-trafficking-hotline"}
		}, "services"},
		{"two services", func(f url.Values) {
			f["services"] = []string{"national-human-trafficking-hotline", "hennepin-child-protection"}
		}, ""},
		{"agreed missing", func(f url.Values) { f.Del("agreed") }, "agreed"},
		{"a field the form has not", func(f url.Values) { f.Set("name", "Maria") }, "name"},
		{"a notes field", func(f url.Values) { f.Set("notes", "call back at 612-555-0100") }, "notes"},
	}
	for _, c := range cases {
		f := goodForm()
		c.change(f)
		r, err := Parse(Form(f), now, testSettings, testDirectory)
		var fe *FieldError
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case c.field != "" && !errors.As(err, &fe):
			t.Errorf("%s: %v, want a field error on %s", c.name, err, c.field)
		case c.field != "" && fe.Field != c.field:
			t.Errorf("%s: error on %q (%s), want on %q", c.name, fe.Field, fe.Problem, c.field)
		case c.field == "" && r.AgeGroup != "under-18" && r.AgeGroup != "unknown" && r.ChildProtection != NotAsked:
			t.Errorf("%s: an adult's child_protection is %q, want %q", c.name, r.ChildProtection, NotAsked)
		}
	}
}

func TestParseKeepsOnlyListedValues(t *testing.T) {
	f := goodForm()
	f.Set("age", "under-18")
	f.Set("child_protection", "yes")
	f["services"] = []string{" hennepin-child-protection ", "national-human-trafficking-hotline"}
	r, err := Parse(Form(f), now, testSettings, testDirectory)
	if err != nil {
		t.Fatal(err)
	}
	want := Referral{OccurredOn: "2026-12-07", RecordedAt: now, Source: "inspection", Suspected: "labor", AgeGroup: "under-18",
		ChildProtection: "yes", Language: "es", Interpreter: "qualified",
		Services: []string{"hennepin-child-protection", "national-human-trafficking-hotline"}, WarmHandoff: true, Agreed: true}
	if r.OccurredOn != want.OccurredOn || !r.RecordedAt.Equal(want.RecordedAt) || r.Source != want.Source || r.Suspected != want.Suspected ||
		r.AgeGroup != want.AgeGroup || r.ChildProtection != want.ChildProtection || r.Language != want.Language ||
		r.Interpreter != want.Interpreter || strings.Join(r.Services, ",") != strings.Join(want.Services, ",") ||
		r.WarmHandoff != want.WarmHandoff || r.Agreed != want.Agreed || r.Danger || r.Called911 {
		t.Errorf("parsed %+v\nwant   %+v", r, want)
	}
}

func TestFollowUpWindow(t *testing.T) {
	rec := Referral{RecordedAt: now}
	for _, c := range []struct {
		after time.Duration
		open  bool
	}{{0, true}, {89 * 24 * time.Hour, true}, {90*24*time.Hour - time.Second, true}, {90 * 24 * time.Hour, false}, {200 * 24 * time.Hour, false}} {
		if got := FollowUpOpen(rec, now.Add(c.after)); got != c.open {
			t.Errorf("%v after recording: open %v, want %v", c.after, got, c.open)
		}
	}
}

func TestPurgeBefore(t *testing.T) {
	for _, c := range []struct {
		years int
		want  string
	}{{0, "2019-12-07"}, {7, "2019-12-07"}, {1, "2025-12-07"}} {
		if got := PurgeBefore(now, Settings{RetentionYears: c.years}); got != c.want {
			t.Errorf("retention %d years: purge before %s, want %s", c.years, got, c.want)
		}
	}
	// Late evening in Minneapolis is already the next day in UTC: the
	// City's date counts.
	evening := time.Date(2026, 12, 8, 4, 0, 0, 0, time.UTC) // 22:00 on the 7th in Minneapolis
	if got := PurgeBefore(evening, Settings{}); got != "2019-12-07" {
		t.Errorf("at 22:00 in Minneapolis: %s", got)
	}
}

func TestMonths(t *testing.T) {
	m := Months(now)
	if len(m) != ReportMonths || m[0] != "2026-01" || m[len(m)-1] != "2026-12" {
		t.Errorf("months %v", m)
	}
}
