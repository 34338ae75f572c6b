package browser

// These tests drive a real headless Chromium through a real chromedriver
// over a page served by httptest: nothing of the protocol is mocked. They
// fail, never skip, without the two programs; CI installs them.

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/emend/emend/internal/testutil"
)

// page has a link to an anchor far below the first screen, a hidden
// element, a styled one, a file input and a hover handler.
const page = `<!doctype html>
<html><head><meta charset="utf-8"><title>browser test</title>
<style>
  #far { margin-top: 3000px; }
  .hl { background-color: rgb(255, 235, 59); }
  #hidden { display: none; }
</style></head>
<body>
<p><a id="go" href="#far">to the anchor</a> <span class="hl" id="hl">highlighted</span></p>
<p id="hidden">not shown</p>
<p id="hovered" onmouseover="this.dataset.seen='yes'">hover me</p>
<input type="file" id="file">
<ul><li class="item">one</li><li class="item">two</li><li class="item">three</li></ul>
<h2 id="far">Far down</h2>
</body></html>`

func openTestBrowser(t *testing.T) *Browser {
	t.Helper()
	testutil.RequireTools(t, "apt-get install chromium chromium-driver", "chromium", "chromedriver")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b, err := Open(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return b
}

func serve(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// find is the element matching css, failing the test without one.
func find(t *testing.T, b *Browser, css string) *Element {
	t.Helper()
	el, err := b.FindElement(css)
	if err != nil {
		t.Fatal(err)
	}
	return el
}

// ok fails the test on err; its results say what a query gave otherwise.
func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestBrowser(t *testing.T) {
	b := openTestBrowser(t)
	base := serve(t)
	if err := b.Navigate(base + "/"); err != nil {
		t.Fatal(err)
	}
	title, err := b.Title()
	ok(t, err)
	if title != "browser test" {
		t.Errorf("Title = %q, want %q", title, "browser test")
	}

	t.Run("click to anchor", func(t *testing.T) {
		if err := find(t, b, "a#go").Click(); err != nil {
			t.Fatal(err)
		}
		var hash string
		if err := b.ExecuteScript(&hash, "return location.hash"); err != nil {
			t.Fatal(err)
		}
		if hash != "#far" {
			t.Errorf("location.hash = %q after clicking the link, want #far", hash)
		}
		u, err := b.CurrentURL()
		ok(t, err)
		if !strings.HasSuffix(u, "/#far") {
			t.Errorf("CurrentURL = %q, want it to end in /#far", u)
		}
		// The anchor was 3000 pixels down: the click must have scrolled
		// it into the 1000-pixel window.
		var top, height float64
		far := find(t, b, "#far")
		if err := b.ExecuteScript(&top, "return arguments[0].getBoundingClientRect().top", far); err != nil {
			t.Fatal(err)
		}
		if err := b.ExecuteScript(&height, "return window.innerHeight"); err != nil {
			t.Fatal(err)
		}
		if top < 0 || top >= height {
			t.Errorf("#far top = %v after the jump, want it within the viewport [0, %v)", top, height)
		}
	})

	t.Run("script arguments and results", func(t *testing.T) {
		var got struct {
			Sum  int      `json:"sum"`
			Tag  string   `json:"tag"`
			Seen []string `json:"seen"`
		}
		items, err := b.FindElements("li.item")
		ok(t, err)
		err = b.ExecuteScript(&got, `
			const [a, b, el, els] = arguments;
			return {sum: a + b, tag: el.tagName, seen: els.map(e => e.textContent)};`,
			2, 3, find(t, b, "ul"), items)
		if err != nil {
			t.Fatal(err)
		}
		if got.Sum != 5 || got.Tag != "UL" || strings.Join(got.Seen, ",") != "one,two,three" {
			t.Errorf("script result = %+v, want sum 5, tag UL, seen one,two,three", got)
		}
	})

	t.Run("element queries", func(t *testing.T) {
		txt, err := find(t, b, "#far").Text()
		ok(t, err)
		if txt != "Far down" {
			t.Errorf("Text = %q, want %q", txt, "Far down")
		}
		items, err := find(t, b, "ul").FindElements(".item")
		ok(t, err)
		if len(items) != 3 {
			t.Errorf("ul has %d .item, want 3", len(items))
		}
		bg, err := find(t, b, "#hl").CSSValue("background-color")
		ok(t, err)
		// WebDriver gives colours in rgba(), whatever the style sheet said.
		if bg != "rgba(255, 235, 59, 1)" {
			t.Errorf("computed background-color = %q, want rgba(255, 235, 59, 1)", bg)
		}
		for css, want := range map[string]bool{"#hidden": false, "#hl": true} {
			shown, err := find(t, b, css).IsDisplayed()
			ok(t, err)
			if shown != want {
				t.Errorf("%s IsDisplayed = %v, want %v", css, shown, want)
			}
		}
		link := find(t, b, "a#go")
		v, present, err := link.Attribute("href")
		ok(t, err)
		if !present || v != "#far" {
			t.Errorf("href attribute = %q, %v; want #far, true", v, present)
		}
		_, present, err = link.Attribute("data-none")
		ok(t, err)
		if present {
			t.Error("absent attribute reported present")
		}
		var prop string
		ok(t, link.Property("href", &prop))
		if !strings.HasPrefix(prop, "http://") || !strings.HasSuffix(prop, "#far") {
			t.Errorf("href property = %q, want the resolved URL", prop)
		}
	})

	t.Run("no such element", func(t *testing.T) {
		_, err := b.FindElement("#nothing-here")
		if code := ErrorCode(err); code != "no such element" {
			t.Errorf("FindElement(#nothing-here): error %v, code %q; want code %q", err, code, "no such element")
		}
		if err != nil && !strings.Contains(err.Error(), "no such element") {
			t.Errorf("error %q does not name its code", err)
		}
	})

	t.Run("file input", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "upload.txt")
		if err := os.WriteFile(path, []byte("hello"), 0o644); err != nil {
			t.Fatal(err)
		}
		in := find(t, b, "#file")
		if err := in.SendKeys(path); err != nil {
			t.Fatal(err)
		}
		var name string
		if err := b.ExecuteScript(&name, "return arguments[0].files[0].name", in); err != nil {
			t.Fatal(err)
		}
		if name != "upload.txt" {
			t.Errorf("chosen file = %q, want upload.txt", name)
		}
	})

	t.Run("hover", func(t *testing.T) {
		el := find(t, b, "#hovered")
		if err := b.Hover(el); err != nil {
			t.Fatal(err)
		}
		err := b.WaitFor("the mouseover handler", 5*time.Second, func() (bool, error) {
			v, _, err := el.Attribute("data-seen")
			return v == "yes", err
		})
		if err != nil {
			t.Error(err)
		}
	})

	t.Run("screenshots", func(t *testing.T) {
		// A full-page capture must leave the layout as it found it, or
		// clicks afterwards land beside their targets.
		const layout = "return [innerWidth, innerHeight, document.querySelector('#hl').getBoundingClientRect().left]"
		var before, after []float64
		ok(t, b.ExecuteScript(&before, layout))
		defer func() {
			ok(t, b.ExecuteScript(&after, layout))
			if fmt.Sprint(before) != fmt.Sprint(after) {
				t.Errorf("layout [innerWidth innerHeight #hl.left] was %v before the screenshots, %v after", before, after)
			}
		}()
		shots := map[string]func() ([]byte, error){
			"window":    b.Screenshot,
			"full page": b.FullPageScreenshot,
			"element":   find(t, b, "#hl").Screenshot,
		}
		for name, shoot := range shots {
			data, err := shoot()
			if err != nil {
				t.Errorf("%s screenshot: %v", name, err)
				continue
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Errorf("%s screenshot does not decode as PNG: %v", name, err)
				continue
			}
			sz := img.Bounds().Size()
			if sz.X == 0 || sz.Y == 0 {
				t.Errorf("%s screenshot is empty", name)
			}
			if name == "full page" && sz.Y < 3000 {
				t.Errorf("full-page screenshot is %v tall, want the whole 3000-pixel page", sz.Y)
			}
		}
	})

	t.Run("source", func(t *testing.T) {
		src, err := b.Source()
		ok(t, err)
		if !strings.Contains(src, `id="far"`) {
			t.Errorf("page source lacks the anchor:\n%.300s", src)
		}
	})
}

