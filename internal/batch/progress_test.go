package batch

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	start := time.Now().Add(-10 * time.Second)
	c := &counts{start: start, found: 300, skipped: 50, finished: 100, failed: 2, pages: 400}
	p := &progress{c: c, interactive: true}
	// The first line has no rate yet, so no ETA; the total is open while
	// the walk goes on.
	line := p.line(start.Add(10 * time.Second))
	for _, want := range []string{"150/300+ documents", "(2 failed)", "400 pages", "10.0 docs/s", "40.0 pages/s"} {
		if !strings.Contains(line, want) {
			t.Errorf("line %q lacks %q", line, want)
		}
	}
	if strings.Contains(line, "ETA") || strings.Contains(line, "[") {
		t.Errorf("no bar or ETA before the total is known: %q", line)
	}
	c.walked = true
	c.finished = 150 // 50 more in 5 s: 10 docs/s, 100 left
	line = p.line(start.Add(15 * time.Second))
	if !strings.Contains(line, "200/300 documents") || !strings.Contains(line, "ETA 10s") || !strings.HasPrefix(line, "[################--------]") {
		t.Errorf("line %q", line)
	}
}

func TestProgressPlainLines(t *testing.T) {
	var buf bytes.Buffer
	c := &counts{start: time.Now(), found: 3, walked: true, finished: 3}
	p := startProgress(&buf, false, 10*time.Millisecond, c)
	time.Sleep(50 * time.Millisecond)
	p.close()
	p.close() // twice is harmless
	out := buf.String()
	if !strings.HasPrefix(out, "emend batch: 3/3 documents") || strings.Contains(out, "\r") || strings.Contains(out, "\033") {
		t.Errorf("plain progress: %q", out)
	}
}
