package web

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"

	"northstar/internal/auth"
	"northstar/internal/sso"
)

// ssoFinish is where the identity provider sends the browser back: the
// sign-in is checked against the flow kept in the cookie, the account
// follows the provider's claims, and a session starts.
func (s *Server) ssoFinish(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	if t.SSO == nil {
		http.Error(w, "Sign-in with a City account is not set up on this server.", http.StatusNotFound)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: "", Path: "/login/sso", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: t.secure(r), MaxAge: -1})
	w.Header().Set("Cache-Control", "no-store")
	var f ssoFlow
	if c, err := r.Cookie(ssoCookie); err == nil {
		if b, err := base64.RawURLEncoding.DecodeString(c.Value); err == nil {
			json.Unmarshal(b, &f)
		}
	}
	q := r.URL.Query()
	if q.Get("error") != "" {
		s.ssoRefused(w, r, http.StatusBadRequest, "The sign-in was not completed at the City's sign-in page. Try again.")
		return
	}
	id, err := t.SSO.Finish(r.Context(), f.Flow, q.Get("state"), q.Get("code"))
	switch {
	case errors.Is(err, sso.ErrState), errors.Is(err, sso.ErrExpired):
		s.ssoRefused(w, r, http.StatusBadRequest, "This sign-in did not start here or took too long. Start again.")
		return
	case errors.Is(err, sso.ErrUnavailable):
		s.ssoUnavailable(w, r, err)
		return
	case err != nil:
		s.log.WarnContext(r.Context(), "sign-in through the identity provider refused", "err", err)
		s.ssoRefused(w, r, http.StatusUnauthorized, "The City's sign-in could not be checked. Start again.")
		return
	}
	token, _, err := t.Sessions.SignInExternal(r.Context(), auth.External{Email: id.Email, Name: id.Name, Department: id.Department, Role: id.Role},
		t.SSO.Claims().AllowsDomain(id.Email), t.Departments)
	var dept *auth.UnknownDepartmentError
	switch {
	case errors.Is(err, auth.ErrNoAccount):
		s.ssoRefused(w, r, http.StatusForbidden, "There is no staff account for your City account. Ask a training administrator to add you.")
		return
	case errors.Is(err, auth.ErrAccountDisabled):
		s.ssoRefused(w, r, http.StatusForbidden, "Your staff account is disabled. Ask a training administrator.")
		return
	case errors.As(err, &dept):
		s.ssoRefused(w, r, http.StatusForbidden, "Your City account names no department Northstar knows. Ask the City's IT to map your group.")
		return
	case err != nil:
		s.serverError(w, r, "sign in through the identity provider", err)
		return
	}
	t.setSessionCookie(w, r, token)
	next := f.Next
	if next == "" {
		next = "/training/my/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) ssoRefused(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.renderLogin(w, r, status, loginView{Error: msg})
}

// ssoUnavailable answers a sign-in while the City's identity provider
// cannot be reached: a 503 to try again soon, on the sign-in page.
func (s *Server) ssoUnavailable(w http.ResponseWriter, r *http.Request, err error) {
	s.log.WarnContext(r.Context(), "the identity provider cannot be reached", "err", err)
	w.Header().Set("Retry-After", "30")
	s.ssoRefused(w, r, http.StatusServiceUnavailable, "The City's sign-in service cannot be reached right now. Try again in a minute.")
}
