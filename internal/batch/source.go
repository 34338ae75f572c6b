package batch

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// Item is one document found in the inputs.
type Item struct {
	// Input names the document for people: a path, or "dump.tar.gz:a/b.pdf"
	// for an archive entry.
	Input string
	// Rel is where its outputs go, relative to the output directory, with
	// forward slashes. It is always local: no "..", not absolute.
	Rel     string
	Size    int64
	ModTime time.Time
	// Err is set when the item is refused before it is read: an archive
	// entry whose name would escape the output directory, a file that
	// cannot be opened or is too large.
	Err error
}

// Walk calls fn for every document in inputs, in order, with a reader on
// its content (nil when item.Err is set). Inputs are files, directories
// (walked recursively, hidden files and folders skipped), globs, and .zip,
// .tar, .tar.gz and .tgz archives, which are read as streams: nothing is
// unpacked to disk and only one entry is open at a time. skip, when not
// nil, leaves out paths inside the tree (the output directory, when it lies
// within an input). An error from fn stops the walk and is returned.
func Walk(ctx context.Context, inputs []string, skip func(path string) bool, fn func(Item, io.Reader) error) error {
	many := len(inputs) > 1
	for _, in := range inputs {
		paths, err := expand(in)
		if err != nil {
			return err
		}
		for _, p := range paths {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := walkOne(ctx, p, many || len(paths) > 1, skip, fn); err != nil {
				return err
			}
		}
	}
	return nil
}

// CheckInputs reports, before a run starts, an input that names nothing:
// a usage error rather than a failed document.
func CheckInputs(inputs []string) error {
	for _, in := range inputs {
		if _, err := expand(in); err != nil {
			return err
		}
	}
	return nil
}

// expand turns an input into paths: itself when it exists, else the paths
// its glob pattern matches.
func expand(in string) ([]string, error) {
	if _, err := os.Stat(in); err == nil {
		return []string{in}, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", in, unwrapPath(err))
	}
	if !strings.ContainsAny(in, "*?[") {
		return nil, fmt.Errorf("%s: no such file or directory", in)
	}
	matches, err := filepath.Glob(in)
	if err != nil {
		return nil, fmt.Errorf("%s: bad pattern: %w", in, err)
	}
	if len(matches) == 0 {
		return nil, fmt.Errorf("%s: the pattern matches nothing", in)
	}
	return matches, nil
}

// walkOne handles one path. prefixed says whether outputs are grouped under
// the input's own name, which keeps two inputs from writing to the same
// place.
func walkOne(ctx context.Context, p string, prefixed bool, skip func(string) bool, fn func(Item, io.Reader) error) error {
	fi, err := os.Stat(p)
	if err != nil {
		return fn(Item{Input: p, Rel: fallbackRel(p), Err: unwrapPath(err)}, nil)
	}
	if fi.IsDir() {
		prefix := ""
		if prefixed {
			prefix = filepath.Base(filepath.Clean(p))
		}
		return walkDir(ctx, p, prefix, skip, fn)
	}
	if kind := archiveKind(p); kind != "" {
		prefix := ""
		if prefixed {
			prefix = strings.TrimSuffix(filepath.Base(p), kind)
		}
		return walkArchive(ctx, p, kind, prefix, fn)
	}
	return walkFile(p, fallbackRel(p), fi, fn)
}

// fallbackRel is the output path of a file named on the command line: the
// path as given when it stays below the working directory, else its base
// name.
func fallbackRel(p string) string {
	if filepath.IsLocal(p) {
		return filepath.ToSlash(filepath.Clean(p))
	}
	return filepath.Base(p)
}

func walkDir(ctx context.Context, root, prefix string, skip func(string) bool, fn func(Item, io.Reader) error) error {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return fmt.Errorf("%s: %w", root, unwrapPath(err))
	}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		rel, rerr := filepath.Rel(root, p)
		if rerr != nil {
			return rerr
		}
		rel = path.Join(prefix, filepath.ToSlash(rel))
		if err != nil {
			if p == root {
				return fmt.Errorf("%s: %w", p, unwrapPath(err))
			}
			// An unreadable folder is the documents in it failing, not the
			// run: report it and go on.
			if ferr := fn(Item{Input: p, Rel: rel, Err: unwrapPath(err)}, nil); ferr != nil {
				return ferr
			}
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if p != root && strings.HasPrefix(d.Name(), ".") || skip != nil && skip(p) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 && !linksInside(realRoot, p) {
			// A dump is not a way to reach the rest of the machine (and,
			// with --listen, to send it over the network).
			return fn(Item{Input: p, Rel: rel, Err: errors.New("symbolic link to a file outside the input folder; refused")}, nil)
		}
		fi, err := os.Stat(p) // follows a symlink to a file
		if err != nil {
			return fn(Item{Input: p, Rel: rel, Err: unwrapPath(err)}, nil)
		}
		if !fi.Mode().IsRegular() {
			return nil
		}
		return walkFile(p, rel, fi, fn)
	})
}

