// Package browser drives headless Chromium through chromedriver with the
// W3C WebDriver protocol, for tests that must see a page the way a reader
// does: laid out, styled, scripted and clicked. It is a small client of
// the protocol's JSON-over-HTTP commands, built on net/http alone.
//
// Open starts chromedriver on a free local port and a Chromium session
// with a profile of its own; Close ends both and removes the profile.
package browser

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// Options say which programs to run and how big the window is. The zero
// value finds both programs on PATH and opens a 1400×1000 window.
type Options struct {
	// Chromium is the browser binary; "" looks for chromium, then
	// chromium-browser, on PATH, then /usr/bin/chromium.
	Chromium string
	// Driver is the chromedriver binary; "" looks for chromedriver on PATH.
	Driver string
	// Width and Height are the window's size in CSS pixels; 0 means
	// 1400 and 1000.
	Width, Height int
	// Args are further Chromium command-line switches.
	Args []string
	// CommandTimeout bounds one WebDriver command; 0 means 6 minutes,
	// beyond chromedriver's own page-load timeout of 5, so that a slow
	// page fails with the driver's "timeout" error rather than ours.
	CommandTimeout time.Duration
}

// Browser is one Chromium session and the chromedriver that runs it.
// Its methods are safe to call from one goroutine at a time.
type Browser struct {
	driver  *exec.Cmd
	waited  chan struct{} // closed when driver has exited
	log     *tailBuffer   // chromedriver's output, for errors
	base    string        // http://127.0.0.1:port
	session string        // "/session/ID"
	profile string        // temporary directory holding the user-data-dir
	client  *http.Client

	closeOnce sync.Once
	closeErr  error
}

// Open starts chromedriver and a headless Chromium session. ctx bounds the
// start only. The caller must Close the Browser.
func Open(ctx context.Context, opts Options) (*Browser, error) {
	chromium, err := findChromium(opts.Chromium)
	if err != nil {
		return nil, err
	}
	driverPath := opts.Driver
	if driverPath == "" {
		driverPath = "chromedriver"
	}
	driverPath, err = exec.LookPath(driverPath)
	if err != nil {
		return nil, fmt.Errorf("browser: chromedriver not found: %v (install chromium-driver)", err)
	}
	timeout := opts.CommandTimeout
	if timeout == 0 {
		timeout = 6 * time.Minute
	}
	b := &Browser{client: &http.Client{Timeout: timeout}, log: &tailBuffer{max: 8 << 10}}
	if err := b.startDriver(ctx, driverPath); err != nil {
		return nil, err
	}
	b.profile, err = os.MkdirTemp("", "emend-chromium-")
	if err != nil {
		b.stopDriver()
		return nil, fmt.Errorf("browser: %v", err)
	}
	if err := b.newSession(chromium, opts); err != nil {
		b.stopDriver()
		os.RemoveAll(b.profile)
		return nil, err
	}
	return b, nil
}

