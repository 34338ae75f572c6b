package evaluate

// These tests hold the package to the shared scorer itself: they build
// ../shared/bin/score and compare its figures with Compare's and its
// report with RunCases', on the corpus and on outputs written to provoke
// every rule of the metric.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// findShared finds the project's shared directory, which sits beside the
// module root (../shared from the module), by walking up from the test's
// working directory to a directory holding shared/bin/score.
func findShared() (string, bool) {
	wd, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for d := wd; ; {
		if fi, err := os.Stat(filepath.Join(d, "shared", "bin", "score")); err == nil && !fi.IsDir() {
			return filepath.Join(d, "shared"), true
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", false
		}
		d = parent
	}
}

// requireScorer returns the shared directory and the scorer's script, with
// the scorer built. Without them the test fails under CI, which always has
// shared/ beside the clone, and is skipped elsewhere.
func requireScorer(t *testing.T) (shared, score string) {
	t.Helper()
	shared, ok := findShared()
	if ok {
		if _, err := os.Stat(filepath.Join(shared, "corpus")); err != nil {
			ok = false
		}
	}
	if !ok {
		wd, _ := os.Getwd()
		msg := fmt.Sprintf("no shared/bin/score and shared/corpus in any directory above %s; "+
			"this test compares with the shared scorer and needs the project's shared/ beside the module", wd)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg + " (under CI this is a failure)")
	}
	score = filepath.Join(shared, "bin", "score")
	// Run it once here so that the script builds and caches the scorer
	// before parallel subtests call it.
	tmp := t.TempDir()
	doc := filepath.Join(tmp, "doc.md")
	if err := os.WriteFile(doc, []byte("a[^1]\n\n[^1]: b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(score, doc, doc).CombinedOutput(); err != nil {
		t.Fatalf("building the scorer with %s: %v\n%s", score, err, out)
	}
	return shared, score
}

// scorerFigures is the scorer's JSON line for one pair.
type scorerFigures struct {
	GoldChars, CharErrs        int
	CER                        float64
	GoldWords, WordErrs        int
	WER                        float64
	MarkGold, MarkOut, MarkHit int
	MarkP, MarkR               float64
	ParaGold, ParaOut, ParaHit int
	NoteGold, NoteOut, NoteHit int
}

func runScorer(t *testing.T, score, gold, out string) scorerFigures {
	t.Helper()
	cmd := exec.Command(score, gold, out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s %s: %v\n%s", score, gold, out, err, stderr.String())
	}
	var f scorerFigures
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s %s %s printed %q: %v", score, gold, out, b, err)
	}
	return f
}

// A scoredPair is a gold file and a file to score against it as output.
type scoredPair struct {
	name, gold, out string
}

func TestCompareAgreesWithScorer(t *testing.T) {
	shared, score := requireScorer(t)
	cases, err := Cases(filepath.Join(shared, "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatalf("no cases in %s", filepath.Join(shared, "corpus"))
	}
	tmp := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}

	var pairs []scoredPair
	for i, c := range cases {
		if testing.Short() && i%4 != 0 {
			continue // -short: every fourth case only
		}
		// The raw text inputs, scored as if emend had returned them
		// unchanged: no markers, few paragraphs, every kind of junk.
		for _, in := range c.Inputs {
			if strings.HasSuffix(in, ".txt") {
				pairs = append(pairs, scoredPair{c.Name + "/" + filepath.Base(in), c.Gold, in})
			}
		}
		pairs = append(pairs,
			scoredPair{c.Name + "/itself", c.Gold, c.Gold},
			scoredPair{c.Name + "/next-gold", c.Gold, cases[(i+1)%len(cases)].Gold})
		gold, err := os.ReadFile(c.Gold)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range goldVariants {
			out := write(c.Name+"-"+v.name+".md", v.make(string(gold)))
			pairs = append(pairs, scoredPair{c.Name + "/" + v.name, c.Gold, out})
		}
	}
	for _, h := range handPairs {
		pairs = append(pairs, scoredPair{"hand/" + h.name, write(h.name+"-gold.md", h.gold), write(h.name+"-out.md", h.out)})
	}
	t.Logf("comparing %d pairs with %s", len(pairs), score)

	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			want := runScorer(t, score, p.gold, p.out)
			gold, err := os.ReadFile(p.gold)
			if err != nil {
				t.Fatal(err)
			}
			out, err := os.ReadFile(p.out)
			if err != nil {
				t.Fatal(err)
			}
			r := Compare(gold, out)
			got := scorerFigures{
				GoldChars: r.GoldChars, CharErrs: r.CharErrs, CER: want.CER,
				GoldWords: r.GoldWords, WordErrs: r.WordErrs, WER: want.WER,
				MarkGold: r.MarkGold, MarkOut: r.MarkOut, MarkHit: r.MarkHit, MarkP: want.MarkP, MarkR: want.MarkR,
				ParaGold: r.ParaGold, ParaOut: r.ParaOut, ParaHit: r.ParaHit,
				NoteGold: r.NoteGold, NoteOut: r.NoteOut, NoteHit: r.NoteHit,
			}
			// The rates must be the same float64 bits wherever the scorer's
			// JSON and its report agree, that is, where no denominator is 0.
			if r.GoldChars > 0 {
				got.CER = r.CER()
			}
			if r.GoldWords > 0 {
				got.WER = r.WER()
			}
			if r.MarkOut > 0 {
				got.MarkP = r.MarkP()
			}
			if r.MarkGold > 0 {
				got.MarkR = r.MarkR()
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("score %s %s disagrees with Compare (-want +got):\n%s", p.gold, p.out, diff)
			}
		})
	}
}

