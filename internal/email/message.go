// Package email sends email through the City's SMTP relay: a message with
// a plain-text and an HTML part, and a client that uses STARTTLS when the
// relay offers it and never sends a password in the clear (except to a
// relay on this machine). What a message says is its sender's business
// (internal/reminder).
package email

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Message is one email to one person.
type Message struct {
	To      mail.Address
	Subject string
	// Text is the plain-text body, HTML the same as a simple HTML page;
	// both are sent, as multipart/alternative.
	Text, HTML string
}

// ErrAddress means an address an email cannot be sent to.
var ErrAddress = errors.New("not an email address")

// ParseAddress reads one address (with or without a name) and refuses
// anything a header or an SMTP command could be split on.
func ParseAddress(s string) (*mail.Address, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, ErrAddress
	}
	a, err := mail.ParseAddress(s)
	if err != nil || !strings.Contains(a.Address, "@") {
		return nil, fmt.Errorf("%w: %q", ErrAddress, s)
	}
	return a, nil
}

// compose writes m as an RFC 5322 message from from, dated date, with the
// Message-ID id.
func (m Message) compose(from *mail.Address, date time.Time, id string) ([]byte, error) {
	if _, err := ParseAddress(m.To.Address); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	body := multipart.NewWriter(&b)
	header := func(k, v string) { b.WriteString(fold(k + ": " + v)) }
	header("Date", date.Format(time.RFC1123Z))
	header("From", from.String())
	header("To", m.To.String())
	header("Subject", mime.QEncoding.Encode("utf-8", oneLine(m.Subject)))
	header("Message-ID", id)
	// Tells auto-responders (out of office) not to answer (RFC 3834).
	header("Auto-Submitted", "auto-generated")
	header("MIME-Version", "1.0")
	header("Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": body.Boundary()}))
	b.WriteString("\r\n")
	for _, part := range []struct{ mediaType, text string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		w, err := body.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.mediaType + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write([]byte(part.text)); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := body.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// fold ends a header line with CRLF, broken at spaces into lines of at
// most 78 characters where it can be (RFC 5322, 2.2.3).
func fold(line string) string {
	var b strings.Builder
	for len(line) > 78 {
		i := strings.LastIndexByte(line[:78], ' ')
		if i <= 0 {
			if i = strings.IndexByte(line[1:], ' ') + 1; i <= 0 {
				break
			}
		}
		b.WriteString(line[:i] + "\r\n")
		line = line[i:]
	}
	b.WriteString(line + "\r\n")
	return b.String()
}

// oneLine keeps a header value on one line, whatever it was given.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// messageID is a new, unique Message-ID in the sender's domain.
func messageID(from *mail.Address) (string, error) {
	var r [16]byte
	if _, err := rand.Read(r[:]); err != nil {
		return "", fmt.Errorf("message id: %w", err)
	}
	domain := from.Address[strings.LastIndex(from.Address, "@")+1:]
	return "<" + hex.EncodeToString(r[:]) + "@" + domain + ">", nil
}
