package dictionaries

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// section names one of the lists a line can go to.
type section int

const (
	sectionEnglish section = iota
	sectionTerms
	sectionInstruments
	sectionPreambular
	sectionOperative
	sectionSymbols
	sectionNumberNouns
	sectionFunctionWords
	numSections
)

// sectionNames are the names used in "[section]" lines, indexed by section.
var sectionNames = [numSections]string{
	sectionEnglish:       "english",
	sectionTerms:         "terms",
	sectionInstruments:   "instruments",
	sectionPreambular:    "preambular",
	sectionOperative:     "operative",
	sectionSymbols:       "symbols",
	sectionNumberNouns:   "number-nouns",
	sectionFunctionWords: "function-words",
}

func (s section) String() string { return sectionNames[s] }

// entry is one list entry and where it came from, for error messages.
type entry struct {
	text string
	file string
	line int
}

func (e entry) pos() string { return fmt.Sprintf("%s:%d", e.file, e.line) }

// listFile is one parsed list file, its entries sorted by section.
type listFile struct {
	name    string
	entries [numSections][]entry
}

// parse reads one list file. Lines go to defaultSection until a "[section]"
// line says otherwise. Entries are trimmed of surrounding white space, and
// entries of the word-like lists have runs of white space inside them
// reduced to one space ("General  Assembly" is "General Assembly"); symbol
// patterns are kept as written. Errors name the file and line.
//
// The embedded lists and the user's lists go through this same function.
func parse(name string, r io.Reader, defaultSection section) (*listFile, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // a BOM some editors write
	// One string for the whole file: every entry is a slice of it, so a
	// 130,000-line list costs one copy rather than one allocation a line.
	text := string(data)

	lf := &listFile{name: name}
	sec := defaultSection
	for lineNo := 1; text != ""; lineNo++ {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		if !utf8.ValidString(line) {
			return nil, fmt.Errorf("%s:%d: line is not valid UTF-8 (save the list as UTF-8)", name, lineNo)
		}
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '[' && line[len(line)-1] == ']' {
			s, ok := lookupSection(line[1 : len(line)-1])
			if !ok {
				return nil, fmt.Errorf("%s:%d: unknown section %s (the sections are %s)", name, lineNo, line, sectionList())
			}
			sec = s
			continue
		}
		if sec != sectionSymbols {
			line = collapseSpace(line)
		}
		lf.entries[sec] = append(lf.entries[sec], entry{text: line, file: name, line: lineNo})
	}
	return lf, nil
}

func lookupSection(name string) (section, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	for s, n := range sectionNames {
		if n == name {
			return section(s), true
		}
	}
	return 0, false
}

func sectionList() string {
	var b strings.Builder
	for i, n := range sectionNames {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("[" + n + "]")
	}
	return b.String()
}

// collapseSpace reduces each run of white space in s to one space. It
// returns s itself when there is nothing to do, which is nearly always.
func collapseSpace(s string) string {
	clean := true
	prevSpace := false
	for _, r := range s {
		sp := isSpace(r)
		if sp && (r != ' ' || prevSpace) {
			clean = false
			break
		}
		prevSpace = sp
	}
	if clean {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
