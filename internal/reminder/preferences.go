package reminder

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// PreferenceStore keeps each person's choice of reminders by email.
type PreferenceStore interface {
	RemindersWanted(ctx context.Context, userID int64) (bool, error)
	SetRemindersWanted(ctx context.Context, userID int64, wanted bool, at time.Time) error
}

// Preferences are staff's choice, on My training, of reminders by email:
// on unless they say no.
type Preferences struct {
	Store PreferenceStore
	Now   func() time.Time
}

// ErrBadChoice means a choice that is neither yes nor no.
var ErrBadChoice = errors.New(`choose "yes" or "no"`)

// Wanted reports whether userID gets reminders by email.
func (p Preferences) Wanted(ctx context.Context, userID int64) (bool, error) {
	on, err := p.Store.RemindersWanted(ctx, userID)
	if err != nil {
		return false, fmt.Errorf("reminder preference: %w", err)
	}
	return on, nil
}

// Choose records userID's choice as the form sends it: "yes" or "no"
// (ErrBadChoice otherwise).
func (p Preferences) Choose(ctx context.Context, userID int64, choice string) error {
	var on bool
	switch choice {
	case "yes":
		on = true
	case "no":
	default:
		return ErrBadChoice
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	if err := p.Store.SetRemindersWanted(ctx, userID, on, now()); err != nil {
		return fmt.Errorf("reminder preference: %w", err)
	}
	return nil
}
