package xapi

import (
	"regexp"
	"testing"
	"time"

	"northstar/internal/store"
	"northstar/internal/training"
)

func TestFromAttempt(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("CST", -6*3600))
	u := store.User{Email: "ana@example.org", Name: "Ana"}
	m := training.Module{Title: "Basics", URL: "/training/basics/", Quiz: "basics"}
	failed := FromAttempt("https://example.gov/", u, m, store.Attempt{ID: "A1", Score: 60, SubmittedAt: &at})
	if failed.Verb.ID != VerbCompleted || failed.Result.Success || !failed.Result.Completion || failed.Result.Score.Scaled != 0.6 {
		t.Errorf("failed attempt: %+v", failed)
	}
	if failed.Object.ID != "https://example.gov/training/basics/" || failed.Actor.Account.HomePage != "https://example.gov/" {
		t.Errorf("IRIs: %s, %s", failed.Object.ID, failed.Actor.Account.HomePage)
	}
	if !failed.Timestamp.Equal(at) || failed.Timestamp.Location() != time.UTC {
		t.Errorf("timestamp %v", failed.Timestamp)
	}
	passed := FromAttempt("https://example.gov", u, m, store.Attempt{ID: "A2", Score: 90, Passed: true, SubmittedAt: &at})
	if passed.Verb.ID != VerbPassed || !passed.Result.Success {
		t.Errorf("passed attempt: %+v", passed)
	}
	// A version-5 UUID, the same for the same attempt, different for another.
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	again := FromAttempt("https://example.gov/", u, m, store.Attempt{ID: "A1", Score: 60, SubmittedAt: &at})
	if !uuid.MatchString(failed.ID) || failed.ID != again.ID || failed.ID == passed.ID {
		t.Errorf("ids %s %s %s", failed.ID, again.ID, passed.ID)
	}
}
