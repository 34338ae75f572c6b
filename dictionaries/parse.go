package dictionaries

import (
	"fmt"
	"io"
	"strings"
	"unicode"
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

// multiWord marks the lists whose entries can be several words, compared
// word by word, so that the spacing inside an entry does not matter.
var multiWord = [numSections]bool{
	sectionTerms:       true,
	sectionInstruments: true,
	sectionPreambular:  true,
	sectionOperative:   true,
}

// listFile is one parsed list file, its entries sorted by section.
// lines[sec][i] is the line entries[sec][i] came from, for error messages;
// keeping it apart leaves the entries a plain []string, which the English
// list can use as it is.
type listFile struct {
	name    string
	entries [numSections][]string
	lines   [numSections][]int32
}

// parse reads one list file. Lines go to defaultSection until a "[section]"
// line says otherwise. Entries are trimmed of surrounding white space, and
// entries of the lists that hold names and phrases have runs of white space
// inside them reduced to one space ("General  Assembly" is "General
// Assembly"). Errors name the file and line.
func parse(name string, r io.Reader, defaultSection section) (*listFile, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	// One string for the whole file: every entry is a slice of it, so a
	// 130,000-line list costs one copy rather than one allocation a line.
	return parseString(name, string(data), defaultSection)
}

// parseString is parse for a file already in memory. The embedded lists
// come this way, which spares copying them.
func parseString(name, text string, defaultSection section) (*listFile, error) {
	text = strings.TrimPrefix(text, "\ufeff") // a BOM some editors write
	// Check the encoding once for the whole file; only a bad file is
	// checked line by line, to say where it goes wrong.
	valid := utf8.ValidString(text)
	lf := &listFile{name: name}
	// Most lines of a file go to its default section: give that list room
	// for all of them at once instead of growing it line by line.
	lines := strings.Count(text, "\n") + 1
	lf.entries[defaultSection] = make([]string, 0, lines)
	lf.lines[defaultSection] = make([]int32, 0, lines)
	sec := defaultSection
	for lineNo := 1; text != ""; lineNo++ {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		if !valid && !utf8.ValidString(line) {
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
		if multiWord[sec] {
			line = collapseSpace(line)
		}
		lf.entries[sec] = append(lf.entries[sec], line)
		lf.lines[sec] = append(lf.lines[sec], int32(lineNo))
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
// returns s itself when there is nothing to do, which is nearly always, and
// decides that byte by byte on ASCII text.
func collapseSpace(s string) string {
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			r, _ := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return strings.Join(strings.Fields(s), " ")
			}
			prevSpace = false
		case c == ' ':
			if prevSpace {
				return strings.Join(strings.Fields(s), " ")
			}
			prevSpace = true
		case c == '\t' || c == '\v' || c == '\f' || c == '\r':
			return strings.Join(strings.Fields(s), " ")
		default:
			prevSpace = false
		}
	}
	return s
}
