package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// errTooLarge means a body is over its cap.
var errTooLarge = errors.New("too large")

// BadJSON is why a body is not the JSON a route takes, in words a client
// developer can act on.
type BadJSON struct{ Reason string }

func (e *BadJSON) Error() string { return e.Reason }

// DecodeJSON reads exactly one JSON value into v from r: no unknown fields
// (named in the error), nothing after the value but spaces, and at most max
// bytes (errTooLarge). Every JSON body the server takes goes through it.
func DecodeJSON(r io.Reader, max int64, v any) error {
	body, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errTooLarge
		}
		return &BadJSON{Reason: "The body could not be read."}
	}
	if int64(len(body)) > max {
		return errTooLarge
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return &BadJSON{Reason: "The body is empty: send one JSON object."}
		case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
			return &BadJSON{Reason: "The body is not valid JSON."}
		case errors.As(err, &typ) && typ.Field != "":
			return &BadJSON{Reason: fmt.Sprintf("The field %q has the wrong type.", typ.Field)}
		case errors.As(err, &typ):
			return &BadJSON{Reason: "The body has the wrong shape: send one JSON object."}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return &BadJSON{Reason: fmt.Sprintf("Unknown field %s.", strings.TrimPrefix(err.Error(), "json: unknown field "))}
		}
		return &BadJSON{Reason: "The body is not valid JSON."}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &BadJSON{Reason: "The body must hold one JSON value and nothing after it."}
	}
	return nil
}

// readJSON decodes a request's JSON body (DecodeJSON) or answers 415, 413
// or 400 with the reason, as JSON, and returns false.
func readJSON(w http.ResponseWriter, r *http.Request, max int64, v any) bool {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeStaffJSON(w, r, http.StatusUnsupportedMediaType, map[string]string{"error": "Send the body as application/json."})
		return false
	}
	err := DecodeJSON(http.MaxBytesReader(w, r.Body, max), max, v)
	var bad *BadJSON
	switch {
	case errors.Is(err, errTooLarge):
		writeStaffJSON(w, r, http.StatusRequestEntityTooLarge, map[string]string{"error": fmt.Sprintf("The body is over %d KB.", max>>10)})
		return false
	case errors.As(err, &bad):
		writeStaffJSON(w, r, http.StatusBadRequest, map[string]string{"error": bad.Reason})
		return false
	}
	return true
}
