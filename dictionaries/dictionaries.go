// Package dictionaries holds the word lists emend's stages consult: English
// words, UN terms and spellings, names of international instruments, the
// openers of preambular and operative paragraphs, the grammar of UN document
// symbols, and the small lists that tell a footnote marker from a number.
//
// The lists ship inside the binary (//go:embed) and are parsed once by
// Default. A user extends them with lists of their own (emend's --dict) through
// Set.WithFiles, which returns a new Set and leaves the old one untouched.
// Stages are handed a *Set and never open files.
//
// # List format
//
// One entry a line. Blank lines are ignored and a line whose first
// non-blank character is '#' is a comment. A line "[section]" sends the lines
// after it to another list; the sections are english, terms, instruments,
// preambular, operative, symbols, number-nouns and function-words. In a user
// file, lines before any section header are terms:
//
//	# our house style
//	peacebuilding
//	Special Coordinator for Lebanon
//
//	[instruments]
//	Treaty of Amity and Cooperation in Southeast Asia
//
//	[symbols]
//	^UNOG/[0-9]{4}/[0-9]+$
package dictionaries

//go:generate go run ./internal/genenglish -o english.txt

import (
	_ "embed" // the lists ship inside the binary
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"sync"
)

// The embedded lists. Each opens with comment lines naming its source and
// licence; english.txt is generated, see internal/genenglish. They are
// strings rather than an embed.FS so that parsing them copies nothing.
var (
	//go:embed english.txt
	englishTxt string
	//go:embed unterms.txt
	untermsTxt string
	//go:embed instruments.txt
	instrumentsTxt string
	//go:embed preambular.txt
	preambularTxt string
	//go:embed operative.txt
	operativeTxt string
	//go:embed symbols.txt
	symbolsTxt string
	//go:embed numbernouns.txt
	numbernounsTxt string
	//go:embed functionwords.txt
	functionwordsTxt string
)

// embeddedLists names each embedded file, its text and the list its lines
// go to.
var embeddedLists = []struct {
	file    string
	text    *string
	section section
}{
	{"english.txt", &englishTxt, sectionEnglish},
	{"unterms.txt", &untermsTxt, sectionTerms},
	{"instruments.txt", &instrumentsTxt, sectionInstruments},
	{"preambular.txt", &preambularTxt, sectionPreambular},
	{"operative.txt", &operativeTxt, sectionOperative},
	{"symbols.txt", &symbolsTxt, sectionSymbols},
	{"numbernouns.txt", &numbernounsTxt, sectionNumberNouns},
	{"functionwords.txt", &functionwordsTxt, sectionFunctionWords},
}

// Set is the read-only bundle of lists handed to stages. Safe for concurrent
// reads. The zero Set is empty; Default gives the embedded lists.
type Set struct {
	english *wordSet // lower-case English words

	// terms maps a lower-cased UN term, one token or several, to the term as
	// listed. termWords holds the single-token terms and the words of the
	// multi-word ones, lower-cased, so that a name's parts ("Darussalam")
	// count as words. hyphenated maps the key of
	// each single-token hyphenated term (lower case, hyphens removed) to the
	// term as listed.
	terms      map[string]string
	termWords  map[string]struct{}
	hyphenated map[string]string

	instruments *instrumentIndex
	preambular  *openerIndex
	operative   *openerIndex
	symbols     *symbolGrammar

	numberNouns   map[string]struct{} // lower case
	functionWords map[string]struct{} // lower case

	filters *keyFilters // for WordFilter and HyphenatedFilter; nil in the zero Set
}

var (
	defaultOnce sync.Once
	defaultSet  *Set
)

// Default returns the embedded lists, parsed on first use and shared by all
// callers. It never returns nil: the embedded lists are tested, so a parse
// error here is a bug in the build and panics.
func Default() *Set {
	defaultOnce.Do(func() {
		s, err := loadEmbedded()
		if err != nil {
			panic("dictionaries: embedded lists: " + err.Error())
		}
		defaultSet = s
	})
	return defaultSet
}

