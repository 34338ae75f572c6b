package main

// Tests of "emend eval": its figures must be the shared scorer's on the same
// two files, in the JSON counts and in the printed line, and --cases must
// run a directory of cases.

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// scorerCounts are the integer fields the scorer's JSON and "emend eval
// -json" share.
type scorerCounts struct {
	GoldChars, CharErrs        int
	GoldWords, WordErrs        int
	MarkGold, MarkOut, MarkHit int
	ParaGold, ParaOut, ParaHit int
	NoteGold, NoteOut, NoteHit int
}

// scorer returns ../shared/bin/score, built once by running it.
func scorer(t *testing.T) string {
	t.Helper()
	score := filepath.Join(sharedDir(t), "bin", "score")
	doc := filepath.Join(t.TempDir(), "doc.md")
	writeFile(t, doc, []byte("a[^1]\n\n[^1]: b\n"))
	if out, err := exec.Command(score, doc, doc).CombinedOutput(); err != nil {
		t.Fatalf("building the scorer with %s: %v\n%s", score, err, out)
	}
	return score
}

// outputPair is a gold and an output to score against it.
type outputPair struct {
	name, reason string
	gold, out    []byte
}

// outputPairs gives, for each seed, emend's output, and for the short seeds
// outputs damaged in each way the metrics count, so that the comparison with
// the scorer is not only over perfect scores. (The long seeds would only
// make the scorer's quadratic edit distance slow.)
func outputPairs(t *testing.T) []outputPair {
	t.Helper()
	var pairs []outputPair
	for _, c := range seedCases(t) {
		gold := readFile(t, c.gold)
		r := runInProcess(t, "clean", "-f", "md", c.input)
		if r.code != 0 {
			t.Fatalf("cleaning %s: %s", c.input, r.stderr)
		}
		g := string(gold)
		firstRef := regexp.MustCompile(`\[\^\d+\]`).FindStringIndex(g)
		damaged := []struct {
			name, reason, out string
		}{
			{"emend", "emend's own output", r.stdout},
			{"input", "the raw input, as a user gets it without emend", string(readFile(t, c.input))},
			{"merged", "paragraphs run together: paragraph starts lost",
				strings.Replace(strings.Replace(g, "\n\n", " ", 3), "\n\n", "\n\n\n", 1)},
			{"characters", "letters changed, curly quotes and dashes that fold to ASCII",
				strings.NewReplacer("the ", "teh ", "tion", "toin", "\"", "\u201c", "-", "\u2013").Replace(g)},
			{"markers", "every other marker moved before its word and renumbered",
				moveEveryOtherMarker(g)},
			{"notes", "a definition changed and one dropped",
				regexp.MustCompile(`(?m)^\[\^1\]: .*\n`).ReplaceAllString(strings.Replace(g, "]: ", "]: The ", 2), "")},
			{"empty", "nothing at all", ""},
			{"invalid UTF-8", "bytes that are not UTF-8", g[:len(g)/2] + "\xff\xfe\x80 " + g[len(g)/2:]},
		}
		if firstRef != nil {
			damaged = append(damaged, struct{ name, reason, out string }{
				"spaced marker", "a marker standing alone after a space belongs to the word before",
				g[:firstRef[0]] + " " + g[firstRef[0]:]})
		}
		if len(gold) > 4000 {
			damaged = damaged[:1]
		}
		for _, d := range damaged {
			pairs = append(pairs, outputPair{name: c.name + "/" + d.name, reason: d.reason, gold: gold, out: []byte(d.out)})
		}
	}
	return pairs
}

// moveEveryOtherMarker writes every other "word[^N]" of md as "[^9]word".
func moveEveryOtherMarker(md string) string {
	n := 0
	re := regexp.MustCompile(`(\w+)([,.;]?)\[\^(\d+)\]`)
	return re.ReplaceAllStringFunc(md, func(m string) string {
		n++
		if n%2 == 1 {
			return m
		}
		return re.ReplaceAllString(m, "[^9]$1$2")
	})
}