// findChromium is the browser binary: the one named, or the first of the
// usual Debian and Ubuntu names found.
func findChromium(named string) (string, error) {
	if named != "" {
		p, err := exec.LookPath(named)
		if err != nil {
			return "", fmt.Errorf("browser: %v", err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("browser: no chromium or chromium-browser on PATH (install chromium)")
}

// startDriver runs chromedriver on a free port and waits until its /status
// says it is ready. The port is found by listening and closing, so another
// process could take it first; then chromedriver exits at once and the
// start is tried again on another port.
func (b *Browser) startDriver(ctx context.Context, path string) error {
	var lastErr error
	for range 3 {
		port, err := freePort()
		if err != nil {
			return fmt.Errorf("browser: finding a free port: %v", err)
		}
		b.log.Reset()
		cmd := exec.Command(path, "--port="+strconv.Itoa(port))
		cmd.Stdout, cmd.Stderr = b.log, b.log
		ownProcessGroup(cmd)
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("browser: starting %s: %v", path, err)
		}
		b.driver = cmd
		b.waited = make(chan struct{})
		go func() { cmd.Wait(); close(b.waited) }()
		b.base = "http://127.0.0.1:" + strconv.Itoa(port)
		lastErr = b.waitReady(ctx)
		if lastErr == nil {
			return nil
		}
		b.stopDriver()
		if ctx.Err() != nil {
			break
		}
	}
	return lastErr
}

// waitReady polls chromedriver's /status until it reports ready, it exits,
// or ctx ends.
func (b *Browser) waitReady(ctx context.Context) error {
	var lastErr error
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		var st struct {
			Ready   bool   `json:"ready"`
			Message string `json:"message"`
		}
		lastErr = do(&http.Client{Timeout: 2 * time.Second}, http.MethodGet, b.base, "/status", nil, &st)
		if lastErr == nil && st.Ready {
			return nil
		}
		if lastErr == nil {
			lastErr = fmt.Errorf("not ready: %s", st.Message)
		}
		select {
		case <-b.waited:
			return fmt.Errorf("browser: chromedriver exited before it was ready (%v); its output:\n%s", b.driver.ProcessState, b.log)
		case <-ctx.Done():
			return fmt.Errorf("browser: chromedriver not ready: %v (last: %v); its output:\n%s", ctx.Err(), lastErr, b.log)
		case <-tick.C:
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// newSession asks chromedriver for a headless Chromium session.
func (b *Browser) newSession(chromium string, opts Options) error {
	w, h := opts.Width, opts.Height
	if w == 0 {
		w = 1400
	}
	if h == 0 {
		h = 1000
	}
	args := []string{
		"--headless=new",
		// Containers and CI runners rarely allow the user namespaces the
		// sandbox needs; the pages are the tests' own.
		"--no-sandbox",
		"--disable-gpu",
		// /dev/shm is 64 MB in Docker, too small for Chromium's renderer.
		"--disable-dev-shm-usage",
		// What follows keeps a test run from reaching the network on
		// Chromium's own account.
		"--disable-quic",
		"--no-first-run",
		"--disable-background-networking",
		"--disable-component-update",
		"--disable-sync",
		// Over a pipe rather than a port, Chromium quits when chromedriver
		// dies, even when nothing could delete the session.
		"--remote-debugging-pipe",
		fmt.Sprintf("--window-size=%d,%d", w, h),
		"--user-data-dir=" + b.profile,
	}
	args = append(args, opts.Args...)
	caps := map[string]any{
		"capabilities": map[string]any{
			"alwaysMatch": map[string]any{
				"browserName": "chrome",
				"goog:chromeOptions": map[string]any{
					"binary": chromium,
					"args":   args,
				},
			},
		},
	}
	var resp struct {
		SessionID string `json:"sessionId"`
	}
	if err := do(b.client, http.MethodPost, b.base, "/session", caps, &resp); err != nil {
		return fmt.Errorf("browser: starting Chromium (%s): %w; chromedriver's output:\n%s", chromium, err, b.log)
	}
	if resp.SessionID == "" {
		return errors.New("browser: chromedriver gave no session ID")
	}
	b.session = "/session/" + resp.SessionID
	return nil
}

// Close ends the session, which quits Chromium, stops chromedriver and
// removes the profile. It reports the first failure but always does all
// three.
func (b *Browser) Close() error {
	b.closeOnce.Do(func() {
		if b.session != "" {
			b.closeErr = b.cmd(http.MethodDelete, "", nil, nil)
		}
		b.stopDriver()
		if err := os.RemoveAll(b.profile); err != nil && b.closeErr == nil {
			b.closeErr = err
		}
	})
	return b.closeErr
}

// stopDriver kills chromedriver's process group, which also takes any
// Chromium a failed session left behind, and waits for it.
func (b *Browser) stopDriver() {
	if b.driver == nil || b.driver.Process == nil {
		return
	}
	killGroup(b.driver)
	<-b.waited
	b.driver = nil
}

// cmd sends a command of the session: path is relative to /session/ID.
func (b *Browser) cmd(method, path string, body, result any) error {
	return do(b.client, method, b.base, b.session+path, body, result)
}

// Navigate loads url and waits for it to load, as a reader's typing it
// would.
func (b *Browser) Navigate(url string) error {
	return b.cmd(http.MethodPost, "/url", map[string]string{"url": url}, nil)
}

// CurrentURL is the address of the page shown, fragment included.
func (b *Browser) CurrentURL() (string, error) {
	var s string
	err := b.cmd(http.MethodGet, "/url", nil, &s)
	return s, err
}

// Title is the page's title.
func (b *Browser) Title() (string, error) {
	var s string
	err := b.cmd(http.MethodGet, "/title", nil, &s)
	return s, err
}

// Source is the page's DOM serialised as HTML, as it stands now rather
// than as it was sent.
func (b *Browser) Source() (string, error) {
	var s string
	err := b.cmd(http.MethodGet, "/source", nil, &s)
	return s, err
}

// FindElement is the first element matching the CSS selector, or an error
// with code "no such element".
func (b *Browser) FindElement(css string) (*Element, error) {
	return b.findElement("", css)
}

// FindElements are all elements matching the CSS selector, in document
// order; none is not an error.
func (b *Browser) FindElements(css string) ([]*Element, error) {
	return b.findElements("", css)
}

// ExecuteScript runs script as the body of a function called with args,
// waiting for it to return, and decodes what it returns into result (nil
// to ignore it). An *Element among args reaches the script as its DOM
// element. The returned value must be JSON-serialisable.
func (b *Browser) ExecuteScript(result any, script string, args ...any) error {
	if args == nil {
		args = []any{}
	}
	return b.cmd(http.MethodPost, "/execute/sync", map[string]any{"script": script, "args": args}, result)
}

// WaitFor calls cond every 50 milliseconds until it returns true, and
// fails after timeout, with cond's last error if it had one. what names the
// awaited state for the error message.
func (b *Browser) WaitFor(what string, timeout time.Duration, cond func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if ok && err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			if err != nil {
				return fmt.Errorf("browser: waited %v for %s: %w", timeout, what, err)
			}
			return fmt.Errorf("browser: waited %v for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Screenshot is a PNG of the window's viewport.
func (b *Browser) Screenshot() ([]byte, error) {
	var s string
	if err := b.cmd(http.MethodGet, "/screenshot", nil, &s); err != nil {
		return nil, err
	}
	return decodePNG(s)
}

// FullPageScreenshot is a PNG of the whole page, beyond the viewport,
// taken through the Chrome DevTools commands chromedriver passes on: the
// viewport is stretched to the page's size for the capture and then given
// back, so the page's layout afterwards is what it was. (The capture's own
// captureBeyondViewport leaves the layout shifted, and clicks then miss.)
// Chromium cuts very tall pages at its texture limit, about 16000 pixels.
func (b *Browser) FullPageScreenshot() ([]byte, error) {
	var metrics struct {
		Content struct {
			Width  float64 `json:"width"`
			Height float64 `json:"height"`
		} `json:"cssContentSize"`
	}
	if err := b.cdp("Page.getLayoutMetrics", nil, &metrics); err != nil {
		return nil, err
	}
	var vp struct {
		W int `json:"w"`
		H int `json:"h"`
	}
	if err := b.ExecuteScript(&vp, "return {w: window.innerWidth, h: window.innerHeight}"); err != nil {
		return nil, err
	}
	w := max(vp.W, int(metrics.Content.Width+0.5))
	h := max(vp.H, int(metrics.Content.Height+0.5))
	if err := b.cdp("Emulation.setDeviceMetricsOverride", map[string]any{
		"width": w, "height": h, "deviceScaleFactor": 1, "mobile": false,
	}, nil); err != nil {
		return nil, err
	}
	var shot struct {
		Data string `json:"data"`
	}
	err := b.cdp("Page.captureScreenshot", map[string]any{"format": "png"}, &shot)
	if cerr := b.cdp("Emulation.clearDeviceMetricsOverride", nil, nil); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return decodePNG(shot.Data)
}

// cdp sends a Chrome DevTools Protocol command through chromedriver.
func (b *Browser) cdp(cmd string, params, result any) error {
	if params == nil {
		params = map[string]any{}
	}
	return b.cmd(http.MethodPost, "/goog/cdp/execute", map[string]any{"cmd": cmd, "params": params}, result)
}

func decodePNG(s string) ([]byte, error) {
	png, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("browser: screenshot is not base64: %v", err)
	}
	return png, nil
}

// Hover moves the mouse onto the centre of el, as a reader's pointer
// would: the page sees mouseover, mouseenter and :hover.
func (b *Browser) Hover(el *Element) error {
	return b.cmd(http.MethodPost, "/actions", map[string]any{
		"actions": []any{map[string]any{
			"type":       "pointer",
			"id":         "mouse",
			"parameters": map[string]string{"pointerType": "mouse"},
			"actions": []any{map[string]any{
				"type": "pointerMove", "duration": 0, "x": 0, "y": 0,
				"origin": el,
			}},
		}},
	}, nil)
}

// tailBuffer keeps the last max bytes written to it: chromedriver's
// output, quoted when it fails to start.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = t.buf[over:]
	}
	return len(p), nil
}

func (t *tailBuffer) Reset() {
	t.mu.Lock()
	t.buf = nil
	t.mu.Unlock()
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(bytes.TrimSpace(t.buf))
}
