package email

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"os"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Settings say which relay to use and as whom.
type Settings struct {
	// Addr is the relay's host:port (587 or 25; STARTTLS is used when the
	// relay offers it).
	Addr string
	// From is the sender, as people see it: training@example.gov or
	// "Northstar training <training@example.gov>".
	From string
	// Username and Password sign in to the relay when set
	// (ReadCredentials). Never logged.
	Username, Password string
	// RootCAs verify the relay's certificate; nil: the system's.
	RootCAs *x509.CertPool
	// Now dates messages; time.Now when nil.
	Now func() time.Time
}

// LogValue shows the settings without the password.
func (s Settings) LogValue() slog.Value {
	return slog.GroupValue(slog.String("addr", s.Addr), slog.String("from", s.From), slog.Bool("credentials", s.Username != ""))
}

// How long the relay may take: to connect, to answer a command, to take a
// message.
const (
	dialTimeout    = 30 * time.Second
	commandTimeout = time.Minute
	dataTimeout    = 5 * time.Minute
)

// Errors of a connection, for the sender to tell a message refused (the
// next one may go) from a relay it can no longer use.
var (
	// ErrBroken means the connection to the relay is lost: nothing more
	// can be sent on it.
	ErrBroken = errors.New("connection to the SMTP server lost")
	// ErrCleartext means the relay offers no STARTTLS and is not on this
	// machine, so the password is not sent.
	ErrCleartext = errors.New("the SMTP server offers no STARTTLS: the password is sent only over TLS, or to a server on this machine")
)

// Client is a connection to the relay, signed in when Settings has
// credentials. One goroutine at a time.
type Client struct {
	c      *smtp.Client
	from   *mail.Address
	now    func() time.Time
	broken error
	// unwatch stops closing the connection when Dial's context ends.
	unwatch func() bool
}

// Dial connects to the relay, switches to TLS when it offers STARTTLS
// (and fails if that fails, rather than go on in the clear), and signs in
// when s has credentials.
func Dial(ctx context.Context, s Settings) (*Client, error) {
	from, err := ParseAddress(s.From)
	if err != nil {
		return nil, fmt.Errorf("smtp sender: %w", err)
	}
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return nil, fmt.Errorf("smtp address %q: want host:port", s.Addr)
	}
	c, conn, err := dial(ctx, s.Addr, nil)
	if err != nil {
		return nil, err
	}
	// go-smtp starts TLS only on a fresh connection: this one asked what
	// the relay offers, a second one starts TLS.
	if ok, _ := c.Extension("STARTTLS"); ok {
		c.Quit()
		c, conn, err = dial(ctx, s.Addr, &tls.Config{ServerName: host, RootCAs: s.RootCAs, MinVersion: tls.VersionTLS12})
		if err != nil {
			return nil, err
		}
	}
	// go-smtp takes no context: when ctx ends (serve stops), the
	// connection closes, and whatever waits on the relay fails at once.
	cl := &Client{c: c, from: from, now: s.Now, unwatch: context.AfterFunc(ctx, func() { conn.Close() })}
	if cl.now == nil {
		cl.now = time.Now
	}
	if s.Username != "" {
		if err := cl.signIn(host, s.Username, s.Password); err != nil {
			cl.unwatch()
			c.Close()
			return nil, err
		}
	}
	return cl, nil
}

// dial opens a connection and says hello, starting TLS with tlsConfig
// when it is set.
func dial(ctx context.Context, addr string, tlsConfig *tls.Config) (*smtp.Client, net.Conn, error) {
	d := net.Dialer{Timeout: dialTimeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("connect to smtp server %s: %w", addr, err)
	}
	c, step := smtp.NewClient(conn), "hello to"
	if tlsConfig != nil {
		// The handshake happens with the first command after STARTTLS:
		// the hello below.
		if c, err = smtp.NewClientStartTLS(conn, tlsConfig); err != nil {
			return nil, nil, fmt.Errorf("starttls with smtp server %s: %w", addr, err)
		}
		step = "starttls with"
	}
	c.CommandTimeout, c.SubmissionTimeout = commandTimeout, dataTimeout
	if err := c.Hello(helloName()); err != nil {
		c.Close()
		return nil, nil, fmt.Errorf("%s smtp server %s: %w", step, addr, err)
	}
	return c, conn, nil
}

// helloName is how this machine introduces itself: its host name.
func helloName() string {
	if h, err := os.Hostname(); err == nil && h != "" && !strings.ContainsAny(h, " \r\n") {
		return h
	}
	return "localhost"
}

func (cl *Client) signIn(host, username, password string) error {
	if _, isTLS := cl.c.TLSConnectionState(); !isTLS && !Loopback(host) {
		return ErrCleartext
	}
	var auth sasl.Client
	switch {
	case cl.c.SupportsAuth(sasl.Plain):
		auth = sasl.NewPlainClient("", username, password)
	case cl.c.SupportsAuth(sasl.Login):
		auth = sasl.NewLoginClient(username, password)
	default:
		return errors.New("sign in to the smtp server: it offers neither AUTH PLAIN nor LOGIN")
	}
	if err := cl.c.Auth(auth); err != nil {
		return fmt.Errorf("sign in to the smtp server: %w", err)
	}
	return nil
}

// Loopback tells whether host is this machine: a loopback address or
// localhost (a name is not looked up: DNS could say anything).
func Loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Send sends m. An error wrapping ErrBroken means the connection is lost;
// any other, that the relay refused this message and the next may go.
// Either way m was not accepted.
func (cl *Client) Send(m Message) error {
	if cl.broken != nil {
		return cl.broken
	}
	id, err := messageID(cl.from)
	if err != nil {
		return err
	}
	data, err := m.compose(cl.from, cl.now(), id)
	if err != nil {
		return err
	}
	var opts *smtp.MailOptions
	if !ascii(cl.from.Address) || !ascii(m.To.Address) {
		opts = &smtp.MailOptions{UTF8: true}
	}
	if err := cl.c.Mail(cl.from.Address, opts); err != nil {
		return cl.fail("mail from", err)
	}
	if err := cl.c.Rcpt(m.To.Address, nil); err != nil {
		return cl.fail("rcpt to", err)
	}
	w, err := cl.c.Data()
	if err != nil {
		return cl.fail("data", err)
	}
	if _, err := w.Write(data); err != nil {
		return cl.fail("data", err)
	}
	if err := w.Close(); err != nil {
		return cl.fail("data", err)
	}
	return nil
}

// fail turns what went wrong at step into Send's error: a refusal is
// reset so the next message can go; anything else breaks the connection.
func (cl *Client) fail(step string, err error) error {
	var refused *smtp.SMTPError
	if errors.As(err, &refused) {
		if rerr := cl.c.Reset(); rerr == nil {
			return fmt.Errorf("smtp %s: %w", step, err)
		}
	}
	cl.broken = fmt.Errorf("%w: smtp %s: %w", ErrBroken, step, err)
	return cl.broken
}

// Close says goodbye and closes the connection.
func (cl *Client) Close() error {
	defer cl.unwatch()
	if cl.broken == nil {
		if err := cl.c.Quit(); err == nil {
			return nil
		}
	}
	return cl.c.Close()
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] > 127 {
			return false
		}
	}
	return true
}
