// Package smtptest runs a real SMTP server (github.com/emersion/go-smtp) on
// loopback for tests: it records every message it accepts, can offer
// STARTTLS and ask for a password, and can be told to refuse recipients or
// whole sessions, as a relay does when it has trouble.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Config says what the server offers.
type Config struct {
	// Addr is where to listen; 127.0.0.1:0 when empty.
	Addr string
	// TLS offers STARTTLS with a certificate for 127.0.0.1 and localhost
	// (Server.RootCAs trusts it).
	TLS bool
	// Username and Password, when set, are required before MAIL, by one
	// of AuthMechanisms (PLAIN when empty; PLAIN and LOGIN are known).
	Username, Password string
	AuthMechanisms     []string
	// InsecureAuth offers AUTH without TLS.
	InsecureAuth bool
}

// Message is one message the server accepted.
type Message struct {
	From string
	To   []string
	Data []byte
	// TLS tells whether it came over TLS; User who signed in, if anyone.
	TLS  bool
	User string
}

// Server is a running SMTP server; it stops when the test ends.
type Server struct {
	// Addr is its host:port.
	Addr string
	// RootCAs trusts its certificate (Config.TLS).
	RootCAs *x509.CertPool

	cfg Config
	srv *smtp.Server
	mu  sync.Mutex
	got []Message
	// refuseRcpt refuses a recipient with an error, when it returns one.
	refuseRcpt func(to string) error
	// refuseSessions is how many sessions to refuse next.
	refuseSessions int
	authTries      int
}

// Start starts a server as cfg says.
func Start(t testing.TB, cfg Config) *Server {
	t.Helper()
	s := &Server{cfg: cfg}
	srv := smtp.NewServer(s)
	s.srv = srv
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.AllowInsecureAuth = cfg.InsecureAuth
	if cfg.TLS {
		cert, pool, err := selfSigned()
		if err != nil {
			t.Fatal(err)
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		s.RootCAs = pool
	}
	addr := cfg.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// Stop closes the server and every connection to it, as a relay that
// goes away.
func (s *Server) Stop() { s.srv.Close() }

// Messages returns what was accepted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.got...)
}

// AuthTries is how many times a client tried to sign in.
func (s *Server) AuthTries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authTries
}

// RefuseRecipients makes the server answer RCPT for each recipient with
// the error refuse returns (nil accepts); nil accepts every one again.
func (s *Server) RefuseRecipients(refuse func(to string) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuseRcpt = refuse
}

// RefuseSessions makes the server refuse the next n sessions at EHLO
// (451, as a relay that cannot take mail now).
func (s *Server) RefuseSessions(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuseSessions = n
}

// ErrMailbox is a refusal of one recipient, as a relay gives it.
var ErrMailbox = &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 2, 1}, Message: "Mailbox busy, try again later"}

// NewSession implements smtp.Backend.
func (s *Server) NewSession(c *smtp.Conn) (smtp.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refuseSessions > 0 {
		s.refuseSessions--
		return nil, errors.New("service not available, try again later")
	}
	return &session{srv: s, conn: c}, nil
}

type session struct {
	srv  *Server
	conn *smtp.Conn
	user string
	from string
	to   []string
}

func (ss *session) AuthMechanisms() []string {
	switch {
	case ss.srv.cfg.Username == "":
		return nil
	case len(ss.srv.cfg.AuthMechanisms) == 0:
		return []string{sasl.Plain}
	}
	return ss.srv.cfg.AuthMechanisms
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	ss.srv.mu.Lock()
	ss.srv.authTries++
	ss.srv.mu.Unlock()
	check := func(username, password string) error {
		if username != ss.srv.cfg.Username || password != ss.srv.cfg.Password {
			return smtp.ErrAuthFailed
		}
		ss.user = username
		return nil
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(_, username, password string) error { return check(username, password) }), nil
	case sasl.Login:
		return &loginServer{check: check}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

// loginServer is the server side of AUTH LOGIN, which go-sasl lacks:
// "Username:", then "Password:", each answered in turn (the username may
// come with the command).
type loginServer struct {
	check    func(username, password string) error
	username *string
}

func (l *loginServer) Next(response []byte) ([]byte, bool, error) {
	switch {
	case l.username == nil && response == nil:
		return []byte("Username:"), false, nil
	case l.username == nil:
		u := string(response)
		l.username = &u
		return []byte("Password:"), false, nil
	}
	return nil, true, l.check(*l.username, string(response))
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.srv.cfg.Username != "" && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.srv.mu.Lock()
	refuse := ss.srv.refuseRcpt
	ss.srv.mu.Unlock()
	if refuse != nil {
		if err := refuse(to); err != nil {
			return err
		}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := ss.conn.TLSConnectionState()
	ss.srv.mu.Lock()
	defer ss.srv.mu.Unlock()
	ss.srv.got = append(ss.srv.got, Message{From: ss.from, To: ss.to, Data: b, TLS: isTLS, User: ss.user})
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// Parsed is a message read back: its header, and the text of each part
// of a multipart/alternative body by media type (text/plain, text/html),
// transfer encoding undone.
type Parsed struct {
	Header mail.Header
	Parts  map[string]string
}

// Parse reads a message as a mail client would.
func Parse(data []byte) (Parsed, error) {
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return Parsed{}, err
	}
	p := Parsed{Header: m.Header, Parts: map[string]string{}}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		return p, fmt.Errorf("content type: %w", err)
	}
	if !strings.HasPrefix(mt, "multipart/") {
		body, err := decode(m.Body, m.Header.Get("Content-Transfer-Encoding"))
		p.Parts[mt] = body
		return p, err
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return p, nil
		}
		if err != nil {
			return p, err
		}
		pt, _, err := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if err != nil {
			return p, fmt.Errorf("part content type: %w", err)
		}
		body, err := decode(part, part.Header.Get("Content-Transfer-Encoding"))
		if err != nil {
			return p, err
		}
		p.Parts[pt] = body
	}
}

func decode(r io.Reader, encoding string) (string, error) {
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "", "7bit", "8bit":
	default:
		return "", fmt.Errorf("transfer encoding %q", encoding)
	}
	b, err := io.ReadAll(r)
	return string(b), err
}

// selfSigned makes a certificate for 127.0.0.1 and localhost, and a pool
// that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "smtptest"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:    []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}