// loadEmbedded parses the embedded lists into a new Set.
func loadEmbedded() (*Set, error) {
	files := make([]*listFile, 0, len(embeddedLists))
	for _, l := range embeddedLists {
		lf, err := parseString(l.file, *l.text, l.section)
		if err != nil {
			return nil, err
		}
		files = append(files, lf)
	}
	return (&Set{}).with(files...)
}

// WithFiles returns a copy of s extended with the user's lists in the files
// at paths (format in the package documentation). s itself is unchanged. An
// error names the file and, for a bad line, the line number.
func (s *Set) WithFiles(paths ...string) (*Set, error) {
	files := make([]*listFile, 0, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("reading dictionary: %w", err)
		}
		lf, err := parse(p, f, sectionTerms)
		f.Close()
		if err != nil {
			return nil, err
		}
		files = append(files, lf)
	}
	return s.with(files...)
}

// WithReader is WithFiles for a list read from r; name stands for the file
// in error messages.
func (s *Set) WithReader(name string, r io.Reader) (*Set, error) {
	lf, err := parse(name, r, sectionTerms)
	if err != nil {
		return nil, err
	}
	return s.with(lf)
}

// with returns a copy of s with the entries of files added. Lists that gain
// no entries are shared with s rather than copied, so extending the Default
// set with a few terms does not copy the English list.
func (s *Set) with(files ...*listFile) (*Set, error) {
	if s == nil {
		s = &Set{}
	}
	count := func(sec section) int {
		n := 0
		for _, f := range files {
			n += len(f.entries[sec])
		}
		return n
	}

	n := *s
	if c := count(sectionEnglish); c > 0 {
		keys := englishKeys(files, c)
		if s.english == nil {
			n.english = newWordSet(keys)
		} else {
			n.english = s.english.with(keys)
		}
	}
	if c := count(sectionTerms); c > 0 {
		n.cloneTerms(c)
	}
	if c := count(sectionNumberNouns); c > 0 {
		n.numberNouns = cloneSet(s.numberNouns, c)
	}
	if c := count(sectionFunctionWords); c > 0 {
		n.functionWords = cloneSet(s.functionWords, c)
	}
	for _, f := range files {
		n.addTerms(f.entries[sectionTerms])
		for _, e := range f.entries[sectionNumberNouns] {
			n.numberNouns[foldKey(e)] = struct{}{}
		}
		for _, e := range f.entries[sectionFunctionWords] {
			n.functionWords[foldKey(e)] = struct{}{}
		}
		if e := f.entries[sectionInstruments]; len(e) > 0 {
			n.instruments = n.instruments.with(e)
		}
		if e := f.entries[sectionPreambular]; len(e) > 0 {
			n.preambular = n.preambular.with(e)
		}
		if e := f.entries[sectionOperative]; len(e) > 0 {
			n.operative = n.operative.with(e)
		}
		if e := f.entries[sectionSymbols]; len(e) > 0 {
			g, err := n.symbols.with(f.name, e, f.lines[sectionSymbols])
			if err != nil {
				return nil, err
			}
			n.symbols = g
		}
	}
	n.filters = new(keyFilters)
	return &n, nil
}

// englishKeys returns the lookup keys of the English entries of files, c of
// them. The embedded list is one file of keys already, which is returned as
// it is rather than copied.
func englishKeys(files []*listFile, c int) []string {
	var only []string
	for _, f := range files {
		if e := f.entries[sectionEnglish]; len(e) > 0 {
			if only != nil {
				only = nil
				break
			}
			only = e
		}
	}
	if only != nil && !slices.ContainsFunc(only, needsFold) {
		return only
	}
	keys := make([]string, 0, c)
	for _, f := range files {
		for _, e := range f.entries[sectionEnglish] {
			keys = append(keys, foldKey(e))
		}
	}
	return keys
}

// cloneSet copies m with room for extra more keys; m may be nil.
func cloneSet(m map[string]struct{}, extra int) map[string]struct{} {
	c := make(map[string]struct{}, len(m)+extra)
	maps.Copy(c, m)
	return c
}

// cloneMap is cloneSet for maps with values.
func cloneMap(m map[string]string, extra int) map[string]string {
	c := make(map[string]string, len(m)+extra)
	maps.Copy(c, m)
	return c
}
