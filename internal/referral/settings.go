package referral

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"northstar/internal/site"
)

// SettingsFrom reads params.referrals of the site's config.toml and checks
// it: a form must offer at least one source and one language, each with an
// id a form can send and a label it can show.
func SettingsFrom(cfg site.Config) (Settings, error) {
	var file struct {
		Params struct {
			Referrals Settings `toml:"referrals"`
		} `toml:"params"`
	}
	if err := cfg.Decode(&file); err != nil {
		return Settings{}, err
	}
	set := file.Params.Referrals
	if err := set.check(); err != nil {
		return Settings{}, fmt.Errorf("config.toml, params.referrals: %w", err)
	}
	return set, nil
}

var choiceID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// maxLabel bounds a choice's label, a few words on a form.
const maxLabel = 80

func (s Settings) check() error {
	for _, list := range []struct {
		name    string
		choices []Choice
	}{{"sources", s.Sources}, {"languages", s.Languages}} {
		if len(list.choices) == 0 {
			return fmt.Errorf("%s: list at least one, as [[params.referrals.%s]] with id and label", list.name, list.name)
		}
		seen := map[string]bool{}
		for i, c := range list.choices {
			switch {
			case !choiceID.MatchString(c.ID):
				return fmt.Errorf("%s[%d]: id %q must be lower-case letters, digits and dashes (at most 40)", list.name, i, c.ID)
			case seen[c.ID]:
				return fmt.Errorf("%s[%d]: id %q is listed twice", list.name, i, c.ID)
			case strings.TrimSpace(c.Label) == "" || utf8.RuneCountInString(c.Label) > maxLabel:
				return fmt.Errorf("%s[%d]: label must be 1 to %d characters", list.name, i, maxLabel)
			}
			seen[c.ID] = true
		}
	}
	switch {
	case s.MinCell < 0 || s.MinCell > 100:
		return fmt.Errorf("min_cell %d must be from 1 to 100 (0 or left out means %d)", s.MinCell, DefaultMinCell)
	case s.RetentionYears < 0 || s.RetentionYears > 50:
		return fmt.Errorf("retention_years %d must be from 1 to 50 (0 or left out means %d)", s.RetentionYears, DefaultRetentionYears)
	}
	return nil
}
