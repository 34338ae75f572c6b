package dictionaries

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// openerIndex holds the openers of one kind of paragraph, longest first, and
// indexes them by their first word so that a lookup tries only the few
// openers that can match.
type openerIndex struct {
	all     []string            // longest first, then in byte order
	byFirst map[string][]string // first word -> openers, longest first
	// startsWith holds the first byte of every opener: most texts a stage
	// asks about (every word after a comma, in flattened text) start with
	// none, and are turned away before their first word is cut and looked up.
	startsWith [256]bool
}

// with returns a new index holding the openers of x (which may be nil) and
// those of entries, without duplicates.
func (x *openerIndex) with(entries []string) *openerIndex {
	var all []string
	if x != nil {
		all = slices.Clone(x.all)
	}
	all = append(all, entries...)
	slices.SortFunc(all, func(a, b string) int {
		if c := cmp.Compare(len(b), len(a)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	all = slices.Compact(all)

	n := &openerIndex{all: all, byFirst: make(map[string][]string)}
	for _, o := range all {
		f := firstWord(o)
		n.byFirst[f] = append(n.byFirst[f], o)
		if o != "" {
			n.startsWith[o[0]] = true
			continue
		}
		for c := range n.startsWith {
			n.startsWith[c] = true // no byte rules out the empty opener
		}
	}
	return n
}

// match returns the longest opener that text begins with, provided the
// opener is followed by the end of text, white space or a comma ("Recalling,
// in this regard, ...").
func (x *openerIndex) match(text string) (string, bool) {
	if x == nil {
		return "", false
	}
	if text != "" && text[0] < utf8.RuneSelf && !asciiSpace[text[0]] {
		if !x.startsWith[text[0]] {
			return "", false
		}
	} else {
		text = strings.TrimLeftFunc(text, unicode.IsSpace)
	}
	for _, o := range x.byFirst[firstWord(text)] {
		if !strings.HasPrefix(text, o) {
			continue
		}
		rest := text[len(o):]
		if rest == "" || rest[0] == ',' {
			return o, true
		}
		if r, _ := utf8.DecodeRuneInString(rest); unicode.IsSpace(r) {
			return o, true
		}
	}
	return "", false
}

func (x *openerIndex) list() []string {
	if x == nil {
		return nil
	}
	return slices.Clone(x.all)
}

// firstWord returns s up to its first white space or comma.
func firstWord(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == ',' || asciiSpace[c] {
				return s[:i]
			}
			continue
		}
		// Beyond ASCII, which openers rarely reach: white space is decoded.
		if j := strings.IndexFunc(s[i:], func(r rune) bool { return r == ',' || unicode.IsSpace(r) }); j >= 0 {
			return s[:i+j]
		}
		return s
	}
	return s
}

// PreambularOpener returns the preambular opener that text begins with
// ("Recalling also", "Noting with deep concern", "Bearing in mind"), the
// longest one where several fit. The opener must be followed by white space,
// a comma or the end of text. Case matters: openers are capitalized, so
// "recalling" in mid-sentence is not one.
func (s *Set) PreambularOpener(text string) (string, bool) {
	return s.preambular.match(text)
}

// OperativeOpener is PreambularOpener for the openers of operative
// paragraphs ("Decides", "Also requests", "Takes note with appreciation of").
func (s *Set) OperativeOpener(text string) (string, bool) {
	return s.operative.match(text)
}

// Preambular returns all preambular openers, longest first. The slice is the
// caller's to keep.
func (s *Set) Preambular() []string { return s.preambular.list() }

// Operative returns all operative openers, longest first. The slice is the
// caller's to keep.
func (s *Set) Operative() []string { return s.operative.list() }
