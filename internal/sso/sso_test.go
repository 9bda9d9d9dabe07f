package sso

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/oauth2"

	"northstar/internal/auth/oidctest"
	"northstar/internal/store"
	"northstar/internal/store/storetest"
)

const redirect = "http://localhost:1/login/sso/callback" // never requested: Login stops before it

var cityRules = Claims{
	DepartmentGroups: map[string]string{"mpls-health": "Health", "mpls-police": "Police"},
	RoleGroups:       map[string]string{"northstar-trainers": "trainer", "northstar-analysts": "analyst"},
	AllowedDomains:   []string{"minneapolismn.gov"},
}

func provider(t *testing.T) (*oidctest.Provider, *Client) {
	t.Helper()
	p := oidctest.Start(t, redirect,
		oidctest.User{Username: "ana", Password: "Password1!", Email: "Ana.Lopez@minneapolismn.gov", Name: "Ana Lopez", EmailVerified: true,
			Groups: []string{"mpls-health", "northstar-analysts"}})
	c, err := New(context.Background(), Settings{Issuer: p.Issuer, ClientID: p.ClientID, ClientSecret: p.ClientSecret,
		RedirectURL: redirect, Claims: cityRules})
	if err != nil {
		t.Fatal(err)
	}
	return p, c
}

func browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 10 * time.Second}
}

// signIn runs the flow through the provider's login form and returns the
// flow and what the provider sent back.
func signIn(t *testing.T, p *oidctest.Provider, c *Client, user, password string) (Flow, string, string) {
	t.Helper()
	authURL, f, err := c.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	back, err := p.Login(browser(), authURL, user, password)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(back)
	if err != nil || !strings.HasPrefix(back, redirect) {
		t.Fatalf("the provider sent back %q", back)
	}
	return f, u.Query().Get("state"), u.Query().Get("code")
}

