package web

import (
	"errors"
	"net/http"

	"github.com/gorilla/mux"

	"northstar/internal/referral"
)

// referralOutcome adds what became of a referral, by its recorder, within
// the follow-up window; the change is kept in its history.
func (s *Server) referralOutcome(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	me, _ := userFrom(r.Context())
	if !readForm(w, r) {
		return
	}
	err := t.referrals.SetOutcome(r.Context(), me.ID, mux.Vars(r)["id"], referral.Form(r.PostForm))
	var fe *referral.FieldError
	switch {
	case err == nil:
		http.Redirect(w, r, "/referrals/?done=outcome", http.StatusSeeOther)
	case errors.As(err, &fe):
		http.Error(w, fieldLabel(fe.Field)+": "+fe.Problem+".", http.StatusBadRequest)
	case errors.Is(err, referral.ErrNoReferral):
		http.Error(w, "You have no such referral.", http.StatusNotFound)
	case errors.Is(err, referral.ErrFollowUpClosed):
		http.Error(w, "The 90 days to add an outcome to this referral are over.", http.StatusConflict)
	default:
		s.serverError(w, r, "set referral outcome", err)
	}
}
