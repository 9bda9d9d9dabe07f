package web

import (
	"errors"
	"net/http"

	"github.com/gorilla/mux"

	"northstar/internal/referral"
)

type historyLine struct {
	At, What string
}

// referralShow is one of the recorder's referrals with its history: when
// it was recorded and each outcome added since.
func (s *Server) referralShow(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	me, _ := userFrom(r.Context())
	id := mux.Vars(r)["id"]
	changes, err := t.referrals.History(r.Context(), me.ID, id)
	if errors.Is(err, referral.ErrNoReferral) {
		http.Error(w, "You have no such referral.", http.StatusNotFound)
		return
	}
	if err != nil {
		s.serverError(w, r, "referral history", err)
		return
	}
	var lines []historyLine
	for _, c := range changes {
		what := "Recorded"
		if c.What == "outcome" {
			what = "Outcome: " + label(referral.Outcomes, c.Value)
		}
		lines = append(lines, historyLine{At: c.At.In(cityTime).Format("2006-01-02 15:04"), What: what})
	}
	s.renderApp(w, r, http.StatusOK, "referral_show.html", map[string]any{"History": lines})
}