// goldVariants make outputs from a gold that differ from it in one way
// each, so that every figure of the metric is exercised on real text.
var goldVariants = []struct {
	name string
	make func(gold string) string
}{
	{"markers-on-next-word", func(s string) string {
		return mapBodyLines(s, func(line string) string {
			words := strings.Split(line, " ")
			carry := ""
			for i, w := range words {
				marks := strings.Join(reference.FindAllString(w, -1), "")
				words[i] = reference.ReplaceAllString(w, "") + carry
				carry = marks
			}
			return strings.Join(words, " ") + carry
		})
	}},
	{"markers-renumbered", func(s string) string {
		return mapBodyLines(s, func(line string) string {
			return reference.ReplaceAllStringFunc(line, func(m string) string {
				n, _ := strconv.Atoi(m[2 : len(m)-1])
				if n%2 == 0 {
					return m
				}
				return fmt.Sprintf("[^%d]", n+1)
			})
		})
	}},
	{"markers-spaced", func(s string) string {
		return mapBodyLines(s, func(line string) string {
			return strings.ReplaceAll(line, "[^", " [^")
		})
	}},
	{"markers-leading", func(s string) string {
		// "word[^1] next" becomes "word [^1]next": the marker moves onto
		// the following word's field.
		return mapBodyLines(s, func(line string) string {
			return regexp.MustCompile(`(\[\^[0-9]+\]) `).ReplaceAllString(line, " $1")
		})
	}},
	{"paragraphs-reflowed", func(s string) string {
		paras := strings.Split(s, "\n\n")
		var b strings.Builder
		for i, p := range paras {
			if i > 0 {
				// Merge every third boundary, keep the rest.
				if i%3 == 1 {
					b.WriteString("\n")
				} else {
					b.WriteString("\n\n")
				}
			}
			if i%4 == 2 {
				// Split some paragraphs after each sentence.
				p = strings.ReplaceAll(p, ". ", ".\n\n")
			}
			b.WriteString(p)
		}
		return b.String()
	}},
	{"notes-wrong", func(s string) string {
		var lines []string
		n := 0
		for _, line := range strings.Split(s, "\n") {
			m := definition.FindStringSubmatch(line)
			if m == nil {
				lines = append(lines, line)
				continue
			}
			n++
			switch n % 4 {
			case 0: // dropped
			case 1:
				lines = append(lines, line)
			case 2:
				lines = append(lines, line+" (revised)")
			case 3:
				lines = append(lines, "[^"+m[1]+"0]: "+m[2])
			}
		}
		// A second definition of the first number overrides it.
		lines = append(lines, "[^1]: overridden")
		return strings.Join(lines, "\n")
	}},
	{"notes-inline", func(s string) string {
		// Definitions indented and moved into the first paragraph.
		var defs, body []string
		for _, line := range strings.Split(s, "\n") {
			if definition.MatchString(line) {
				defs = append(defs, " \u00a0"+line+" ")
			} else {
				body = append(body, line)
			}
		}
		if len(body) == 0 {
			return strings.Join(defs, "\n")
		}
		return strings.Join(append(append([]string{body[0]}, defs...), body[1:]...), "\n")
	}},
	{"typography", func(s string) string {
		var b strings.Builder
		quotes, spaces := 0, 0
		for _, r := range s {
			switch r {
			case '"':
				quotes++
				b.WriteString([]string{"“", "”"}[quotes%2])
			case '\'':
				b.WriteString("’")
			case '-':
				b.WriteString("–")
			case ' ':
				spaces++
				switch {
				case spaces%7 == 0:
					b.WriteString("\u00a0")
				case spaces%11 == 0:
					b.WriteString("\t")
				case spaces%13 == 0:
					b.WriteString("  ")
				default:
					b.WriteByte(' ')
				}
			case '\n':
				b.WriteString("\r\n")
			default:
				b.WriteRune(r)
			}
		}
		return strings.ReplaceAll(b.String(), "\r\n\r\n", "\r\n \t\r\n")
	}},
	{"words-edited", func(s string) string {
		i := 0
		return mapBodyLines(s, func(line string) string {
			var out []string
			for _, w := range strings.Fields(line) {
				i++
				switch {
				case i%7 == 0: // dropped
				case i%11 == 0:
					out = append(out, w, w)
				case i%13 == 0:
					out = append(out, strings.ToUpper(w))
				case i%17 == 0:
					out = append(out, w[:len(w)/2], w[len(w)/2:])
				default:
					out = append(out, w)
				}
			}
			return strings.Join(out, " ")
		})
	}},
	{"bytes-odd", func(s string) string {
		// Invalid UTF-8 and the control bytes the scorer uses as marker
		// brackets, placed where the scorer does not panic on them.
		i := 0
		return mapBodyLines(s, func(line string) string {
			words := strings.Split(line, " ")
			for j := range words {
				i++
				switch i % 19 {
				case 3:
					words[j] += "\xff"
				case 8:
					words[j] += "\x01x\x02"
				case 13:
					// Not before a marker: "\x02" ahead of the marker's
					// "\x01" makes the scorer panic.
					if !strings.Contains(words[j], "[^") {
						words[j] = "\x02" + words[j]
					}
				}
			}
			return strings.Join(words, " ")
		})
	}},
	{"markers-only-body", func(s string) string {
		// Only the words that carry markers, each its own paragraph.
		var out []string
		for _, w := range strings.Fields(s) {
			if reference.MatchString(w) && !strings.HasSuffix(w, ":") {
				out = append(out, w)
			}
		}
		return strings.Join(out, "\n\n")
	}},
}

