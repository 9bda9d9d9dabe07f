package training

import (
	"errors"
	"fmt"
	"time"
	_ "time/tzdata" // CityTime without the host's zone files
)

// CityTime is the City's time zone: dates staff read and enter (due,
// passed, valid until) are Minneapolis dates, and a due date ends at
// midnight there. The zone database is built into the binary.
var CityTime = func() *time.Location {
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		panic(err) // time/tzdata is imported: cannot happen
	}
	return loc
}()

// How far a date a person enters may lie from today.
const (
	YearsBack  = 1
	YearsAhead = 10
)

// ErrBadDate means a typed date is not a date, or lies outside the bounds;
// its message says which, for the person who typed it.
var ErrBadDate = errors.New("bad date")

// ParseDay reads a date as typed in a form (2027-01-31), as a day in
// Minneapolis, and checks it lies between YearsBack before now and
// YearsAhead after. Every date a person enters goes through it, so no
// stored date is one a page cannot show.
func ParseDay(s string, now time.Time) (time.Time, error) {
	day, err := time.ParseInLocation("2006-01-02", s, CityTime)
	if err != nil || len(s) != len("2006-01-02") {
		return time.Time{}, fmt.Errorf("%w: give the date as year-month-day, like 2027-01-31", ErrBadDate)
	}
	today := now.In(CityTime)
	first := time.Date(today.Year()-YearsBack, today.Month(), today.Day(), 0, 0, 0, 0, CityTime)
	last := time.Date(today.Year()+YearsAhead, today.Month(), today.Day(), 0, 0, 0, 0, CityTime)
	if day.Before(first) || day.After(last) {
		return time.Time{}, fmt.Errorf("%w: choose a date between %s and %s", ErrBadDate, first.Format("2006-01-02"), last.Format("2006-01-02"))
	}
	return day, nil
}

// DueDate is the due time of an assignment due on the day typed: the end of
// that day in Minneapolis (midnight, daylight saving or not), in UTC. The
// day must be today or later, and within YearsAhead.
func DueDate(s string, now time.Time) (time.Time, error) {
	day, err := ParseDay(s, now)
	if err != nil {
		return time.Time{}, err
	}
	due := day.AddDate(0, 0, 1).Add(-time.Second).UTC()
	if due.Before(now) {
		return time.Time{}, fmt.Errorf("%w: the due date has passed, choose a later date", ErrBadDate)
	}
	return due, nil
}
