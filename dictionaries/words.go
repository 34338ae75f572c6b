package dictionaries

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Word lookups run for every token of a document. A word that is already
// lower case is its own key; any other is folded into a buffer on the stack
// and looked up as m[string(buf)] or compared with string(buf), which Go
// compiles without copying the bytes. Only keys longer than keyBuf bytes
// reach the heap.
const keyBuf = 64

// IsWord reports whether w is a known word: in the English list or a UN term,
// or a word of a multi-word term, ignoring case. A trailing possessive ('s,
// ’s, or the bare apostrophe of a plural, as in "States'") is allowed:
// "Secretary-General's" is a word. IsWord("") is false.
func (s *Set) IsWord(w string) bool {
	if w == "" {
		return false
	}
	if s.isWordKey(w) {
		return true
	}
	if stem, ok := trimPossessive(w); ok && stem != "" {
		return s.isWordKey(stem)
	}
	return false
}

func (s *Set) isWordKey(w string) bool {
	if !needsFold(w) {
		return s.hasWordKey(w)
	}
	var buf [keyBuf]byte
	k := appendFold(buf[:0], w)
	if s.english.hasBytes(k) {
		return true
	}
	_, ok := s.termWords[string(k)]
	return ok
}

func (s *Set) hasWordKey(k string) bool {
	if s.english.has(k) {
		return true
	}
	_, ok := s.termWords[k]
	return ok
}

// IsEnglish reports whether w is in the English list, ignoring case.
func (s *Set) IsEnglish(w string) bool {
	if !needsFold(w) {
		return s.english.has(w)
	}
	var buf [keyBuf]byte
	return s.english.hasBytes(appendFold(buf[:0], w))
}

// IsTerm reports whether w is exactly a listed UN term, ignoring case:
// "non-governmental", "Secretary-General", "UNICEF". A multi-word term
// matches only whole ("General Assembly"), never one of its words.
func (s *Set) IsTerm(w string) bool {
	_, ok := s.term(w)
	return ok
}

// term returns the listed form of the term w.
func (s *Set) term(w string) (string, bool) {
	if !needsFold(w) {
		t, ok := s.terms[w]
		return t, ok
	}
	var buf [keyBuf]byte
	t, ok := s.terms[string(appendFold(buf[:0], w))]
	return t, ok
}

// IsHyphenatedTerm reports whether w is a listed single-token term with a
// hyphen, ignoring case: "non-governmental", "post-conflict",
// "seventy-fourth".
func (s *Set) IsHyphenatedTerm(w string) bool {
	if !strings.Contains(w, "-") || strings.ContainsFunc(w, isSpace) {
		return false
	}
	return s.IsTerm(w)
}

// Hyphenated restores the hyphens of a UN term from a form that lost or
// mangled them: "nongovernmental" gives "non-governmental", "secretarygeneral"
// and "Secretary General" give "Secretary-General", "seventyfourth" gives
// "seventy-fourth". The input is compared with each single-token hyphenated
// term lower-cased, with hyphens and spaces removed.
//
// The result has the term's listed casing, adjusted to the input where the
// input shows the casing of its context: a capital first letter (the start
// of a sentence: "Nongovernmental" gives "Non-governmental") or all capitals
// (a heading: "NONGOVERNMENTAL" gives "NON-GOVERNMENTAL"). A term listed with
// a capital because it is a name keeps it even when the input is lower case.
// A trailing possessive is carried over ("SecretaryGeneral's").
func (s *Set) Hyphenated(joined string) (string, bool) {
	t, ok := s.hyphenatedTerm(joined)
	if ok {
		return matchCase(t, joined), true
	}
	stem, ok := trimPossessive(joined)
	if !ok || stem == "" {
		return "", false
	}
	t, ok = s.hyphenatedTerm(stem)
	if !ok {
		return "", false
	}
	return matchCase(t, stem) + joined[len(stem):], true
}

func (s *Set) hyphenatedTerm(joined string) (string, bool) {
	var buf [keyBuf]byte
	k := appendHyphenKey(buf[:0], joined)
	if len(k) == 0 {
		return "", false
	}
	t, ok := s.hyphenated[string(k)]
	return t, ok
}

// matchCase adjusts the casing of the listed term t to the input in.
func matchCase(t, in string) string {
	first, _ := utf8.DecodeRuneInString(in)
	if !unicode.IsUpper(first) {
		return t
	}
	if isAllUpper(in) {
		return strings.ToUpper(t)
	}
	tf, n := utf8.DecodeRuneInString(t)
	if unicode.IsLower(tf) {
		return string(unicode.ToUpper(tf)) + t[n:]
	}
	return t
}

// isAllUpper reports whether s has at least two letters and no lower-case
// one, as a heading in capitals has.
func isAllUpper(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}

