package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestUserDictionary checks that --dict lists reach the stages: a name the
// embedded lists cannot know keeps its hyphen across a line end only when
// the user's list names it, and a broken list is a usage error that names
// the file and line.
func TestUserDictionary(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.txt")
	writeFile(t, in, []byte("The Secretary-General, Ban Ki-\nmoon, welcomed the report.\n"))

	plain := runInProcess(t, "clean", in)
	if plain.code != 0 {
		t.Fatalf("clean without --dict: exit %d, stderr %q", plain.code, plain.stderr)
	}
	if !strings.Contains(plain.stdout, "Kimoon") {
		t.Fatalf("without the user's list the typesetting hyphen should go (want \"Kimoon\"), got %q", plain.stdout)
	}

	list := filepath.Join(dir, "names.txt")
	writeFile(t, list, []byte("# source: our own style sheet; licence: ours\n[terms]\nKi-moon\n"))
	withDict := runInProcess(t, "clean", "--dict", list, in)
	if withDict.code != 0 {
		t.Fatalf("clean --dict: exit %d, stderr %q", withDict.code, withDict.stderr)
	}
	if !strings.Contains(withDict.stdout, "Ban Ki-moon,") {
		t.Fatalf("the user's term should keep its hyphen (want \"Ban Ki-moon,\"), got %q", withDict.stdout)
	}

	bad := filepath.Join(dir, "bad.txt")
	writeFile(t, bad, []byte("[terms]\nfine\n[nonsense]\nx\n"))
	broken := runInProcess(t, "clean", "--dict", bad, in)
	if broken.code != 2 {
		t.Fatalf("a broken list should be a usage error (exit 2), got %d", broken.code)
	}
	if !strings.Contains(broken.stderr, "bad.txt:3") {
		t.Fatalf("the error should name the file and line (bad.txt:3), got %q", broken.stderr)
	}
}
