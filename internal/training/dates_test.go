package training_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"northstar/internal/training"
)

func TestDueDate(t *testing.T) {
	now := time.Date(2026, 12, 6, 18, 0, 0, 0, time.UTC) // noon in Minneapolis
	due, err := training.DueDate("2027-01-31", now)
	if want := time.Date(2027, 2, 1, 5, 59, 59, 0, time.UTC); err != nil || !due.Equal(want) {
		t.Errorf("2027-01-31: %v %v, want %v (end of the day in Minneapolis)", due, err, want)
	}
	if due, err := training.DueDate("2026-12-06", now); err != nil || due.Before(now) {
		t.Errorf("today: %v %v", due, err)
	}
	if _, err := training.DueDate("2036-12-06", now); err != nil {
		t.Errorf("ten years ahead is allowed: %v", err)
	}
	for _, tt := range []struct{ in, want string }{
		{"9999-12-31", "between 2025-12-06 and 2036-12-06"},
		{"2036-12-07", "between"},
		{"0001-01-01", "between"},
		{"2026-12-05", "has passed"},
		{"2026-02-30", "year-month-day"},
		{"2027-1-31", "year-month-day"},
		{"31/01/2027", "year-month-day"},
		{"2027-01-31T00:00:00Z", "year-month-day"},
		{"+2027-01-31", "year-month-day"},
		{"", "year-month-day"},
		{strings.Repeat("2", 5000), "year-month-day"},
	} {
		_, err := training.DueDate(tt.in, now)
		if !errors.Is(err, training.ErrBadDate) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%.40q: %v, want a bad date saying %q", tt.in, err, tt.want)
		}
	}
	if _, err := training.ParseDay("2025-12-06", now); err != nil {
		t.Errorf("a year back is allowed for a date that may be past: %v", err)
	}
}
