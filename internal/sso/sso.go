// Package sso signs staff in with the City's identity provider (OpenID
// Connect): the authorization code flow with PKCE, state and nonce, the ID
// token verified with go-oidc (signature, issuer, audience, expiry) and
// its nonce compared here, since the verifier does not, and the claims
// mapped to who the person is at the City: email, name, department and
// role, by the rules in config.toml ([params.sso]).
package sso

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Settings say which provider and client to use (flags and NORTHSTAR_*).
type Settings struct {
	Issuer, ClientID, ClientSecret, RedirectURL string
	Claims                                      Claims
	// Nonces remembers the nonces of accepted ID tokens; nil keeps them in
	// this process only, which does not stop a token replayed at another
	// instance.
	Nonces Nonces
}

// Nonces remembers used nonces: FirstNonceUse records nonce and tells
// whether this was its first use (the store keeps them for every
// instance).
type Nonces interface {
	FirstNonceUse(ctx context.Context, nonce string, now time.Time) (bool, error)
}

// Claims are the City's rules for reading an ID token (config.toml,
// params.sso): which claims hold the email, the name, the department and
// the groups, and which groups make which department and role.
type Claims struct {
	Email      string `toml:"email_claim"`
	Name       string `toml:"name_claim"`
	Department string `toml:"department_claim"`
	Groups     string `toml:"groups_claim"`
	// DepartmentGroups and RoleGroups map a group to a department or a role.
	DepartmentGroups map[string]string `toml:"department_groups"`
	RoleGroups       map[string]string `toml:"role_groups"`
	// AllowedDomains are the email domains whose first sign-in makes an
	// account; others may sign in only to an account that exists.
	AllowedDomains []string `toml:"allowed_domains"`
}

func (c Claims) withDefaults() Claims {
	if c.Email == "" {
		c.Email = "email"
	}
	if c.Name == "" {
		c.Name = "name"
	}
	if c.Groups == "" {
		c.Groups = "groups"
	}
	return c
}

// Identity is who the provider says signed in, mapped by Claims.
type Identity struct {
	Email, Name string
	// Department is from the department claim, else the first of the
	// person's groups that DepartmentGroups maps, else "".
	Department string
	// Role is the highest role the person's groups map to, else "learner".
	Role   string
	Groups []string
}

// Flow is what a sign-in keeps between leaving for the provider and
// coming back: kept in a short-lived cookie, compared on return.
type Flow struct {
	State, Nonce, Verifier string
	Started                time.Time
}

// FlowLifetime bounds how long a person may take at the provider.
const FlowLifetime = 10 * time.Minute

// Errors of a sign-in that comes back wrong.
var (
	ErrState   = errors.New("sign-in: the answer does not belong to a sign-in started here")
	ErrExpired = errors.New("sign-in: took too long; start again")
	ErrNonce   = errors.New("sign-in: the ID token is not for this sign-in")
	ErrReplay  = errors.New("sign-in: this ID token was already used")
	ErrClaims  = errors.New("sign-in: the ID token has no usable email")
)

// Client is the relying party for one provider. It finds the provider
// (OpenID discovery) at the first sign-in that needs it and keeps what it
// found; until then, and for retryAfter after a failed try, a sign-in is
// ErrUnavailable: the City's provider being down for a moment must not stop
// Northstar, whose public site needs no provider at all.
type Client struct {
	settings Settings
	claims   Claims
	now      func() time.Time
	used     Nonces

	mu      sync.Mutex
	found   *discovered // nil until discovery succeeds
	tried   time.Time   // the last failed try
	lastErr error
}

// discovered is what discovery finds.
type discovered struct {
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
}

// ErrUnavailable: the identity provider cannot be reached now; try later.
var ErrUnavailable = errors.New("sign-in: the City's identity provider cannot be reached")

// Discovery is tried at most once per retryAfter while it fails, each try
// waiting at most discoverTimeout.
var (
	retryAfter      = 30 * time.Second
	discoverTimeout = 10 * time.Second
)

// New makes the client for s and tries to discover the provider at once.
// The client is usable even when that try fails (the error says why, to
// log): discovery is tried again at the next sign-in.
func New(ctx context.Context, s Settings) (*Client, error) {
	c := &Client{settings: s, claims: s.Claims.withDefaults(), now: time.Now, used: s.Nonces}
	if c.used == nil {
		c.used = &usedNonces{seen: map[string]time.Time{}}
	}
	_, err := c.provider(ctx)
	return c, err
}

// provider returns the discovered provider, discovering it if it is time to
// try again.
func (c *Client) provider(ctx context.Context) (*discovered, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.found != nil {
		return c.found, nil
	}
	if c.lastErr != nil && time.Since(c.tried) < retryAfter {
		return nil, c.lastErr
	}
	dctx, cancel := context.WithTimeout(ctx, discoverTimeout)
	defer cancel()
	p, err := oidc.NewProvider(dctx, c.settings.Issuer)
	if err != nil {
		c.tried, c.lastErr = time.Now(), fmt.Errorf("%w: discover %s: %w", ErrUnavailable, c.settings.Issuer, err)
		return nil, c.lastErr
	}
	s := c.settings
	c.found = &discovered{
		oauth: oauth2.Config{ClientID: s.ClientID, ClientSecret: s.ClientSecret, RedirectURL: s.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"}},
		verifier: p.Verifier(&oidc.Config{ClientID: s.ClientID, Now: func() time.Time { return c.now() }}),
	}
	c.lastErr = nil
	return c.found, nil
}

// Start begins a sign-in: the provider's address to send the browser to,
// and the Flow to keep until it comes back.
func (c *Client) Start(ctx context.Context) (string, Flow, error) {
	f := Flow{Verifier: oauth2.GenerateVerifier(), Started: c.now()}
	p, err := c.provider(ctx)
	if err != nil {
		return "", f, err
	}
	if f.State, err = random(); err != nil {
		return "", f, err
	}
	if f.Nonce, err = random(); err != nil {
		return "", f, err
	}
	return p.oauth.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)), f, nil
}

