// Package referral owns the rules of recording a referral and learning
// from them: what a referral may hold (fixed lists of values only, so it
// can identify no one), the date and follow-up windows, the under-18
// rules, retention, and reports whose small counts are suppressed.
package referral

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"northstar/internal/store"
	"northstar/internal/training"
)

// MaxListed is how many of one recorder's referrals their list shows: the
// newest.
const MaxListed = store.MaxListedReferrals

// Choice is one allowed value of a field and the words a form shows for it.
type Choice struct {
	ID    string `toml:"id"`
	Label string `toml:"label"`
}

// Settings are the City's choices (config.toml, params.referrals).
type Settings struct {
	// Sources are how a referral can come up; Languages the person's
	// languages a form offers.
	Sources   []Choice `toml:"sources"`
	Languages []Choice `toml:"languages"`
	// MinCell is the smallest count a report shows; 1 to MinCell-1 shows
	// as "<MinCell". 0 means DefaultMinCell.
	MinCell int `toml:"min_cell"`
	// RetentionYears is how long a referral is kept. 0 means
	// DefaultRetentionYears.
	RetentionYears int `toml:"retention_years"`
}

// Defaults for Settings left out.
const (
	DefaultMinCell        = 5
	DefaultRetentionYears = 7
)

func (s Settings) minCell() int {
	if s.MinCell > 0 {
		return s.MinCell
	}
	return DefaultMinCell
}

func (s Settings) retentionYears() int {
	if s.RetentionYears > 0 {
		return s.RetentionYears
	}
	return DefaultRetentionYears
}

// The fixed lists of values, the same for every City.
var (
	Suspected = []Choice{
		{"labor", "Labor trafficking"}, {"sex", "Sex trafficking"}, {"both", "Both labor and sex trafficking"},
		{"other", "Other exploitation"}, {"unsure", "Not sure"},
	}
	AgeGroups = []Choice{
		{Under18, "Under 18"}, {"18-24", "18 to 24"}, {"25-plus", "25 and over"}, {AgeUnknown, "Not known"},
	}
	Interpreters = []Choice{
		{"not-needed", "Not needed: we spoke the same language"},
		{Qualified, "A qualified interpreter (in person, by phone or by video)"},
		{"family", "A family member, co-worker or the person who came with them"},
		{"none", "None, though one was needed"},
	}
	Outcomes = []Choice{
		{Connected, "Connected with the service"}, {"declined", "Declined the referral"},
		{"unreached", "Could not be reached"}, {OutcomeUnknown, "Not known"},
	}
)

// Values the rules refer to.
const (
	Under18        = "under-18"
	AgeUnknown     = "unknown"
	Qualified      = "qualified"
	NotNeeded      = "not-needed"
	Connected      = "connected"
	OutcomeUnknown = "unknown"
	// NotAsked is child_protection for a referral of an adult.
	NotAsked = "n/a"
)

// Windows, in days.
const (
	// DaysBack is how far back a referral's date may be.
	DaysBack = 90
	// FollowUpDays is how long after recording the recorder may add an outcome.
	FollowUpDays = 90
	// MaxServices bounds the services one referral names.
	MaxServices = 8
)

// Referral is one referral as recorded (store.Referral). Nothing in it
// names the person: every field but the ids and times is one of the lists
// above, the directory's entries or the settings' choices.
type Referral = store.Referral

// Change is one entry of a referral's history (store.ReferralChange).
type Change = store.ReferralChange

