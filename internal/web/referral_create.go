package web

import (
	"errors"
	"net/http"

	"northstar/internal/referral"
)

// referralCreate records a referral made by the signed-in member of staff:
// a form breaking a rule comes back with a 400 naming the field; a
// recorded one is committed before the redirect says so.
func (s *Server) referralCreate(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	me, _ := userFrom(r.Context())
	if !readForm(w, r) {
		return
	}
	_, err := t.referrals.Record(r.Context(), referral.Recorder{ID: me.ID, Department: me.Department}, referral.Form(r.PostForm))
	var fe *referral.FieldError
	switch {
	case errors.As(err, &fe):
		form := r.PostForm
		if _, ok := fieldLabels[fe.Field]; !ok {
			form = nil // an unknown field: show none of what was sent
		}
		s.renderReferralForm(w, r, http.StatusBadRequest, form, fe)
	case err != nil:
		s.serverError(w, r, "record referral", err)
	default:
		http.Redirect(w, r, "/referrals/?done=recorded", http.StatusSeeOther)
	}
}
