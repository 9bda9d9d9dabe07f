package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gorilla/mux"

	"northstar/internal/certificate"
	"northstar/internal/store"
)

// certificateRevoke revokes a certificate, recording who and why. Its public
// page says "revoked" from then on.
func (s *Server) certificateRevoke(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	me, _ := userFrom(r.Context())
	if !readForm(w, r) {
		return
	}
	code, ok := certificate.ParseCode(mux.Vars(r)["code"])
	if !ok {
		http.Error(w, "There is no such certificate.", http.StatusNotFound)
		return
	}
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		s.renderCertificates(w, r, http.StatusBadRequest, code, "Give a reason for revoking (up to 500 characters).", false)
		return
	}
	err := t.Store.RevokeCertificate(r.Context(), code, me.ID, reason, time.Now().UTC())
	if errors.Is(err, store.ErrNotFound) {
		s.renderCertificates(w, r, http.StatusConflict, code, "This certificate does not exist or is already revoked.", false)
		return
	}
	if err != nil {
		s.serverError(w, r, "revoke certificate", err)
		return
	}
	s.log.Info("certificate revoked", "code", code, "by", me.ID)
	http.Redirect(w, r, "/admin/certificates/?done=revoked&q="+url.QueryEscape(code), http.StatusSeeOther)
}
