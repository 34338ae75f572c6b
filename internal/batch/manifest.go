package batch

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
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
	keys    map[string]Status // the last status written for each key
	byRel   map[string]manifestEntry
}

// manifestEntry is what resuming needs to know of a document.
type manifestEntry struct {
	Key      string
	Hash     string
	Size     int64
	ModTime  int64
	Status   Status
	Pipeline string
	Outputs  []string
}

// openManifest opens the manifest for appending and loads what it says.
// A line cut short by a crash is removed: it is the last line, and its
// result is still in the queue, unacked, to be written again.
func openManifest(path string) (*manifest, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	m := &manifest{f: f, keys: map[string]Status{}, byRel: map[string]manifestEntry{}}
	good, err := m.load(f)
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
	m.keys[res.Key] = res.Status
	id := res.Rel
	if id == "" {
		id = res.Input
	}
	m.byRel[id] = manifestEntry{
		Key: res.Key, Hash: res.Hash, Size: res.Size, ModTime: res.ModTime,
		Status: res.Status, Pipeline: res.Pipeline, Outputs: res.Outputs,
	}
}

func (m *manifest) has(key string) bool {
	_, ok := m.keys[key]
	return ok
}

// changes reports whether res says something the manifest does not: a
// new key, or a new status for one.
func (m *manifest) changes(res Result) bool {
	st, ok := m.keys[res.Key]
	return !ok || st != res.Status
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

// sync writes the queued lines and flushes them to disk.
func (m *manifest) sync() error {
	if m.pending.Len() == 0 {
		return nil
	}
	if _, err := m.f.Write(m.pending.Bytes()); err != nil {
		return err
	}
	m.pending.Reset()
	return m.f.Sync()
}

func (m *manifest) close() error {
	err := m.sync()
	if cerr := m.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// outputsPresent reports whether every output an entry lists exists.
func outputsPresent(out string, e manifestEntry) bool {
	if len(e.Outputs) == 0 {
		return false
	}
	for _, rel := range e.Outputs {
		p, err := outputPath(out, rel)
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