// Finish completes a sign-in the provider sent back with state and code:
// the state must be the flow's, the code is exchanged with the flow's PKCE
// verifier, and the ID token must verify and carry the flow's nonce, once.
func (c *Client) Finish(ctx context.Context, f Flow, state, code string) (Identity, error) {
	switch {
	case f.State == "" || state != f.State:
		return Identity{}, ErrState
	case c.now().Sub(f.Started) > FlowLifetime:
		return Identity{}, ErrExpired
	}
	p, err := c.provider(ctx)
	if err != nil {
		return Identity{}, err
	}
	tok, err := p.oauth.Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return Identity{}, fmt.Errorf("sign-in: exchange the code: %w", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, errors.New("sign-in: the provider sent no ID token")
	}
	return c.Verify(ctx, raw, f.Nonce)
}

// Verify checks a raw ID token (signature, issuer, audience, expiry),
// that it carries nonce and was not used before, and maps its claims.
func (c *Client) Verify(ctx context.Context, raw, nonce string) (Identity, error) {
	p, err := c.provider(ctx)
	if err != nil {
		return Identity{}, err
	}
	tok, err := p.verifier.Verify(ctx, raw)
	if err != nil {
		return Identity{}, fmt.Errorf("sign-in: %w", err)
	}
	if nonce == "" || tok.Nonce != nonce {
		return Identity{}, ErrNonce
	}
	first, err := c.used.FirstNonceUse(ctx, tok.Nonce, c.now())
	if err != nil {
		return Identity{}, fmt.Errorf("sign-in: %w", err)
	}
	if !first {
		return Identity{}, ErrReplay
	}
	var claims map[string]any
	if err := tok.Claims(&claims); err != nil {
		return Identity{}, fmt.Errorf("sign-in: read claims: %w", err)
	}
	return c.claims.identity(claims)
}

// identity maps claims by the City's rules.
func (c Claims) identity(claims map[string]any) (Identity, error) {
	str := func(name string) string {
		s, _ := claims[name].(string)
		return strings.TrimSpace(s)
	}
	id := Identity{Email: strings.ToLower(str(c.Email)), Name: str(c.Name), Role: "learner"}
	if id.Email == "" || !strings.Contains(id.Email, "@") {
		return Identity{}, ErrClaims
	}
	if verified, ok := claims["email_verified"].(bool); ok && !verified {
		return Identity{}, fmt.Errorf("%w: the provider has not verified it", ErrClaims)
	}
	if id.Name == "" {
		id.Name = id.Email
	}
	switch g := claims[c.Groups].(type) {
	case []any:
		for _, v := range g {
			if s, ok := v.(string); ok {
				id.Groups = append(id.Groups, s)
			}
		}
	case string:
		id.Groups = []string{g}
	}
	if c.Department != "" {
		id.Department = str(c.Department)
	}
	for _, g := range id.Groups {
		if d, ok := c.DepartmentGroups[g]; ok && id.Department == "" {
			id.Department = d
		}
		if r, ok := c.RoleGroups[g]; ok && rank[r] > rank[id.Role] {
			id.Role = r
		}
	}
	return id, nil
}

// rank orders roles, so a person in several groups gets the highest.
var rank = map[string]int{"learner": 1, "analyst": 2, "trainer": 3, "admin": 4}

// AllowsDomain tells whether email's domain may make an account at its
// first sign-in.
func (c Claims) AllowsDomain(email string) bool {
	_, domain, ok := strings.Cut(email, "@")
	if !ok {
		return false
	}
	for _, d := range c.AllowedDomains {
		if strings.EqualFold(strings.TrimPrefix(d, "@"), domain) {
			return true
		}
	}
	return false
}

// ClaimsFrom reads params.sso of the site's config.toml.
func ClaimsFrom(cfg interface{ Decode(any) error }) (Claims, error) {
	var file struct {
		Params struct {
			SSO Claims `toml:"sso"`
		} `toml:"params"`
	}
	if err := cfg.Decode(&file); err != nil {
		return Claims{}, err
	}
	for group, role := range file.Params.SSO.RoleGroups {
		if rank[role] == 0 {
			return Claims{}, fmt.Errorf("config.toml, params.sso.role_groups: group %q maps to %q, which is not a role (learner, analyst, trainer, admin)", group, role)
		}
	}
	return file.Params.SSO, nil
}

// Claims are the client's rules.
func (c *Client) Claims() Claims { return c.claims }

func random() (string, error) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("sign-in: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// usedNonces remembers, in this process, the nonces of ID tokens accepted
// in the last FlowLifetime, so one token cannot sign in twice here. It
// holds at most maxNonces; past that, the oldest are forgotten (they are
// near expiry).
type usedNonces struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

const maxNonces = 100_000

func (u *usedNonces) FirstNonceUse(_ context.Context, nonce string, now time.Time) (bool, error) {
	return u.first(nonce, now), nil
}

func (u *usedNonces) first(nonce string, now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if _, ok := u.seen[nonce]; ok {
		return false
	}
	if len(u.seen) >= maxNonces {
		for n, at := range u.seen {
			if now.Sub(at) > FlowLifetime || len(u.seen) >= maxNonces {
				delete(u.seen, n)
			}
		}
	}
	u.seen[nonce] = now
	return true
}