// mapBodyLines applies f to every line that is not a footnote definition.
func mapBodyLines(s string, f func(string) string) string {
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		if line != "" && !definition.MatchString(strings.TrimSpace(line)) {
			lines[i] = f(line)
		}
	}
	return strings.Join(lines, "\n")
}

// handPairs are small documents written to hit the scorer's corner cases.
// None of the golds is one the scorer panics or prints NaN on.
var handPairs = []struct {
	name, gold, out string
}{
	{
		name: "lone-markers",
		gold: "Recalling its resolution[^1] of 2006,[^2]\n\nDecides to remain seized.\n\n[^1]: A/RES/1.\n[^2]: See “annex”.\n",
		out:  "[^1] Recalling its resolution [^1] of 2006, [^2]\n\n[^2] Decides to remain seized. [^3]\n\n[^1]: A/RES/1.\n[^2]:   See \"annex\".  \n",
	},
	{
		name: "glued-and-nested-markers",
		gold: "a word[^1] b[^2] c[^3]\n\n[^1]: x\n",
		out:  "a word[^1][^2] b[^[^2]1] c[^3]x [^4][^5]\n",
	},
	{
		name: "invalid-utf8",
		gold: "Recalling its resolution[^1] of 2006\n",
		out:  "Recalling \xff\xfe its resol\xe2ution[^1] of 2006\xc3\n",
	},
	{
		name: "control-bytes",
		gold: "a b[^1] c\n",
		out:  "a\x01b\x02c b\x01\x02 1\x02 x\x02 \x01\x02 c\n",
	},
	{
		name: "marker-cut-makes-a-space",
		gold: "a b[^1] c\n",
		out:  "a \xe2[^1]\x80\x83b c\n",
	},
	{
		name: "empty-definition",
		gold: "a[^3]\n\n[^3]:\n[^4]: x\n",
		out:  "a[^3]\n",
	},
	{
		name: "numbers-as-written",
		gold: "a[^1]\n\n[^1]: x\n",
		out:  "a[^01]\n\n[^01]: x\n",
	},
	{
		name: "blank-lines",
		gold: "one\n\ntwo\n\nthree\n\nfour\n",
		out:  "one\n \t \ntwo\r\n\r\nthree\n\u00a0\nfour\r\r\n",
	},
	{
		name: "three-newlines",
		gold: "one\n\ntwo three\n",
		out:  "one\n\n\ntwo\n\n\n\nthree\n\n",
	},
	{
		name: "empty-output",
		gold: "a b[^1]\n\n[^1]: x\n",
		out:  "",
	},
	{
		name: "definitions-only-output",
		gold: "a b[^1]\n\n[^1]: x\n",
		out:  "[^1]: x\n[^2]: y\n",
	},
	{
		name: "definition-lookalikes",
		gold: "a b[^1]\n\n[^1]: x\n",
		out:  "a b[^1]\n\n[^1] : x\n[^1]:x\n [^ 2]: y\n",
	},
	{
		name: "marker-only-paragraph-in-output",
		gold: "a b[^1]\n\nc\n",
		out:  "a b\n\n[^1]\n\nc\n\n[^2]\n",
	},
	{
		name: "repeated-words",
		gold: "the the the[^1] the\n\nthe the\n",
		out:  "the the[^1]\n\nthe the the the the[^1]\n",
	},
}

