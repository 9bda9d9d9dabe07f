package web

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"

	"northstar/internal/sso"
)

// ssoCookie keeps a sign-in's state, nonce and PKCE verifier while the
// person is at the identity provider.
const ssoCookie = "northstar_sso"

type ssoFlow struct {
	sso.Flow
	Next string
}

// ssoStart sends the browser to the City's identity provider.
func (s *Server) ssoStart(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	if t.SSO == nil {
		http.Error(w, "Sign-in with a City account is not set up on this server.", http.StatusNotFound)
		return
	}
	authURL, f, err := t.SSO.Start(r.Context())
	if errors.Is(err, sso.ErrUnavailable) {
		s.ssoUnavailable(w, r, err)
		return
	}
	if err != nil {
		s.serverError(w, r, "start sign-in", err)
		return
	}
	b, _ := json.Marshal(ssoFlow{Flow: f, Next: SafeNext(r.URL.Query().Get("next"))})
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: base64.RawURLEncoding.EncodeToString(b), Path: "/login/sso",
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: t.secure(r), MaxAge: int(sso.FlowLifetime.Seconds())})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, authURL, http.StatusSeeOther)
}
