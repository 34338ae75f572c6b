package browser

// The wire protocol: W3C WebDriver commands are JSON over HTTP, and every
// answer is an object whose "value" holds the result or, on failure, an
// error code and message (https://www.w3.org/TR/webdriver2/#errors).

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Error is a failed WebDriver command: the code and message the driver
// answered with, or a transport failure with no code.
type Error struct {
	Method, Path string // the command, as sent to chromedriver
	HTTPStatus   int    // 0 when no answer came
	Code         string // the W3C error code, such as "no such element"; "" for a transport failure
	Message      string
	Err          error // the transport or decoding failure, when there was no WebDriver error
}

func (e *Error) Error() string {
	cmd := e.Method + " " + e.Path
	if e.Code == "" {
		return fmt.Sprintf("webdriver %s: %v", cmd, e.Err)
	}
	msg := e.Message
	// chromedriver appends its build and platform on further lines; the
	// first line is the part a reader needs.
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return fmt.Sprintf("webdriver %s: %s: %s", cmd, e.Code, msg)
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorCode is the WebDriver error code that err carries, such as
// "no such element" or "stale element reference", or "" when it carries
// none.
func ErrorCode(err error) string {
	var we *Error
	if errors.As(err, &we) {
		return we.Code
	}
	return ""
}

// wireError is the "value" of a failed command.
type wireError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// do sends one command to base+path with body (nil for none) encoded as
// JSON, and decodes the answer's "value" into result (nil to ignore it).
func do(client *http.Client, method, base, path string, body, result any) error {
	werr := &Error{Method: method, Path: path}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			werr.Err = err
			return werr
		}
		rd = bytes.NewReader(b)
	} else if method == http.MethodPost {
		// WebDriver wants a JSON object on every POST, even an empty one.
		rd = strings.NewReader("{}")
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		werr.Err = err
		return werr
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	resp, err := client.Do(req)
	if err != nil {
		werr.Err = err
		return werr
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		werr.Err = err
		return werr
	}
	werr.HTTPStatus = resp.StatusCode
	var env struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		werr.Err = fmt.Errorf("HTTP %d, answer not JSON: %.200q", resp.StatusCode, raw)
		return werr
	}
	if resp.StatusCode != http.StatusOK {
		var we wireError
		if err := json.Unmarshal(env.Value, &we); err != nil || we.Error == "" {
			werr.Err = fmt.Errorf("HTTP %d without a WebDriver error: %.200q", resp.StatusCode, raw)
			return werr
		}
		werr.Code, werr.Message = we.Error, we.Message
		return werr
	}
	if result == nil {
		return nil
	}
	if err := json.Unmarshal(env.Value, result); err != nil {
		werr.Err = fmt.Errorf("decoding the answer: %v: %.200q", err, env.Value)
		return werr
	}
	return nil
}
