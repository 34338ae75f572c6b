package dictionaries

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// refInstrumentBefore is InstrumentBefore as first written: every name is
// compared with the words before the end of text, one by one. The trie must
// give the same answers.
func refInstrumentBefore(s *Set, text string) (string, bool) {
	x := s.instruments
	text = trimInstrumentEnd(text)
	maxWords := 0
	for _, words := range x.words {
		maxWords = max(maxWords, len(words))
	}
	spans := make([]refSpan, maxWords)
	spans = spans[:refWordsBefore(text, spans)]
	best, bestLen, bestWhole := -1, 0, false
	for i, words := range x.words {
		m := 0
		for m < len(words) && m < len(spans) {
			sp := spans[m]
			if !refWordEqual(text[sp.start:sp.end], words[len(words)-1-m]) {
				break
			}
			m++
		}
		whole := m == len(words)
		if !whole && (m < minTailWords || s.isFunctionKey(words[len(words)-m])) {
			continue
		}
		if m > bestLen || (m == bestLen && whole && !bestWhole) {
			best, bestLen, bestWhole = i, m, whole
		}
	}
	if best < 0 {
		return "", false
	}
	return x.names[best], true
}

type refSpan struct{ start, end int }

func refWordsBefore(text string, dst []refSpan) int {
	n := 0
	end := len(text)
	for n < len(dst) && end > 0 {
		for end > 0 {
			r, size := utf8.DecodeLastRuneInString(text[:end])
			if !unicode.IsSpace(r) {
				break
			}
			end -= size
		}
		start := end
		for start > 0 {
			r, size := utf8.DecodeLastRuneInString(text[:start])
			if unicode.IsSpace(r) {
				break
			}
			start -= size
		}
		if start == end {
			break
		}
		for _, r := range text[start:end] {
			if !unicode.IsPunct(r) {
				dst[n] = refSpan{start, end}
				n++
				break
			}
		}
		end = start
	}
	return n
}

func refWordEqual(w, key string) bool {
	for _, r := range w {
		if unicode.IsPunct(r) {
			continue
		}
		k, n := utf8.DecodeRuneInString(key)
		if n == 0 || unicode.ToLower(r) != k {
			return false
		}
		key = key[n:]
	}
	return key == ""
}

func refAppendWordKey(dst []byte, w string) []byte {
	for _, r := range w {
		if unicode.IsPunct(r) {
			continue
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst
}

// checkInstrumentBefore reports a text on which InstrumentBefore and the
// reference differ.
func checkInstrumentBefore(t *testing.T, s *Set, text string) {
	t.Helper()
	name, ok := s.InstrumentBefore(text)
	wantName, wantOK := refInstrumentBefore(s, text)
	if name != wantName || ok != wantOK {
		t.Fatalf("InstrumentBefore(%q) = %q, %v; the reference gives %q, %v", text, name, ok, wantName, wantOK)
	}
}

// TestInstrumentBeforeSameAsReference compares InstrumentBefore with the
// reference on every prefix of the seeds and corpus texts that ends before
// a space or a digit, as the markers stage asks, and on every name listed.
func TestInstrumentBeforeSameAsReference(t *testing.T) {
	s := Default()
	for _, name := range s.instruments.names {
		checkInstrumentBefore(t, s, name)
		checkInstrumentBefore(t, s, "the "+name+",")
		checkInstrumentBefore(t, s, strings.ToUpper(name))
	}
	paths, _ := filepath.Glob(filepath.Join("..", "testdata", "seeds", "*", "input.txt"))
	more, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "*", "*.txt"))
	paths = append(paths, more...)
	if len(paths) == 0 {
		t.Fatal("no seeds found")
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			for i := 1; i <= len(line); i++ {
				if i == len(line) || line[i] == ' ' || line[i] >= '0' && line[i] <= '9' {
					checkInstrumentBefore(t, s, line[:i])
				}
			}
		}
	}
}

// TestInstrumentBeforeRandom compares InstrumentBefore with the reference
// on texts made of the words of the names, cut, joined and decorated at
// random: case, punctuation, non-ASCII letters and spaces, broken UTF-8.
func TestInstrumentBeforeRandom(t *testing.T) {
	s := Default()
	var vocab []string
	for _, name := range s.instruments.names {
		vocab = append(vocab, strings.Fields(name)...)
	}
	vocab = append(vocab, "–", "—", "(No.", "182)", "É", "ÉTATS", "\u00a0", "\u2028", "\xff", "\xe2\x80", "Σ", "ς", "İ", "K", "ǅ")
	seps := []string{" ", "  ", "\t", "\n", "\u00a0", "\u3000", "\u0085", " , ", "-", ""}
	decor := []string{"", "", "", ",", ".", ";", ":", ")", "”", "’", "\"", "'", "(", "“", "[", "$", "+", "\u00ad", "\u200b"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 60000 {
		// Mostly the tail of a name, so that deep matches are common.
		var words []string
		if r.IntN(4) > 0 {
			name := s.instruments.names[r.IntN(len(s.instruments.names))]
			f := strings.Fields(name)
			words = f[r.IntN(len(f)):]
			for i := range r.IntN(3) {
				_ = i
				words = append([]string{vocab[r.IntN(len(vocab))]}, words...)
			}
		} else {
			for range 1 + r.IntN(8) {
				words = append(words, vocab[r.IntN(len(vocab))])
			}
		}
		var b strings.Builder
		for i, w := range words {
			if i > 0 {
				b.WriteString(seps[r.IntN(len(seps))*min(1, r.IntN(3))])
			}
			switch r.IntN(6) {
			case 0:
				w = strings.ToUpper(w)
			case 1:
				w = strings.ToLower(w)
			case 2:
				if len(w) > 1 {
					k := r.IntN(len(w))
					w = w[:k] + decor[r.IntN(len(decor))] + w[k:]
				}
			}
			b.WriteString(decor[r.IntN(len(decor))] + w)
		}
		b.WriteString(decor[r.IntN(len(decor))])
		checkInstrumentBefore(t, s, b.String())
	}
}

// FuzzInstrumentBefore compares InstrumentBefore with the reference on any
// text.
func FuzzInstrumentBefore(f *testing.F) {
	f.Add("the Convention on the Rights of the Child,”")
	f.Add("Especially Women and Children")
	f.Add("the Committee on the Rights of the Child")
	s := Default()
	f.Fuzz(func(t *testing.T, text string) {
		checkInstrumentBefore(t, s, text)
	})
}

// TestAppendWordKeySameAsReference checks the ASCII shortcut of
// appendWordKey against unicode.IsPunct and unicode.ToLower on every
// character below U+0800 and on broken UTF-8, appended to buffers with no
// room, a little and plenty.
func TestAppendWordKeySameAsReference(t *testing.T) {
	check := func(w string) {
		t.Helper()
		for _, room := range []int{0, 1, 3, 64} {
			dst := append(make([]byte, 0, 2+room), "ab"...)
			got, want := string(appendWordKey(dst, w)), string(refAppendWordKey([]byte("ab"), w))
			if got != want {
				t.Fatalf("appendWordKey(%q) with room %d = %q, want %q", w, room, got, want)
			}
		}
	}
	for r := rune(0); r < 0x800; r++ {
		check("A" + string(r) + "b")
		check(string(r) + "Convention, " + string(r))
	}
	for _, w := range []string{"\xff", "a\xe2\x80", "\xe2\x80\x9d", "É\xc3", "ǅ,İ", "", "ABC\x00D"} {
		check(w)
	}
}
