package dictionaries

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestKeyHashComposes(t *testing.T) {
	for _, c := range []struct{ a, b string }{{"organi", "zations"}, {"Non", "GOVERNMENTAL"}, {"", "x"}, {"ab", ""}} {
		pow := uint64(1)
		for range c.b {
			pow *= KeyHashBase
		}
		if got, want := KeyHash(c.a)*pow+KeyHash(c.b), KeyHash(c.a+c.b); got != want {
			t.Errorf("KeyHash(%q)·B^%d + KeyHash(%q) = %x, KeyHash of the join = %x", c.a, len(c.b), c.b, got, want)
		}
	}
	if KeyHash("States") != KeyHash("states") {
		t.Error("KeyHash must ignore the case of ASCII letters")
	}
}

// The filters may let non-members through but must never stop a member:
// every string of ASCII letters that IsWord or Hyphenated accepts, in any
// case, must pass.
func TestKeyFiltersPassEveryMember(t *testing.T) {
	s := Default()
	extra, err := s.WithReader("user.txt", strings.NewReader("Zyxwvutsrq\nwell-zyxwv-being\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, set := range []*Set{s, extra} {
		n := 0
		for _, w := range set.english.words() {
			if asciiLetters(w) {
				n++
				for _, form := range []string{w, strings.ToUpper(w), strings.ToUpper(w[:1]) + w[1:]} {
					if !set.IsWord(form) || !set.WordFilter().Has(KeyHash(form)) {
						t.Fatalf("IsWord(%q) = %v, WordFilter().Has = %v", form, set.IsWord(form), set.WordFilter().Has(KeyHash(form)))
					}
				}
			}
		}
		if n < 100000 {
			t.Fatalf("only %d English words of ASCII letters", n)
		}
		for w := range set.termWords {
			if asciiLetters(w) && !set.WordFilter().Has(KeyHash(w)) {
				t.Errorf("term word %q is stopped by WordFilter", w)
			}
		}
		for k, term := range set.hyphenated {
			if !asciiLetters(k) {
				continue
			}
			if _, ok := set.Hyphenated(k); !ok || !set.HyphenatedFilter().Has(KeyHash(k)) {
				t.Errorf("Hyphenated(%q) (%s): ok = %v, HyphenatedFilter().Has = %v", k, term, ok, set.HyphenatedFilter().Has(KeyHash(k)))
			}
		}
	}
	if !extra.WordFilter().Has(KeyHash("Zyxwvutsrq")) || !extra.HyphenatedFilter().Has(KeyHash("wellzyxwvbeing")) {
		t.Error("a user's list must reach the filters of the Set it extends")
	}
}

// A filter that lets everything through would be sound and useless.
func TestKeyFiltersStopMostNonMembers(t *testing.T) {
	s := Default()
	rng := rand.New(rand.NewPCG(1, 2))
	passed, asked := 0, 0
	for range 20000 {
		b := make([]byte, 5+rng.IntN(10))
		for i := range b {
			b[i] = byte('a' + rng.IntN(26))
		}
		w := string(b)
		if s.IsWord(w) {
			continue
		}
		asked++
		if s.WordFilter().Has(KeyHash(w)) {
			passed++
		}
	}
	if rate := float64(passed) / float64(asked); rate > 0.10 {
		t.Errorf("WordFilter lets %.1f%% of random non-words through", 100*rate)
	}
}

func TestZeroSetMayBeAnything(t *testing.T) {
	var s Set
	if !s.WordFilter().Has(KeyHash("word")) || !s.HyphenatedFilter().Has(KeyHash("nongovernmental")) {
		t.Error("a Set without filters must answer \"may be\"")
	}
}

func asciiLetters(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return w != ""
}
