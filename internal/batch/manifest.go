package batch

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/emend/emend/pipeline"
)

// ManifestName is the manifest's file name in the output directory.
const ManifestName = "manifest.jsonl"

// manifest is DIR/manifest.jsonl: one JSON line per document, appended by
// the batch process alone (workers send results through the queue), and
// synced before the results are acked, so a line is never lost. A line
// for a key already written is never written again.
type manifest struct {
	f       *os.File
	pending bytes.Buffer
	undo    []undoEntry // what the lines not yet synced changed in byID
	// byID holds, for each document (its rel, or its input when it has
	// none), what its last line says, in a few dozen bytes: a dump of
	// millions of documents must fit in memory.
	byID map[digest]manifestEntry
}

type undoEntry struct {
	id   digest
	prev manifestEntry
	had  bool
}

// digest stands for a string the manifest index need not keep whole.
type digest [16]byte

func digestOf(s string) digest {
	sum := sha256.Sum256([]byte(s))
	return digest(sum[:16])
}

// manifestEntry is what resuming needs to know of a document.
type manifestEntry struct {
	key      digest // of the job key: content hash, pipeline and rel
	pipeline digest
	size     int64
	modTime  int64
	status   Status
}

// resultID is the manifest's name for the document of a result.
func resultID(rel, input string) string {
	if rel == "" {
		// Apart from rels: "docs/a.txt" named as an input must not be taken
		// for the document whose output path is docs/a.txt.
		return "\x00input:" + input
	}
	return rel
}

// openManifest opens the manifest for appending and loads what it says.
// A line cut short by a crash is removed: it is the last line, and its
// result is still in the queue, unacked, to be written again.
func openManifest(path string) (*manifest, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	// Locked before it is read or repaired: two runs with the same output
	// and different --state must not both append to it.
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, ErrLocked
	}
	m := &manifest{f: f, byID: map[digest]manifestEntry{}}
	good, err := m.load(f)
	m.undo = nil // loaded lines are on disk already
	if err == nil {
		err = f.Truncate(good)
	}
	if err == nil {
		_, err = f.Seek(good, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return m, nil
}

// load reads every complete line and returns the offset after the last.
func (m *manifest) load(r io.Reader) (int64, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var off int64
	for {
		line, err := br.ReadBytes('\n')
		if err == io.EOF {
			return off, nil // a partial last line, if any, is dropped
		}
		if err != nil {
			return off, err
		}
		var res Result
		if jerr := json.Unmarshal(line, &res); jerr != nil || res.Key == "" {
			return off, nil // torn write: everything from here goes
		}
		off += int64(len(line))
		m.note(res)
	}
}

func (m *manifest) note(res Result) {
	id := digestOf(resultID(res.Rel, res.Input))
	prev, had := m.byID[id]
	m.undo = append(m.undo, undoEntry{id, prev, had})
	st := res.Status
	for _, known := range []Status{StatusDone, StatusPartial, StatusFailed, StatusDead, StatusRefused} {
		if st == known {
			st = known // one copy of the string, not one per line
		}
	}
	m.byID[id] = manifestEntry{
		key: digestOf(res.Key), pipeline: digestOf(res.Pipeline),
		size: res.Size, modTime: res.ModTime, status: st,
	}
}

// lookup returns what the manifest says of a document.
func (m *manifest) lookup(id string) (manifestEntry, bool) {
	e, ok := m.byID[digestOf(id)]
	return e, ok
}

// knows reports whether the document's last line is for this key.
func (m *manifest) knows(id, key string) bool {
	e, ok := m.lookup(id)
	return ok && e.key == digestOf(key)
}

// changes reports whether res says something the manifest does not: a
// new document or content, or a new status.
func (m *manifest) changes(res Result) bool {
	e, ok := m.lookup(resultID(res.Rel, res.Input))
	return !ok || e.key != digestOf(res.Key) || e.status != res.Status
}

// add queues a result's line; sync writes it.
func (m *manifest) add(res Result) error {
	data, err := json.Marshal(res)
	if err != nil {
		return err
	}
	m.pending.Write(data)
	m.pending.WriteByte('\n')
	m.note(res)
	return nil
}

// sync writes the queued lines and flushes them to disk. If that fails,
// the file is cut back to where it was and the index forgets the lines:
// their results are unacked and come again.
func (m *manifest) sync() error {
	if m.pending.Len() == 0 {
		return nil
	}
	off, err := m.f.Seek(0, io.SeekCurrent)
	if err == nil {
		if _, err = m.f.Write(m.pending.Bytes()); err == nil {
			err = m.f.Sync()
		}
	}
	m.pending.Reset()
	if err != nil {
		for i := len(m.undo) - 1; i >= 0; i-- {
			u := m.undo[i]
			if u.had {
				m.byID[u.id] = u.prev
			} else {
				delete(m.byID, u.id)
			}
		}
		m.undo = m.undo[:0]
		if terr := m.f.Truncate(off); terr == nil {
			_, _ = m.f.Seek(off, io.SeekStart)
		}
		return err
	}
	m.undo = m.undo[:0]
	return nil
}

func (m *manifest) close() error {
	err := m.sync()
	if cerr := m.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// outputsPresent reports whether every output of rel in formats exists.
func outputsPresent(out, rel string, formats []pipeline.Format) bool {
	if rel == "" || len(formats) == 0 {
		return false
	}
	for _, f := range formats {
		p, err := outputPath(out, rel+f.Ext())
		if err != nil {
			return false
		}
		if _, err := os.Stat(p); err != nil {
			return false
		}
	}
	return true
}

// isTempName matches the temporary files clean.WriteFileAtomic makes.
func isTempName(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-")
}

// sweepTemp removes temporary output files a killed process left in out,
// and returns how many it removed. state (the queue's store) is skipped.
func sweepTemp(out, state string) (int, error) {
	n := 0
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable corners hold no outputs of ours
		}
		if d.IsDir() && p == state {
			return filepath.SkipDir
		}
		if !d.IsDir() && isTempName(d.Name()) {
			if os.Remove(p) == nil {
				n++
			}
		}
		return nil
	})
	return n, err
}
