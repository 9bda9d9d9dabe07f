// Package oidctest runs a real OpenID Provider on loopback for tests: the
// op package of github.com/zitadel/oidc with its example storage and login
// form, signing real tokens with its own key, with "groups" and
// "department" claims in the ID token. It is for tests only.
package oidctest

import (
	"context"
	"crypto/rsa"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// User is an account at the provider.
type User struct {
	Username, Password string // what the login form takes
	Email, Name        string
	EmailVerified      bool
	// Groups is sent as the "groups" claim, Department (when set) as
	// "department".
	Groups     []string
	Department string
}

// Provider is a running OpenID Provider on 127.0.0.1 over plain http.
type Provider struct {
	Issuer                 string
	ClientID, ClientSecret string
	users                  *users
	storage                *claimsStorage
}

// Start runs a provider with one confidential web client that may redirect
// to redirectURL (code flow, PKCE S256 allowed) and the given users. It
// stops at t.Cleanup.
func Start(t testing.TB, redirectURL string, us ...User) *Provider {
	t.Helper()
	return StartOn(t, nil, redirectURL, us...)
}

// StartOn is Start on listener ln (a loopback port of its own when nil):
// a provider that comes up at an address given out before it could be
// reached.
func StartOn(t testing.TB, ln net.Listener, redirectURL string, us ...User) *Provider {
	t.Helper()
	p := &Provider{ClientID: "northstar", ClientSecret: "northstar-test-secret", users: &users{byName: map[string]User{}}}
	for _, u := range us {
		p.users.set(u)
	}
	var handler http.Handler
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	if ln != nil {
		srv.Listener.Close()
		srv.Listener = ln
	}
	srv.Start()
	t.Cleanup(srv.Close)
	p.Issuer = srv.URL
	st := &claimsStorage{
		Storage: storage.NewStorageWithClients(p.users, map[string]*storage.Client{
			p.ClientID: storage.WebClient(p.ClientID, p.ClientSecret, redirectURL),
		}),
		users: p.users,
	}
	p.storage = st
	handler = exampleop.SetupServer(p.Issuer, st, slog.New(slog.NewTextHandler(io.Discard, nil)), false, op.WithAllowInsecure())
	return p
}

// SetUser replaces (or adds) a user by Username while the provider runs.
func (p *Provider) SetUser(u User) { p.users.set(u) }

// Login follows an authorization URL of this provider with c, fills its
// login form with username and password, and returns the address the
// provider sends the browser back to (the redirect URL with code and
// state) without requesting it.
func (p *Provider) Login(c *http.Client, authURL, username, password string) (string, error) {
	issuer, _ := url.Parse(p.Issuer)
	var back string
	browser := *c
	browser.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if req.URL.Host != issuer.Host {
			back = req.URL.String()
			return http.ErrUseLastResponse
		}
		return nil
	}
	resp, err := browser.Get(authURL)
	if err != nil {
		return "", err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if back != "" {
		return back, nil // the provider answered without a form (an error for the client)
	}
	m := regexp.MustCompile(`name="id" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		return "", fmt.Errorf("no login form at %s (%d): %.200s", resp.Request.URL, resp.StatusCode, page)
	}
	form := url.Values{"username": {username}, "password": {password}, "id": {string(m[1])}}
	resp, err = browser.PostForm(p.Issuer+"/login/username", form)
	if err != nil {
		return "", err
	}
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if back == "" {
		return "", fmt.Errorf("the provider did not send the browser back (%d): %.200s", resp.StatusCode, page)
	}
	return back, nil
}

// SigningKey returns the RSA private key the provider signs its tokens
// with (RS256; the same key for the provider's whole life).
func (p *Provider) SigningKey() *rsa.PrivateKey {
	k, err := p.storage.SigningKey(context.Background())
	if err != nil {
		panic(err) // the example storage's key is static: never
	}
	return k.Key().(*rsa.PrivateKey)
}

// users is the provider's user store, changeable while it runs.
type users struct {
	mu     sync.Mutex
	byName map[string]User
}

func (u *users) set(x User) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.byName[x.Username] = x
}

func (u *users) get(id string) (User, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	x, ok := u.byName[id]
	return x, ok
}

func (u *users) GetUserByID(id string) *storage.User { return u.GetUserByUsername(id) }

func (u *users) GetUserByUsername(name string) *storage.User {
	x, ok := u.get(name)
	if !ok {
		return nil
	}
	first, last, _ := strings.Cut(x.Name, " ")
	return &storage.User{ID: x.Username, Username: x.Username, Password: x.Password, FirstName: first, LastName: last,
		Email: x.Email, EmailVerified: x.EmailVerified}
}

func (u *users) ExampleClientID() string { return "northstar" }

// claimsStorage is the example storage with the City's claims added to
// every ID token and userinfo.
type claimsStorage struct {
	*storage.Storage
	users *users
}

func (s *claimsStorage) SetUserinfoFromScopes(ctx context.Context, info *oidc.UserInfo, userID, clientID string, scopes []string) error {
	if err := s.Storage.SetUserinfoFromScopes(ctx, info, userID, clientID, scopes); err != nil {
		return err
	}
	s.addClaims(info, userID)
	return nil
}

func (s *claimsStorage) SetUserinfoFromRequest(ctx context.Context, info *oidc.UserInfo, token op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, info, token, scopes); err != nil {
		return err
	}
	s.addClaims(info, token.GetSubject())
	return nil
}

func (s *claimsStorage) addClaims(info *oidc.UserInfo, userID string) {
	u, ok := s.users.get(userID)
	if !ok {
		return
	}
	// The example storage joins first and last name with a space, which
	// leaves "Bo " for a one-word name: send the name as given.
	info.Name = u.Name
	info.AppendClaims("groups", u.Groups)
	if u.Department != "" {
		info.AppendClaims("department", u.Department)
	}
}

// GetClientByClientID gives the client with the user's claims asserted in
// the ID token, as the City's provider (Entra ID) sends them.
func (s *claimsStorage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err != nil {
		return nil, err
	}
	return claimsInIDToken{c}, nil
}

type claimsInIDToken struct{ op.Client }

func (claimsInIDToken) IDTokenUserinfoClaimsAssertion() bool { return true }

// DevMode lets the client redirect to plain http on loopback, where the
// tests serve.
func (claimsInIDToken) DevMode() bool { return true }
