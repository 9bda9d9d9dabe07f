package oidctest

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// The relying party's callback; never requested, since Login stops at the
// first redirect that leaves the provider.
const callback = "http://127.0.0.1:1/callback"

type idClaims struct {
	Email         string   `json:"email"`
	EmailVerified bool     `json:"email_verified"`
	Name          string   `json:"name"`
	Nonce         string   `json:"nonce"`
	Groups        []string `json:"groups"`
	Department    string   `json:"department"`
}

// signIn runs the authorization-code flow with PKCE, state and nonce through
// the provider's login form, and returns the verified ID token's claims.
func signIn(t *testing.T, p *Provider, username, password string) idClaims {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	op, err := oidc.NewProvider(ctx, p.Issuer)
	if err != nil {
		t.Fatal(err)
	}
	conf := oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, RedirectURL: callback,
		Endpoint: op.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
	state, nonce, verifier := oauth2.GenerateVerifier(), oauth2.GenerateVerifier(), oauth2.GenerateVerifier()
	authURL := conf.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier))

	jar, _ := cookiejar.New(nil)
	back, err := p.Login(&http.Client{Jar: jar, Timeout: 10 * time.Second}, authURL, username, password)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(back, callback+"?") {
		t.Fatalf("sent back to %q, want %s?...", back, callback)
	}
	u, err := url.Parse(back)
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Query().Get("state"); got != state {
		t.Fatalf("state %q, want %q", got, state)
	}
	code := u.Query().Get("code")
	if code == "" {
		t.Fatalf("no code in %q", back)
	}

	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		t.Fatal("no id_token in the token response")
	}
	idt, err := op.Verifier(&oidc.Config{ClientID: p.ClientID}).Verify(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	if idt.Issuer != p.Issuer || idt.Subject != username {
		t.Errorf("issuer %q subject %q, want %q %q", idt.Issuer, idt.Subject, p.Issuer, username)
	}
	var c idClaims
	if err := idt.Claims(&c); err != nil {
		t.Fatal(err)
	}
	if c.Nonce != nonce || idt.Nonce != nonce {
		t.Errorf("nonce %q, want %q", c.Nonce, nonce)
	}
	return c
}

func TestCodeFlowWithPKCE(t *testing.T) {
	p := Start(t, callback,
		User{Username: "ana", Password: "Password1!", Email: "ana.lopez@example.gov", Name: "Ana Lopez", EmailVerified: true,
			Groups: []string{"health", "analysts"}, Department: "Health"},
		User{Username: "bo", Password: "pw-bo", Email: "bo@example.org", Name: "Bo"})
	if strings.HasSuffix(p.Issuer, "/") || !strings.HasPrefix(p.Issuer, "http://127.0.0.1:") {
		t.Errorf("issuer %q", p.Issuer)
	}

	c := signIn(t, p, "ana", "Password1!")
	want := idClaims{Email: "ana.lopez@example.gov", EmailVerified: true, Name: "Ana Lopez", Nonce: c.Nonce,
		Groups: []string{"health", "analysts"}, Department: "Health"}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("claims %+v\nwant   %+v", c, want)
	}

	// No department: no claim.
	if c := signIn(t, p, "bo", "pw-bo"); c.Email != "bo@example.org" || c.Name != "Bo" || c.Department != "" || len(c.Groups) != 0 {
		t.Errorf("bo's claims %+v", c)
	}

	// A group change shows at the next sign-in.
	p.SetUser(User{Username: "ana", Password: "Password1!", Email: "ana.lopez@example.gov", Name: "Ana Lopez", EmailVerified: true,
		Groups: []string{"trainers"}, Department: "Health"})
	if c := signIn(t, p, "ana", "Password1!"); !reflect.DeepEqual(c.Groups, []string{"trainers"}) {
		t.Errorf("groups after SetUser %q, want [trainers]", c.Groups)
	}

	// A user added while it runs can sign in.
	p.SetUser(User{Username: "cy", Password: "pw-cy", Email: "cy@example.org", Name: "Cy Young", Groups: []string{"x"}})
	if c := signIn(t, p, "cy", "pw-cy"); c.Email != "cy@example.org" || c.Name != "Cy Young" || !reflect.DeepEqual(c.Groups, []string{"x"}) {
		t.Errorf("cy's claims %+v", c)
	}
}

func TestWrongPassword(t *testing.T) {
	p := Start(t, callback, User{Username: "ana", Password: "Password1!", Email: "a@example.org"})
	ctx := context.Background()
	op, err := oidc.NewProvider(ctx, p.Issuer)
	if err != nil {
		t.Fatal(err)
	}
	conf := oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, RedirectURL: callback,
		Endpoint: op.Endpoint(), Scopes: []string{oidc.ScopeOpenID}}
	jar, _ := cookiejar.New(nil)
	back, err := p.Login(&http.Client{Jar: jar, Timeout: 10 * time.Second},
		conf.AuthCodeURL("s", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())), "ana", "wrong")
	if err == nil {
		t.Fatalf("a wrong password was let through to %q", back)
	}
}

// sign makes an RS256 JWT with key, by hand (no kid: go-oidc then tries
// every key of the provider's JWKS).
func sign(t *testing.T, key *rsa.PrivateKey, claims map[string]any) string {
	t.Helper()
	enc := base64.RawURLEncoding
	payload, _ := json.Marshal(claims)
	input := enc.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + enc.EncodeToString(payload)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + enc.EncodeToString(sig)
}

func TestSigningKey(t *testing.T) {
	p := Start(t, callback)
	ctx := context.Background()
	op, err := oidc.NewProvider(ctx, p.Issuer)
	if err != nil {
		t.Fatal(err)
	}
	verify := op.Verifier(&oidc.Config{ClientID: p.ClientID}).Verify
	claims := map[string]any{"iss": p.Issuer, "aud": p.ClientID, "sub": "ana",
		"iat": time.Now().Unix(), "exp": time.Now().Add(time.Minute).Unix()}

	if _, err := verify(ctx, sign(t, p.SigningKey(), claims)); err != nil {
		t.Errorf("a token signed with SigningKey was refused: %v", err)
	}
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := verify(ctx, sign(t, other, claims)); err == nil {
		t.Error("a token signed by another key was accepted")
	}
	if !p.SigningKey().Equal(p.SigningKey()) {
		t.Error("the signing key changed")
	}
}
