package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"northstar/internal/store"
)

// TestExportXAPI: the CLI writes one xAPI statement per graded attempt of a
// module's quiz, read from the store the server uses.
func TestExportXAPI(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	st, err := store.Open(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := st.CreateUser(ctx, store.User{Email: "ana@example.org", Name: "Ana Núñez", Department: "311", Role: store.RoleLearner, PasswordHash: "h"})
	at := time.Date(2026, 10, 1, 15, 4, 5, 0, time.UTC)
	for i, passed := range []bool{false, true} {
		id := []string{"a1", "a2"}[i]
		st.CreateAttempt(ctx, store.Attempt{ID: id, UserID: u.ID, QuizID: "referral-basics", Drawn: []string{"x"}, StartedAt: at})
		score := map[bool]int{true: 90, false: 50}[passed]
		if _, err := st.SubmitAttempt(ctx, store.Attempt{ID: id, SubmittedAt: &at, Results: []byte("[]"), Score: score, Passed: passed}, nil); err != nil {
			t.Fatal(err)
		}
	}
	// An attempt at a quiz no module uses is left out.
	st.CreateAttempt(ctx, store.Attempt{ID: "a3", UserID: u.ID, QuizID: "retired", Drawn: []string{"x"}, StartedAt: at})
	st.SubmitAttempt(ctx, store.Attempt{ID: "a3", SubmittedAt: &at, Results: []byte("[]"), Score: 10}, nil)
	st.Close()

	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"export", "xapi", "--data", data, "--site", "../..", "--public-url", "https://northstar.example.gov/"}, &out, &errOut); err != nil {
		t.Fatal(err, errOut.String())
	}
	var verbs, ids []string
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var s struct {
			ID    string
			Actor struct {
				Name    string
				Account struct{ HomePage, Name string }
			}
			Verb   struct{ ID string }
			Object struct {
				ID         string
				Definition struct{ Name map[string]string }
			}
			Result struct {
				Score struct {
					Scaled        float64
					Raw, Min, Max int
				}
				Success, Completion bool
			}
			Timestamp string
		}
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatal(err)
		}
		if s.Actor.Account.HomePage != "https://northstar.example.gov/" || s.Actor.Account.Name != "ana@example.org" || s.Actor.Name != "Ana Núñez" ||
			s.Object.ID != "https://northstar.example.gov/training/referral-basics/" || s.Object.Definition.Name["en-US"] != "Responding and referring" ||
			s.Timestamp != "2026-10-01T15:04:05Z" || s.Result.Score.Max != 100 || !s.Result.Completion {
			t.Errorf("statement %s", sc.Bytes())
		}
		verbs = append(verbs, s.Verb.ID[strings.LastIndex(s.Verb.ID, "/")+1:])
		ids = append(ids, s.ID)
	}
	slices.Sort(verbs)
	if strings.Join(verbs, ",") != "completed,passed" || errOut.String() != "2 statement(s)\n" {
		t.Errorf("verbs %v, stderr %q", verbs, errOut.String())
	}
	// Exporting again gives the same statement ids: a record store keeps one of each.
	var again bytes.Buffer
	run(ctx, []string{"export", "xapi", "--data", data, "--site", "../..", "--public-url", "https://northstar.example.gov"}, &again, io.Discard)
	if !strings.Contains(again.String(), ids[0]) || !strings.Contains(again.String(), ids[1]) || ids[0] == ids[1] {
		t.Errorf("statement ids are not stable: %v", ids)
	}
	if err := run(ctx, []string{"export", "xapi", "--data", data, "--site", "../.."}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "--public-url is required") {
		t.Errorf("without --public-url: %v", err)
	}
	if err := run(ctx, []string{"export", "xapi", "--data", data, "--site", "../..", "--public-url", "ftp://x"}, io.Discard, io.Discard); err == nil {
		t.Error("an ftp:// public URL was accepted")
	}
}