func TestEvalJSONAgreesWithScorer(t *testing.T) {
	score := scorer(t)
	dir := t.TempDir()
	for i, p := range outputPairs(t) {
		gold := filepath.Join(dir, fmt.Sprintf("%d-gold.md", i))
		out := filepath.Join(dir, fmt.Sprintf("%d-out.md", i))
		writeFile(t, gold, p.gold)
		writeFile(t, out, p.out)

		b, err := exec.Command(score, gold, out).Output()
		if err != nil {
			t.Errorf("%s: score: %v", p.name, err)
			continue
		}
		var want scorerCounts
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatalf("%s: scorer JSON: %v\n%s", p.name, err, b)
		}
		r := runInProcess(t, "eval", "-json", gold, out)
		if r.code != 0 {
			t.Fatalf("%s: emend eval -json: exit status %d\n%s", p.name, r.code, r.stderr)
		}
		var got scorerCounts
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
			t.Fatalf("%s: emend eval -json: %v\n%s", p.name, err, r.stdout)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (%s): counts differ from the scorer's (-score +emend):\n%s", p.name, p.reason, diff)
		}
	}
}

// figures are the fields of a report line that depend on the scores: not
// the name, which differs, nor the time.
var figures = regexp.MustCompile(`CER=\s*\S+ WER=\s*\S+ markP=\S+ markR=\S+ paraF1=\S+ notes=\S+`)

// TestEvalLineAgreesWithScorer runs the scorer's -cases mode with an
// "emend" that copies prepared outputs into place, so that its per-input
// line can be set beside "emend eval GOLD OUT" for the same pair.
func TestEvalLineAgreesWithScorer(t *testing.T) {
	score := scorer(t)
	corpus := t.TempDir()
	pairs := outputPairs(t)
	names := map[string]outputPair{}
	for i, p := range pairs {
		cdir := filepath.Join(corpus, fmt.Sprintf("case-%03d", i))
		if err := os.Mkdir(cdir, 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(cdir, "gold.md"), p.gold)
		// Not .md: the scorer takes *.md files for notes, not inputs.
		writeFile(t, filepath.Join(cdir, "out.txt"), p.out)
		names[fmt.Sprintf("case-%03d/out.txt", i)] = p
	}
	// The scorer runs BIN clean -f md -o OUT INPUT.
	fake := filepath.Join(t.TempDir(), "copy-emend")
	writeFile(t, fake, []byte("#!/bin/sh\n[ \"$1 $2 $3 $4\" = \"clean -f md -o\" ] || exit 9\nexec cp \"$6\" \"$5\"\n"))
	if err := os.Chmod(fake, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := exec.Command(score, "-cases", corpus, "-emend", fake).Output()
	if err != nil {
		t.Fatalf("score -cases: %v\n%s", err, b)
	}
	seen := 0
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		p, ok := names[f[0]]
		if !ok {
			continue
		}
		seen++
		if strings.Contains(line, "FAILED") {
			t.Errorf("%s: the scorer could not run the copying emend: %s", p.name, line)
			continue
		}
		r := runInProcess(t, "eval", filepath.Join(corpus, filepath.Dir(f[0]), "gold.md"), filepath.Join(corpus, f[0]))
		if r.code != 0 {
			t.Fatalf("%s: emend eval: exit status %d\n%s", p.name, r.code, r.stderr)
		}
		want, got := figures.FindString(line), figures.FindString(r.stdout)
		t.Logf("%-28s %s", p.name, got)
		if want == "" || want != got {
			t.Errorf("%s (%s):\nscore: %s\nemend: %s", p.name, p.reason, want, got)
		}
	}
	if seen != len(pairs) {
		t.Errorf("the scorer reported %d of %d inputs:\n%s", seen, len(pairs), b)
	}
}