// standInScript plays emend for the scorer's -cases mode. It answers a
// text input with the input itself, text.pdf with the gold, scan.pdf with
// text.txt, and fails on anything else. standIn does the same in Go.
const standInScript = `#!/bin/sh
# emend clean -f md -o OUT INPUT
out=$5 in=$6
case "$in" in
*.txt) exec cp "$in" "$out" ;;
*/text.pdf) exec cp "$(dirname "$in")/gold.md" "$out" ;;
*/scan.pdf) exec cp "$(dirname "$in")/text.txt" "$out" ;;
*) echo "no reader for $in" >&2; exit 3 ;;
esac
`

func standIn(_ context.Context, input string) ([]byte, error) {
	dir := filepath.Dir(input)
	switch {
	case strings.HasSuffix(input, ".txt"):
		return os.ReadFile(input)
	case filepath.Base(input) == "text.pdf":
		return os.ReadFile(filepath.Join(dir, "gold.md"))
	case filepath.Base(input) == "scan.pdf":
		return os.ReadFile(filepath.Join(dir, "text.txt"))
	}
	// The scorer prints the exit status and the standard error.
	return nil, fmt.Errorf("exit status 3 no reader for %s", input)
}

// secsColumn is the timing at the end of a report line, which differs
// from run to run.
var secsColumn = regexp.MustCompile(` +[0-9]+\.[0-9]s$`)

func TestRunCasesAgreesWithScorer(t *testing.T) {
	shared, score := requireScorer(t)
	corpus := filepath.Join(shared, "corpus")
	emend := filepath.Join(t.TempDir(), "emend")
	if err := os.WriteFile(emend, []byte(standInScript), 0o755); err != nil {
		t.Fatal(err)
	}
	lines := func(report []byte) []string {
		ls := strings.Split(strings.TrimSuffix(string(report), "\n"), "\n")
		for i, l := range ls {
			ls[i] = secsColumn.ReplaceAllString(l, "")
		}
		return ls
	}
	onlys := []string{"", "res-73-8", "seed-00"}
	if testing.Short() {
		onlys = []string{"res-73-8", "seed-00", "scan-2758"}
	}
	for _, only := range onlys {
		t.Run("only="+only, func(t *testing.T) {
			cmd := exec.Command(score, "-cases", corpus, "-emend", emend, "-only", only)
			var want, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &want, &stderr
			// The scorer and RunCases run side by side.
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			_, runErr := RunCases(context.Background(), corpus, only, standIn, &got)
			if err := cmd.Wait(); err != nil {
				t.Fatalf("%s: %v\n%s", cmd, err, stderr.String())
			}
			if runErr != nil {
				t.Fatal(runErr)
			}
			if diff := cmp.Diff(lines(want.Bytes()), lines(got.Bytes())); diff != "" {
				t.Errorf("RunCases report differs from %s (-want +got):\n%s", cmd, diff)
			}
		})
	}
}