// FieldError is a form field whose value breaks a rule; Problem says how,
// for the person who filled it in.
type FieldError struct {
	Field   string
	Problem string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

// Form is a submitted form: each field's values (url.Values converts).
type Form map[string][]string

func (f Form) one(field string) (string, error) {
	v := f[field]
	switch {
	case len(v) == 0 || strings.TrimSpace(v[0]) == "":
		return "", &FieldError{field, "choose one"}
	case len(v) > 1:
		return "", &FieldError{field, "choose only one"}
	}
	return strings.TrimSpace(v[0]), nil
}

func (f Form) choice(field string, list []Choice) (string, error) {
	v, err := f.one(field)
	if err != nil {
		return "", err
	}
	if !slices.ContainsFunc(list, func(c Choice) bool { return c.ID == v }) {
		return "", &FieldError{field, "choose one of the listed answers"}
	}
	return v, nil
}

// YesNo are the answers of a yes-or-no field.
var YesNo = []Choice{{"yes", "Yes"}, {"no", "No"}}

func (f Form) yes(field string) (bool, error) {
	v, err := f.choice(field, YesNo)
	return v == "yes", err
}

// Fields is every field a form may send, in the form's order: anything
// else is refused, so nothing unlisted is kept.
var Fields = []string{"date", "source", "suspected", "age", "danger", "called_911", "child_protection",
	"language", "interpreter", "services", "warm_handoff", "agreed"}

// Parse reads a referral form filled in at now by a member of staff of
// department, against the settings and the directory's entries. The
// first rule broken comes back as a *FieldError, in the form's order.
func Parse(f Form, now time.Time, set Settings, directory []Resource) (Referral, error) {
	for field := range f {
		if !slices.Contains(Fields, field) {
			return Referral{}, &FieldError{field, "this form has no such field"}
		}
	}
	var r Referral
	var err error
	if r.OccurredOn, err = parseDate(f, now); err != nil {
		return r, err
	}
	if r.Source, err = f.choice("source", set.Sources); err != nil {
		return r, err
	}
	if r.Suspected, err = f.choice("suspected", Suspected); err != nil {
		return r, err
	}
	if r.AgeGroup, err = f.choice("age", AgeGroups); err != nil {
		return r, err
	}
	if r.Danger, err = f.yes("danger"); err != nil {
		return r, err
	}
	if r.Called911, err = f.yes("called_911"); err != nil {
		return r, err
	}
	if r.ChildProtection, err = childProtection(f, r.AgeGroup); err != nil {
		return r, err
	}
	if r.Language, err = f.choice("language", set.Languages); err != nil {
		return r, err
	}
	if r.Interpreter, err = f.choice("interpreter", Interpreters); err != nil {
		return r, err
	}
	if r.Services, err = services(f, directory); err != nil {
		return r, err
	}
	if r.WarmHandoff, err = f.yes("warm_handoff"); err != nil {
		return r, err
	}
	if r.Agreed, err = f.yes("agreed"); err != nil {
		return r, err
	}
	r.RecordedAt = now.UTC()
	return r, nil
}

// parseDate reads the date it happened: a Minneapolis date, not after
// today, at most DaysBack days before; today when the form sends none.
func parseDate(f Form, now time.Time) (string, error) {
	if _, sent := f["date"]; !sent {
		return Today(now).Format("2006-01-02"), nil // the form's default
	}
	v, err := f.one("date")
	if err != nil {
		return "", &FieldError{"date", "give the date it happened"}
	}
	day, err := time.ParseInLocation("2006-01-02", v, training.CityTime)
	if err != nil || len(v) != len("2006-01-02") {
		return "", &FieldError{"date", "give the date as year-month-day, like 2026-12-01"}
	}
	today := Today(now)
	first := today.AddDate(0, 0, -DaysBack)
	switch {
	case day.After(today):
		return "", &FieldError{"date", "the date cannot be in the future"}
	case day.Before(first):
		return "", &FieldError{"date", fmt.Sprintf("record referrals from the last %d days (from %s)", DaysBack, first.Format("2006-01-02"))}
	}
	return v, nil
}

// Today is now's date in Minneapolis, at midnight there.
func Today(now time.Time) time.Time {
	t := now.In(training.CityTime)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, training.CityTime)
}

// childProtection: for a person under 18, whether child protection was
// called must be answered; for an adult it is not asked; for an unknown
// age it may be.
func childProtection(f Form, age string) (string, error) {
	given := slices.ContainsFunc(f["child_protection"], func(v string) bool { return strings.TrimSpace(v) != "" })
	switch {
	case age == Under18 || age == AgeUnknown && given:
		v, err := f.choice("child_protection", YesNo)
		if err != nil && age == Under18 {
			err = &FieldError{"child_protection", "for a person under 18, say whether child protection was called"}
		}
		return v, err
	case given:
		return "", &FieldError{"child_protection", "only asked for a person under 18 (or of unknown age)"}
	}
	return NotAsked, nil
}

// services reads the directory entries referred to: at least one, at most
// MaxServices, each once.
func services(f Form, directory []Resource) ([]string, error) {
	var out []string
	for _, v := range f["services"] {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if !slices.ContainsFunc(directory, func(s Resource) bool { return s.Slug == v }) {
			return nil, &FieldError{"services", "choose services from the list"}
		}
		if slices.Contains(out, v) {
			return nil, &FieldError{"services", "choose each service once"}
		}
		out = append(out, v)
	}
	switch {
	case len(out) == 0:
		return nil, &FieldError{"services", "choose at least one service you referred the person to"}
	case len(out) > MaxServices:
		return nil, &FieldError{"services", fmt.Sprintf("choose at most %d services", MaxServices)}
	}
	return out, nil
}

// Errors of the follow-up.
var (
	// ErrNoReferral means no referral of the recorder has the id.
	ErrNoReferral = errors.New("no such referral")
	// ErrFollowUpClosed means the FollowUpDays after recording are over.
	ErrFollowUpClosed = errors.New("the follow-up window has closed")
)

// FollowUpOpen reports whether r's recorder may still add an outcome at now.
func FollowUpOpen(r Referral, now time.Time) bool {
	return now.Before(FollowUpEnds(r.RecordedAt))
}

// FollowUpEnds is when the follow-up of a referral recorded at ends.
func FollowUpEnds(recorded time.Time) time.Time {
	return recorded.Add(FollowUpDays * 24 * time.Hour)
}

// PurgeBefore is the first date kept at now: referrals that happened
// before it are deleted.
func PurgeBefore(now time.Time, set Settings) string {
	return Today(now).AddDate(-set.retentionYears(), 0, 0).Format("2006-01-02")
}