func TestEvalCases(t *testing.T) {
	c := seedCases(t)[0]
	dir := t.TempDir()
	cdir := filepath.Join(dir, "one-case")
	if err := os.Mkdir(cdir, 0o755); err != nil {
		t.Fatal(err)
	}
	gold := readFile(t, c.gold)
	writeFile(t, filepath.Join(cdir, "gold.md"), gold)
	writeFile(t, filepath.Join(cdir, "input.txt"), readFile(t, c.input))
	writeFile(t, filepath.Join(cdir, "hyphens.txt"), []byte("organi-zations\n"))
	writeFile(t, filepath.Join(cdir, "notes.md"), []byte("not an input\n"))
	notes := len(regexp.MustCompile(`(?m)^\[\^\d+\]: `).FindAll(gold, -1))

	r := runInProcess(t, "eval", "--cases", dir)
	if r.code != 0 {
		t.Fatalf("emend eval --cases: exit status %d\n%s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	inputLine := regexp.MustCompile(`^one-case/input\.txt +n=1 +fail=0 +CER=`)
	var inputs, all []string
	for _, ln := range lines {
		if inputLine.MatchString(ln) {
			inputs = append(inputs, ln)
		}
		if strings.HasPrefix(ln, "ALL ") {
			all = append(all, ln)
		}
	}
	if len(inputs) != 1 || len(all) != 1 {
		t.Fatalf("want one line for one-case/input.txt and one ALL line (hyphens.txt and notes.md are no inputs), got:\n%s", r.stdout)
	}
	if want := fmt.Sprintf("notes=%d/%d", notes, notes); !strings.Contains(all[0], want) || !strings.Contains(all[0], "n=1 ") {
		t.Errorf("ALL line %q: want n=1 and %s", all[0], want)
	}
	// The case's figures are those of cleaning and evaluating by hand.
	out := filepath.Join(dir, "out.md")
	if cr := runInProcess(t, "clean", "-o", out, filepath.Join(cdir, "input.txt")); cr.code != 0 {
		t.Fatalf("clean: %s", cr.stderr)
	}
	single := runInProcess(t, "eval", filepath.Join(cdir, "gold.md"), out)
	if want, got := figures.FindString(single.stdout), figures.FindString(inputs[0]); want == "" || want != got {
		t.Errorf("--cases figures %q differ from clean + eval's %q", got, want)
	}

	t.Run("only", func(t *testing.T) {
		r := runInProcess(t, "eval", "--cases", dir, "--only", "layout.txt")
		if r.code != 0 || strings.Contains(r.stdout, "one-case/") || !strings.Contains(r.stdout, "ALL ") {
			t.Errorf("--only matching nothing: exit %d, want no input line and an ALL line:\n%s%s", r.code, r.stdout, r.stderr)
		}
	})

	t.Run("failed input", func(t *testing.T) {
		writeFile(t, filepath.Join(cdir, "broken.txt"), nil)
		defer os.Remove(filepath.Join(cdir, "broken.txt"))
		r := runInProcess(t, "eval", "--cases", dir)
		if !strings.Contains(r.stdout, "one-case/broken.txt") || !strings.Contains(r.stdout, "FAILED") {
			t.Errorf("an empty input must be reported as FAILED:\n%s", r.stdout)
		}
		if !regexp.MustCompile(`(?m)^ALL +n=1 +fail=1 `).MatchString(r.stdout) {
			t.Errorf("ALL line must count one scored and one failed input:\n%s", r.stdout)
		}
	})
}

func TestEvalMissesAndErrors(t *testing.T) {
	c := seedCases(t)[1]
	dir := t.TempDir()
	out := filepath.Join(dir, "out.md")
	gold := string(readFile(t, c.gold))
	writeFile(t, out, []byte(strings.Replace(gold, "\n\n", " ", 1)))

	r := runInProcess(t, "eval", "-misses", c.gold, out)
	if r.code != 0 {
		t.Fatalf("eval -misses: exit status %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "paraF1=") || !strings.Contains(r.stdout, "paragraph") {
		t.Errorf("eval -misses on an output with two paragraphs merged lists no paragraph miss:\n%s", r.stdout)
	}

	r = runInProcess(t, "eval", c.gold, filepath.Join(dir, "missing.md"))
	if r.code != 1 || !strings.Contains(r.stderr, "missing.md") || len(r.stderrLines()) != 1 {
		t.Errorf("eval with a missing output: exit %d, stderr %q; want 1 and one line naming it", r.code, r.stderr)
	}
}