// linksInside reports whether the symbolic link p resolves to a file
// inside realRoot.
func linksInside(realRoot, p string) bool {
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		return true // a dangling link: opening it reports the error
	}
	rel, err := filepath.Rel(realRoot, target)
	return err == nil && filepath.IsLocal(rel)
}

func walkFile(p, rel string, fi os.FileInfo, fn func(Item, io.Reader) error) error {
	item := Item{Input: p, Rel: rel, Size: fi.Size(), ModTime: fi.ModTime()}
	f, err := os.Open(p)
	if err != nil {
		item.Err = unwrapPath(err)
		return fn(item, nil)
	}
	defer f.Close()
	return fn(item, f)
}

// archiveKind returns the archive suffix of p, or "" for other files.
func archiveKind(p string) string {
	lower := strings.ToLower(p)
	for _, ext := range []string{".tar.gz", ".tgz", ".tar", ".zip"} {
		if strings.HasSuffix(lower, ext) {
			return p[len(p)-len(ext):]
		}
	}
	return ""
}

func walkArchive(ctx context.Context, p, kind, prefix string, fn func(Item, io.Reader) error) error {
	if strings.EqualFold(kind, ".zip") {
		return walkZip(ctx, p, prefix, fn)
	}
	f, err := os.Open(p)
	if err != nil {
		return fn(Item{Input: p, Rel: fallbackRel(p), Err: unwrapPath(err)}, nil)
	}
	defer f.Close()
	var r io.Reader = bufio.NewReaderSize(f, 1<<16)
	if !strings.EqualFold(kind, ".tar") {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return fn(Item{Input: p, Rel: fallbackRel(p), Err: fmt.Errorf("not a gzip archive: %w", err)}, nil)
		}
		defer zr.Close()
		r = zr
	}
	tr := tar.NewReader(r)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
			// The rest of a damaged stream cannot be found: report the
			// archive once, after the entries that were read.
			return fn(Item{Input: p, Rel: fallbackRel(p), Err: fmt.Errorf("archive is damaged after the entries read so far: %w", err)}, nil)
		}
		if h.Typeflag != tar.TypeReg {
			continue // folders, links and devices hold no document
		}
		item := Item{Input: p + ":" + h.Name, Size: h.Size, ModTime: h.ModTime}
		item.Rel, item.Err = entryRel(prefix, h.Name)
		if skipEntry(h.Name) {
			continue
		}
		if item.Err != nil {
			if err := fn(item, nil); err != nil {
				return err
			}
			continue
		}
		if err := fn(item, tr); err != nil {
			return err
		}
	}
}

func walkZip(ctx context.Context, p, prefix string, fn func(Item, io.Reader) error) error {
	zr, err := zip.OpenReader(p)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return fn(Item{Input: p, Rel: fallbackRel(p), Err: fmt.Errorf("not a readable zip archive: %w", err)}, nil)
	}
	defer zr.Close()
	for _, zf := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		if zf.FileInfo().IsDir() || !zf.Mode().IsRegular() || skipEntry(zf.Name) {
			continue
		}
		item := Item{Input: p + ":" + zf.Name, Size: int64(zf.UncompressedSize64), ModTime: zf.Modified}
		item.Rel, item.Err = entryRel(prefix, zf.Name)
		if item.Err != nil {
			if err := fn(item, nil); err != nil {
				return err
			}
			continue
		}
		if err := walkZipEntry(zf, item, fn); err != nil {
			return err
		}
	}
	return nil
}

func walkZipEntry(zf *zip.File, item Item, fn func(Item, io.Reader) error) error {
	rc, err := zf.Open()
	if err != nil {
		item.Err = err
		return fn(item, nil)
	}
	defer rc.Close()
	return fn(item, rc)
}

// skipEntry leaves out hidden entries and the resource forks macOS adds to
// archives.
func skipEntry(name string) bool {
	for _, part := range strings.Split(strings.ReplaceAll(name, "\\", "/"), "/") {
		if strings.HasPrefix(part, ".") && part != "." && part != ".." || part == "__MACOSX" {
			return true
		}
	}
	return false
}

// ErrUnsafePath refuses an archive entry whose name would put its output
// outside the output directory.
var ErrUnsafePath = errors.New("entry name leaves the output directory; refused")

// entryRel turns an archive entry name into an output path, refusing names
// that are absolute or climb out ("../../etc/x", "/etc/x", "C:\x").
func entryRel(prefix, name string) (string, error) {
	slashed := strings.ReplaceAll(name, "\\", "/")
	if slashed == "" || path.IsAbs(slashed) || len(slashed) >= 2 && slashed[1] == ':' {
		return "", ErrUnsafePath
	}
	for _, part := range strings.Split(slashed, "/") {
		if part == ".." {
			return "", ErrUnsafePath
		}
	}
	rel := path.Join(prefix, path.Clean(slashed))
	if !filepath.IsLocal(filepath.FromSlash(rel)) {
		return "", ErrUnsafePath
	}
	return rel, nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
