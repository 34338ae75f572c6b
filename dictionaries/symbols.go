package dictionaries

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
)

// symbolGrammar is the set of document-symbol patterns, each compiled on its
// own. Go's regexp package matches a short input against a small program
// with a fast backtracker and falls back to a slower automaton for programs
// of more than about 500 instructions, which the patterns joined into one
// expression would be; so a token is tried against each pattern in turn.
type symbolGrammar struct {
	res []*regexp.Regexp // each anchored at both ends
	// slash is true when every pattern needs a '/' to match, as every UN
	// symbol has one: then a token without a slash, which is most tokens,
	// is rejected without running any pattern.
	slash bool
}

// with returns a new grammar with the patterns of g (which may be nil) and
// the patterns read from lines of file. A pattern that does not compile is
// an error naming its file and line. Patterns always match whole tokens,
// whether or not they are written with ^ and $.
func (g *symbolGrammar) with(file string, entries []string, lines []int32) (*symbolGrammar, error) {
	n := &symbolGrammar{slash: true}
	if g != nil {
		n.res = slices.Clone(g.res)
		n.slash = g.slash
	}
	for i, p := range entries {
		// Compile p as written, so that an error quotes the user's text.
		if _, err := regexp.Compile(p); err != nil {
			return nil, fmt.Errorf("%s:%d: symbols: pattern %q does not compile (write it in Go's RE2 syntax): %v", file, lines[i], p, err)
		}
		n.res = append(n.res, regexp.MustCompile(`^(?:`+p+`)$`))
		tree, _ := syntax.Parse(p, syntax.Perl) // cannot fail: p compiled
		n.slash = n.slash && mustContain(tree.Simplify(), '/')
	}
	return n, nil
}

// mustContain reports whether every string re matches contains the rune c.
// It answers false when unsure, which only costs the shortcut.
func mustContain(re *syntax.Regexp, c rune) bool {
	switch re.Op {
	case syntax.OpLiteral:
		// Under (?i) a literal stands for its other cases too, which is
		// still c only when c has no other case, as '/' has none.
		return slices.Contains(re.Rune, c) && (re.Flags&syntax.FoldCase == 0 || unicode.SimpleFold(c) == c)
	case syntax.OpCharClass:
		return len(re.Rune) == 2 && re.Rune[0] == c && re.Rune[1] == c
	case syntax.OpCapture, syntax.OpPlus:
		return mustContain(re.Sub[0], c)
	case syntax.OpRepeat:
		return re.Min > 0 && mustContain(re.Sub[0], c)
	case syntax.OpConcat:
		return slices.ContainsFunc(re.Sub, func(sub *syntax.Regexp) bool { return mustContain(sub, c) })
	case syntax.OpAlternate:
		return len(re.Sub) > 0 && !slices.ContainsFunc(re.Sub, func(sub *syntax.Regexp) bool { return !mustContain(sub, c) })
	}
	return false
}

// IsSymbol reports whether tok is a UN document symbol such as A/RES/61/180,
// E/CN.4/2006/62/Add.1 or S/RES/1325 (2000). Punctuation that ends a
// sentence or closes a parenthesis after the symbol (, ; . : and ")") is
// ignored, and so is an opening parenthesis before it: "(A/61/444)." is a
// symbol. A resolution number alone ("55/25") is not.
func (s *Set) IsSymbol(tok string) bool {
	g := s.symbols
	if g == nil {
		return false
	}
	tok = strings.TrimSpace(tok)
	tok = strings.TrimPrefix(tok, "(")
	if g.slash && strings.IndexByte(tok, '/') < 0 {
		return false
	}
	// Trim one character at a time: the ")" of "S/RES/1325 (2000)" is
	// part of the symbol, the one after it is not.
	for tok != "" {
		for _, re := range g.res {
			if re.MatchString(tok) {
				return true
			}
		}
		if !strings.ContainsRune(",;.:)", rune(tok[len(tok)-1])) {
			return false
		}
		tok = tok[:len(tok)-1]
	}
	return false
}
