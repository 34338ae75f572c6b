package batch

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// counts are a run's tallies, shared by the submitter, the result loop
// and the progress display.
type counts struct {
	mu       sync.Mutex
	start    time.Time
	found    int  // documents found so far
	walked   bool // every input has been walked: found is the total
	skipped  int  // done by an earlier run
	earlier  int  // failed in an earlier run, not queued again
	finished int  // final results this run
	done     int  // of them, done
	failed   int  // not done: this run's failures and the earlier ones
	pages    int
	lastDone int
	lastTick time.Time
	rate     float64 // documents per second, smoothed
}

// progress draws a bar on a terminal and writes plain lines elsewhere.
type progress struct {
	w           io.Writer
	interactive bool
	every       time.Duration
	c           *counts
	stop, done  chan struct{}
	stopOnce    sync.Once
	drawn       bool
}

func startProgress(w io.Writer, interactive bool, every time.Duration, c *counts) *progress {
	p := &progress{w: w, interactive: interactive, every: every, c: c, stop: make(chan struct{}), done: make(chan struct{})}
	if w == nil {
		close(p.done)
		return p
	}
	if interactive {
		p.every = 200 * time.Millisecond
	}
	go p.run()
	return p
}

func (p *progress) run() {
	defer close(p.done)
	t := time.NewTicker(p.every)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			if p.interactive && p.drawn {
				fmt.Fprintf(p.w, "\r\033[K%s\n", p.line(time.Now()))
			}
			return
		case now := <-t.C:
			if p.interactive {
				fmt.Fprintf(p.w, "\r\033[K%s", p.line(now))
				p.drawn = true
			} else {
				fmt.Fprintf(p.w, "emend batch: %s\n", p.line(now))
			}
		}
	}
}

func (p *progress) close() {
	if p.w == nil {
		return
	}
	p.stopOnce.Do(func() { close(p.stop) })
	<-p.done
}

// line renders the state: "[####----] 1234/10000 docs (3 failed) 2345
// pages  41.2 docs/s  80.1 pages/s  ETA 3m32s".
func (p *progress) line(now time.Time) string {
	c := p.c
	c.mu.Lock()
	found, done, failed, pages, walked := c.found, c.finished+c.skipped+c.earlier, c.failed, c.pages, c.walked
	if !c.lastTick.IsZero() {
		dt := now.Sub(c.lastTick).Seconds()
		if dt > 0 {
			inst := float64(c.finished-c.lastDone) / dt
			if c.rate == 0 {
				c.rate = inst
			} else {
				c.rate = 0.8*c.rate + 0.2*inst
			}
		}
	}
	c.lastTick, c.lastDone = now, c.finished
	elapsed := now.Sub(c.start).Seconds()
	finished, rate := c.finished, c.rate
	c.mu.Unlock()

	var b strings.Builder
	total := fmt.Sprintf("%d+", found)
	if walked {
		total = fmt.Sprint(found)
	}
	if p.interactive && walked && found > 0 {
		const width = 24
		filled := min(width, done*width/found)
		b.WriteString("[" + strings.Repeat("#", filled) + strings.Repeat("-", width-filled) + "] ")
	}
	fmt.Fprintf(&b, "%d/%s documents", done, total)
	if failed > 0 {
		fmt.Fprintf(&b, " (%d failed)", failed)
	}
	fmt.Fprintf(&b, ", %d pages", pages)
	if elapsed > 0 {
		fmt.Fprintf(&b, ", %.1f docs/s, %.1f pages/s", float64(finished)/elapsed, float64(pages)/elapsed)
	}
	if walked && rate > 0 && done < found {
		eta := time.Duration(float64(found-done) / rate * float64(time.Second))
		fmt.Fprintf(&b, ", ETA %s", eta.Round(time.Second))
	}
	return b.String()
}
