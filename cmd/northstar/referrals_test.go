package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"northstar/internal/referral"
	"northstar/internal/store"
)

// TestReferralsPurge: the command deletes what happened before the
// retention period of the site's config.toml (7 years) and keeps the rest.
func TestReferralsPurge(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	st, err := store.Open(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(ctx, store.User{Email: "r@example.org", Name: "R", Department: "Library", Role: store.RoleLearner, PasswordHash: "h"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for id, day := range map[string]string{
		"OLD":    referral.Today(now).AddDate(-7, 0, -1).Format("2006-01-02"),
		"RECENT": referral.Today(now).AddDate(0, 0, -3).Format("2006-01-02"),
	} {
		if err := st.CreateReferral(ctx, referral.Referral{ID: id, RecordedBy: u.ID, Department: "Library", OccurredOn: day, RecordedAt: now.UTC(),
			Source: "other", Suspected: "unsure", AgeGroup: referral.AgeUnknown, ChildProtection: referral.NotAsked, Language: "unknown",
			Interpreter: referral.NotNeeded, Services: []string{"national-human-trafficking-hotline"}}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	var out bytes.Buffer
	if err := run(ctx, []string{"referrals", "purge", "--data", data, "--site", "../.."}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "deleted 1 referral(s) that happened before ") {
		t.Errorf("output %q", out.String())
	}
	st, err = store.Open(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	left, _ := st.ReferralsBy(ctx, u.ID)
	if len(left) != 1 || left[0].ID != "RECENT" {
		t.Errorf("left %+v, want only RECENT", left)
	}
	if err := run(ctx, []string{"referrals", "forget"}, io.Discard, io.Discard); err == nil {
		t.Error("an unknown subcommand ran")
	}
}
