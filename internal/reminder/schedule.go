package reminder

import (
	"fmt"
	"time"

	"northstar/internal/training"
)

// ParseAt reads a time of day as serve --remind-at takes it: 07:00.
func ParseAt(s string) (hour, minute int, err error) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != len("15:04") {
		return 0, 0, fmt.Errorf("remind at %q: want a time of day like 07:00", s)
	}
	return t.Hour(), t.Minute(), nil
}

// NextRun is the first hour:minute in Minneapolis after now. On the day
// clocks go forward an hour that does not exist is the hour after; on
// the day they go back, the first of the two.
func NextRun(now time.Time, hour, minute int) time.Time {
	local := now.In(training.CityTime)
	for d := 0; ; d++ {
		next := time.Date(local.Year(), local.Month(), local.Day()+d, hour, minute, 0, 0, training.CityTime)
		if next.After(now) {
			return next
		}
	}
}