// rawToken runs the flow and exchanges the code, returning the raw ID token.
func rawToken(t *testing.T, p *oidctest.Provider, c *Client) (string, Flow) {
	t.Helper()
	f, state, code := signIn(t, p, c, "ana", "Password1!")
	if state != f.State {
		t.Fatal("state changed on the way")
	}
	found, err := c.provider(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := found.oauth.Exchange(context.Background(), code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		t.Fatal("no ID token")
	}
	return raw, f
}

func TestSignInThroughTheProvider(t *testing.T) {
	p, c := provider(t)
	f, state, code := signIn(t, p, c, "ana", "Password1!")
	id, err := c.Finish(context.Background(), f, state, code)
	if err != nil {
		t.Fatal(err)
	}
	if id.Email != "ana.lopez@minneapolismn.gov" || id.Name != "Ana Lopez" || id.Department != "Health" || id.Role != "analyst" {
		t.Errorf("identity %+v", id)
	}
	// The same code again: the provider refuses it.
	if _, err := c.Finish(context.Background(), f, state, code); err == nil {
		t.Error("a code was exchanged twice")
	}

	// Groups changed at the provider take effect at the next sign-in.
	p.SetUser(oidctest.User{Username: "ana", Password: "Password1!", Email: "Ana.Lopez@minneapolismn.gov", Name: "Ana Lopez", EmailVerified: true,
		Groups: []string{"mpls-police", "northstar-trainers", "northstar-analysts"}})
	f, state, code = signIn(t, p, c, "ana", "Password1!")
	id, err = c.Finish(context.Background(), f, state, code)
	if err != nil || id.Role != "trainer" || id.Department != "Police" {
		t.Errorf("after a group change: %+v, %v; want trainer in Police", id, err)
	}
}

func TestStateMismatchAndExpiry(t *testing.T) {
	p, c := provider(t)
	f, _, code := signIn(t, p, c, "ana", "Password1!")
	if _, err := c.Finish(context.Background(), f, "forged-state", code); !errors.Is(err, ErrState) {
		t.Errorf("state mismatch: %v", err)
	}
	if _, err := c.Finish(context.Background(), Flow{}, "", code); !errors.Is(err, ErrState) {
		t.Errorf("no flow: %v", err)
	}
	f.Started = time.Now().Add(-FlowLifetime - time.Minute)
	if _, err := c.Finish(context.Background(), f, f.State, code); !errors.Is(err, ErrExpired) {
		t.Errorf("an old flow: %v", err)
	}
}

func TestTokensThatMustBeRefused(t *testing.T) {
	p, c := provider(t)
	ctx := context.Background()
	raw, f := rawToken(t, p, c)

	if _, err := c.Verify(ctx, raw, "another-nonce"); !errors.Is(err, ErrNonce) {
		t.Errorf("a token for another sign-in: %v", err)
	}
	// Another client of the same provider: wrong audience.
	other, err := New(ctx, Settings{Issuer: p.Issuer, ClientID: "someone-else", ClientSecret: "x", RedirectURL: redirect})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Verify(ctx, raw, f.Nonce); err == nil || !strings.Contains(err.Error(), "audience") {
		t.Errorf("wrong audience: %v", err)
	}
	// Expired: the clock two hours on.
	late, _ := New(ctx, Settings{Issuer: p.Issuer, ClientID: p.ClientID, ClientSecret: p.ClientSecret, RedirectURL: redirect})
	late.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	if _, err := late.Verify(ctx, raw, f.Nonce); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Errorf("expired token: %v", err)
	}
	// Bad signature: the signature's bytes changed, and the same claims
	// signed by a key the provider never published.
	parts := strings.Split(raw, ".")
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	sig[0] ^= 0xff
	tampered := parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(sig)
	if _, err := c.Verify(ctx, tampered, f.Nonce); err == nil {
		t.Error("a tampered signature was accepted")
	}
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	header, _ := base64.RawURLEncoding.DecodeString(parts[0])
	kid := ""
	if i := strings.Index(string(header), `"kid":"`); i >= 0 {
		kid = strings.SplitN(string(header)[i+7:], `"`, 2)[0]
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	jws, _ := signer.Sign(payload)
	forged, _ := jws.CompactSerialize()
	if _, err := c.Verify(ctx, forged, f.Nonce); err == nil {
		t.Error("a token signed with another key was accepted")
	}
	// The real token, once; then its nonce is spent.
	if id, err := c.Verify(ctx, raw, f.Nonce); err != nil || id.Email != "ana.lopez@minneapolismn.gov" {
		t.Fatalf("the real token: %+v, %v", id, err)
	}
	if _, err := c.Verify(ctx, raw, f.Nonce); !errors.Is(err, ErrReplay) {
		t.Errorf("the token replayed: %v", err)
	}
}

func TestClaimRules(t *testing.T) {
	r := cityRules.withDefaults()
	for _, c := range []struct {
		name   string
		claims map[string]any
		want   Identity
		err    bool
	}{
		{"groups map", map[string]any{"email": "B@minneapolismn.gov", "name": "B", "groups": []any{"x", "mpls-police", "northstar-trainers"}},
			Identity{Email: "b@minneapolismn.gov", Name: "B", Department: "Police", Role: "trainer"}, false},
		{"no groups: learner, no department", map[string]any{"email": "c@example.org"}, Identity{Email: "c@example.org", Name: "c@example.org", Role: "learner"}, false},
		{"unverified email", map[string]any{"email": "d@minneapolismn.gov", "email_verified": false}, Identity{}, true},
		{"no email", map[string]any{"name": "E"}, Identity{}, true},
		{"the highest role wins", map[string]any{"email": "f@x.org", "groups": []any{"northstar-trainers", "northstar-analysts"}}, Identity{Email: "f@x.org", Name: "f@x.org", Role: "trainer"}, false},
	} {
		got, err := r.identity(c.claims)
		got.Groups = nil
		if (err != nil) != c.err || (!c.err && !reflect.DeepEqual(got, c.want)) {
			t.Errorf("%s: %+v, %v; want %+v", c.name, got, err, c.want)
		}
	}
	withClaim := r
	withClaim.Department = "department"
	if id, _ := withClaim.identity(map[string]any{"email": "g@x.org", "department": "Library", "groups": []any{"mpls-police"}}); id.Department != "Library" {
		t.Errorf("the department claim comes first: %q", id.Department)
	}
	if !r.AllowsDomain("a@MinneapolisMN.gov") || r.AllowsDomain("a@minneapolismn.gov.evil.example") || r.AllowsDomain("nobody") {
		t.Error("AllowsDomain")
	}
}

type decoder string

func (d decoder) Decode(v any) error { return toml.Unmarshal([]byte(d), v) }

func TestClaimsFrom(t *testing.T) {
	c, err := ClaimsFrom(decoder("[params.sso]\nallowed_domains = [\"minneapolismn.gov\"]\n[params.sso.role_groups]\n\"g1\" = \"trainer\"\n"))
	if err != nil || c.RoleGroups["g1"] != "trainer" || !c.AllowsDomain("a@minneapolismn.gov") {
		t.Errorf("%+v, %v", c, err)
	}
	if _, err := ClaimsFrom(decoder("[params.sso.role_groups]\n\"g1\" = \"owner\"\n")); err == nil {
		t.Error("a group mapped to no role was accepted")
	}
	if c, err := ClaimsFrom(decoder("title = \"x\"\n")); err != nil || c.withDefaults().Email != "email" {
		t.Errorf("no params.sso: %+v, %v", c, err)
	}
}

// TestProviderLateOrDown: a provider that cannot be reached when the client
// is made leaves a usable client: sign-ins are ErrUnavailable (tried again
// no more than once per retryAfter) until the provider answers, then work.
func TestProviderLateOrDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there yet
	defer func(d time.Duration) { retryAfter = d }(retryAfter)
	retryAfter = time.Hour
	c, err := New(context.Background(), Settings{Issuer: "http://" + addr, ClientID: "northstar", ClientSecret: "northstar-test-secret",
		RedirectURL: redirect, Claims: cityRules})
	if c == nil || !errors.Is(err, ErrUnavailable) {
		t.Fatalf("New with no provider: %v, %v", c, err)
	}
	if _, _, err := c.Start(context.Background()); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Start with no provider: %v", err)
	}
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen again on %s: %v", addr, err)
	}
	p := oidctest.StartOn(t, ln, redirect, oidctest.User{Username: "ana", Password: "Password1!", Email: "ana@minneapolismn.gov", Name: "Ana", EmailVerified: true})
	if _, _, err := c.Start(context.Background()); !errors.Is(err, ErrUnavailable) {
		t.Errorf("within retryAfter of a failed try, Start went to the provider again: %v", err)
	}
	retryAfter = 0
	f, state, code := signIn(t, p, c, "ana", "Password1!")
	id, err := c.Finish(context.Background(), f, state, code)
	if err != nil || id.Email != "ana@minneapolismn.gov" {
		t.Errorf("once the provider answers: %+v %v", id, err)
	}
}

// TestReplayAtAnotherInstance: two instances whose clients keep nonces in
// one store accept an ID token once between them, on both engines.
func TestReplayAtAnotherInstance(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, st store.Store, _ string) {
		p, _ := provider(t)
		settings := Settings{Issuer: p.Issuer, ClientID: p.ClientID, ClientSecret: p.ClientSecret, RedirectURL: redirect, Claims: cityRules, Nonces: st}
		a, err := New(context.Background(), settings)
		if err != nil {
			t.Fatal(err)
		}
		b, err := New(context.Background(), settings)
		if err != nil {
			t.Fatal(err)
		}
		raw, f := rawToken(t, p, a)
		if _, err := a.Verify(context.Background(), raw, f.Nonce); err != nil {
			t.Fatalf("at the first instance: %v", err)
		}
		if _, err := b.Verify(context.Background(), raw, f.Nonce); !errors.Is(err, ErrReplay) {
			t.Errorf("the same token at the second instance: %v, want ErrReplay", err)
		}
	})
}
