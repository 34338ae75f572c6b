package dictionaries

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// symbolGrammar is the set of document-symbol patterns compiled into one
// regular expression, so a token is matched in a single pass however many
// patterns there are.
type symbolGrammar struct {
	patterns []string // as listed, each compiled on its own when loaded
	re       *regexp.Regexp
}

// with returns a new grammar with the patterns of g (which may be nil) and
// those of entries. A pattern that does not compile is an error naming its
// file and line. Patterns always match whole tokens, whether or not they
// are written with ^ and $.
func (g *symbolGrammar) with(file string, entries []entry) (*symbolGrammar, error) {
	var patterns []string
	if g != nil {
		patterns = slices.Clone(g.patterns)
	}
	for _, e := range entries {
		if _, err := regexp.Compile(e.text); err != nil {
			return nil, fmt.Errorf("%s:%d: symbols: pattern %q does not compile (write it in Go's RE2 syntax): %v", file, e.line, e.text, err)
		}
		patterns = append(patterns, e.text)
	}
	var b strings.Builder
	b.WriteString(`^(?:`)
	for i, p := range patterns {
		if i > 0 {
			b.WriteByte('|')
		}
		b.WriteString(`(?:` + p + `)`)
	}
	b.WriteString(`)$`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		// Each pattern compiled alone, so only the combined size can fail.
		return nil, fmt.Errorf("%s:%d: symbols: the patterns together are too large for one expression: %v", file, entries[len(entries)-1].line, err)
	}
	return &symbolGrammar{patterns: patterns, re: re}, nil
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
	// Trim one character at a time: the ")" of "S/RES/1325 (2000)" is
	// part of the symbol, the one after it is not.
	for tok != "" {
		if g.re.MatchString(tok) {
			return true
		}
		if !strings.ContainsRune(",;.:)", rune(tok[len(tok)-1])) {
			return false
		}
		tok = tok[:len(tok)-1]
	}
	return false
}