// TestCloseStopsEverything checks that Close quits Chromium and
// chromedriver and removes the profile, and that commands then fail.
func TestCloseStopsEverything(t *testing.T) {
	testutil.RequireTools(t, "apt-get install chromium chromium-driver", "chromium", "chromedriver")
	b, err := Open(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	pid, profile := b.driver.Process.Pid, b.profile
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := os.Stat(profile); !os.IsNotExist(err) {
		t.Errorf("profile %s still there after Close (stat: %v)", profile, err)
	}
	// Chromium runs in chromedriver's process group, which Close killed.
	if procs := groupMembers(t, pid); len(procs) > 0 {
		t.Errorf("processes of chromedriver's group still running after Close: %v", procs)
	}
	if _, err := b.Title(); err == nil {
		t.Error("Title after Close succeeded")
	}
	if err := b.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// groupMembers lists the processes in process group pgid, from /proc.
func groupMembers(t *testing.T, pgid int) []string {
	t.Helper()
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil || len(stats) == 0 {
		t.Fatalf("cannot list processes from /proc (%v)", err)
	}
	var found []string
	for _, f := range stats {
		data, err := os.ReadFile(f)
		if err != nil {
			continue // gone meanwhile
		}
		// pid (comm) state ppid pgrp ...; comm may hold spaces.
		s := string(data)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(s[i+1:])
		if len(fields) > 2 && fields[2] == fmt.Sprint(pgid) && fields[0] != "Z" {
			found = append(found, s[:i+1])
		}
	}
	return found
}

// helperEnv makes the test binary, run again by TestNoOrphans, open a
// browser, print chromedriver's process group and exit without Close.
const helperEnv = "EMEND_BROWSER_TEST_EXIT_OPEN"

// TestNoOrphans checks that chromedriver and Chromium go away when the
// process that opened them dies without Close, as a test binary stopped
// by -timeout does.
func TestNoOrphans(t *testing.T) {
	if os.Getenv(helperEnv) == "1" {
		b, err := Open(context.Background(), Options{})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("pgid:", b.driver.Process.Pid)
		os.Exit(0)
	}
	testutil.RequireTools(t, "apt-get install chromium chromium-driver", "chromium", "chromedriver")
	if runtime.GOOS != "linux" {
		t.Fatalf("this test reads /proc and relies on Linux's parent-death signal; GOOS is %s", runtime.GOOS)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNoOrphans$")
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	var pgid int
	if _, err := fmt.Sscanf(string(out), "pgid: %d", &pgid); err != nil {
		t.Fatalf("helper printed no process group: %v\n%s", err, out)
	}
	var left []string
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if left = groupMembers(t, pgid); len(left) == 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("30s after the process that opened the browser exited, its group still runs: %v", left)
}