// IsNumberNoun reports whether a number after w is part of the text, as
// after "article", "paragraph", "resolution", "No." or a month, rather than
// a footnote marker. Case is ignored, and so is punctuation around w except a
// final full stop, which belongs to abbreviations such as "para." and "vol.".
func (s *Set) IsNumberNoun(w string) bool {
	w = strings.TrimLeftFunc(w, isOpening)
	w = strings.TrimRightFunc(w, func(r rune) bool { return r != '.' && unicode.IsPunct(r) })
	if w == "" {
		return false
	}
	if !needsFold(w) {
		_, ok := s.numberNouns[w]
		return ok
	}
	var buf [keyBuf]byte
	_, ok := s.numberNouns[string(appendFold(buf[:0], w))]
	return ok
}

// IsFunctionWord reports whether w is an English function word ("of", "the",
// "and", "which", "shall"), after which a footnote marker never comes.
// Case is ignored.
func (s *Set) IsFunctionWord(w string) bool {
	if !needsFold(w) {
		_, ok := s.functionWords[w]
		return ok
	}
	var buf [keyBuf]byte
	_, ok := s.functionWords[string(appendFold(buf[:0], w))]
	return ok
}

// cloneTerms replaces the term maps of n with copies that have room for
// extra more terms, so that adding terms to n leaves the Set n was copied
// from unchanged.
func (n *Set) cloneTerms(extra int) {
	n.terms = cloneMap(n.terms, extra)
	n.termWords = cloneSet(n.termWords, 2*extra)
	n.hyphenated = cloneMap(n.hyphenated, extra/2)
}

// addTerms adds UN terms to n, whose term maps must be its own (cloneTerms).
func (n *Set) addTerms(entries []string) {
	for _, t := range entries {
		n.terms[foldKey(t)] = t
		if !strings.Contains(t, " ") {
			n.termWords[foldKey(t)] = struct{}{}
			if strings.Contains(t, "-") {
				n.hyphenated[hyphenKey(t)] = t
			}
			continue
		}
		for _, w := range strings.Split(t, " ") {
			// "(Bolivarian", "Territory," and "troop-" are the words
			// "Bolivarian", "Territory" and "troop".
			w = strings.TrimFunc(w, func(r rune) bool { return r != '.' && (unicode.IsPunct(r) || unicode.IsSymbol(r)) })
			if w != "" {
				n.termWords[foldKey(w)] = struct{}{}
			}
		}
	}
}

// trimPossessive strips a final 's, ’s or, after an s, a bare apostrophe.
func trimPossessive(w string) (string, bool) {
	for _, suf := range [...]string{"'s", "’s", "'S", "’S"} {
		if strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)], true
		}
	}
	for _, suf := range [...]string{"s'", "s’", "S'", "S’"} {
		if strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)+1], true
		}
	}
	return w, false
}

// needsFold reports whether w differs from its lookup key: it has a capital
// letter or a typographic apostrophe. Lower-case ASCII, the common case, is
// decided byte by byte.
func needsFold(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return needsFoldRunes(w[i:])
		}
		if 'A' <= c && c <= 'Z' {
			return true
		}
	}
	return false
}

func needsFoldRunes(w string) bool {
	for _, r := range w {
		if r == '’' || unicode.ToLower(r) != r {
			return true
		}
	}
	return false
}

// appendFold appends the lookup key of s to dst: s lower-cased rune by rune,
// as strings.ToLower does, with the typographic apostrophe ’ read as the
// ASCII one so that "Côte d’Ivoire" and "Côte d'Ivoire" are the same key.
func appendFold(dst []byte, s string) []byte {
	for _, r := range s {
		if r < utf8.RuneSelf {
			c := byte(r)
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			continue
		}
		if r == '’' {
			dst = append(dst, '\'')
			continue
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst
}

// foldKey returns the lookup key of s, without allocating when s is a key
// already.
func foldKey(s string) string {
	if !needsFold(s) {
		return s
	}
	return string(appendFold(nil, s))
}

// appendHyphenKey appends the key under which Hyphenated finds a term: the
// lookup key of s without hyphens (of any kind: -, soft, non-breaking) and
// white space.
func appendHyphenKey(dst []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r == '-' || r == '\u00ad' || r == '\u2010' || r == '\u2011':
			continue
		case r < utf8.RuneSelf:
			c := byte(r)
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				continue
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		case unicode.IsSpace(r):
			continue
		case r == '’':
			dst = append(dst, '\'')
		default:
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
	}
	return dst
}

func hyphenKey(s string) string { return string(appendHyphenKey(nil, s)) }

func isSpace(r rune) bool { return unicode.IsSpace(r) }

// isOpening reports whether r opens a bracket or a quotation.
func isOpening(r rune) bool {
	switch r {
	case '(', '[', '{', '"', '\'', '“', '‘', '«':
		return true
	}
	return false
}
