package web

import (
	"cmp"
	"net/http"
	"slices"
	"time"

	"northstar/internal/referral"
)

// referralRow is one of the recorder's referrals as their list shows it.
type referralRow struct {
	referral.Referral
	Source, Suspected, Age, Outcome string
	Services                        []string
	// FollowUpEnds is the last day an outcome can be added, "" once past.
	FollowUpEnds string
}

type referralListView struct {
	Rows     []referralRow
	Outcomes []referral.Choice
	Done     string
	Days     int
	// Capped: the list shows only the newest Max.
	Capped bool
	Max    int
}

// referralList is the signed-in member of staff's own referrals, newest
// first, each with its outcome and, within the follow-up window, a form
// to add one. Nobody sees another person's referrals.
func (s *Server) referralList(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	me, _ := userFrom(r.Context())
	svc := t.referrals
	list, err := svc.Mine(r.Context(), me.ID)
	if err != nil {
		s.serverError(w, r, "list referrals", err)
		return
	}
	now, lang := svc.Clock(), readerLanguage(r)
	names := map[string]string{}
	for _, res := range svc.Directory {
		names[res.Slug] = res.Name(lang)
	}
	v := referralListView{Outcomes: referral.Outcomes, Days: referral.FollowUpDays, Done: map[string]string{
		"recorded": "The referral is recorded. Thank you: add what became of it here within 90 days.",
		"outcome":  "The outcome is saved.",
	}[r.URL.Query().Get("done")], Capped: len(list) >= referral.MaxListed, Max: referral.MaxListed}
	for _, ref := range list {
		row := referralRow{Referral: ref, Source: label(svc.Settings.Sources, ref.Source), Suspected: label(referral.Suspected, ref.Suspected),
			Age: label(referral.AgeGroups, ref.AgeGroup), Outcome: label(referral.Outcomes, ref.Outcome)}
		for _, slug := range ref.Services {
			row.Services = append(row.Services, cmp.Or(names[slug], slug))
		}
		if referral.FollowUpOpen(ref, now) {
			row.FollowUpEnds = cityDate(referral.FollowUpEnds(ref.RecordedAt).Add(-time.Second))
		}
		v.Rows = append(v.Rows, row)
	}
	s.renderApp(w, r, http.StatusOK, "referral_list.html", v)
}

// label is id's label in list, id itself when the list no longer has it.
func label(list []referral.Choice, id string) string {
	if i := slices.IndexFunc(list, func(c referral.Choice) bool { return c.ID == id }); i >= 0 {
		return list[i].Label
	}
	return id
}
