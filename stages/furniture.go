package stages

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/pipeline"
)

// Furniture removes what the printer put on the page but the author did not
// write: the masthead (moved into metadata), running heads and footers, job
// numbers such as 06-50523 or "18-16895 (E) 101018", barcodes (*1345517*),
// page numbers (2, 2/5), "Please recycle" and viewer junk. In flattened text
// the same furniture stands inline at the start and end of a page's line.
type Furniture struct {
	dict *dictionaries.Set
}

var _ pipeline.Stage = (*Furniture)(nil)

// NewFurniture returns the stage; dict supplies the document-symbol grammar.
func NewFurniture(dict *dictionaries.Set) *Furniture { return &Furniture{dict: dict} }

func (*Furniture) Name() string { return "furniture" }

var (
	recycle    = regexp.MustCompile(`(?i)^please recycle\b`)
	ocrRecycle = regexp.MustCompile(`\bPlease rec(?:y|\b)`)
	// ocrJobNumber is a job number alone on its line with a digit OCR lost
	// ("8-18142" for 18-18142).
	ocrJobNumber = regexp.MustCompile(`^\d-\d{5}$`)
	viewerJunk   = regexp.MustCompile(`(?i)^(?:select target paragraph\d*|click here to .*|page \d+ of \d+)$`)

	mastDistr         = regexp.MustCompile(`Distr\.?:\s*(General|Limited|Restricted)`)
	mastDate          = regexp.MustCompile(`^\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}$`)
	mastDateInline    = regexp.MustCompile(`(\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4})`)
	mastSession       = regexp.MustCompile(`^(?:(?:[A-Z][a-z]+(?:-[a-z]+)?|\d{4}) )(?:[a-z]+ )*session$`)
	mastSessionInline = regexp.MustCompile(`((?:[A-Z][a-z]+(?:-[a-z]+)?|\d{4})(?: [a-z]+)* session)`)
	mastAgenda        = regexp.MustCompile(`^Agenda items? ([\dA-Za-z()., ]+?)\s*$`)
	mastOriginal      = regexp.MustCompile(`^Original:\s*\w+(?:(?:,| and) \w+)*$`)
	mastCommittee     = regexp.MustCompile(`^(?:First|Second|Third|Fourth|Fifth|Sixth|Special Political and Decolonization) Committee$`)
	mastDateRange     = regexp.MustCompile(`^\d{1,2}(?: [A-Z][a-z]+)?(?: \d{4})?[–-]\d{1,2} [A-Z][a-z]+ \d{4}$`)
	mastItem          = regexp.MustCompile(`^Items? (\d+(?:\s*\([a-z]\))?(?:(?:,| and) \d+(?:\s*\([a-z]\))?)*) of the (?:provisional|preliminary) (?:agenda|list)\*?$`)
	// A starred note on the first page that points at the agenda or list
	// ("* A/74/50.") belongs to the masthead.
	mastNote  = regexp.MustCompile(`^\*{1,3} ?[A-Z]+(?:/[A-Z0-9.]+)+\.?$`)
	bodyNames = []string{"General Assembly", "Security Council", "Economic and Social Council", "Human Rights Council", "Trusteeship Council"}

	// bodyStart marks the first line of a document's own text: the adoption
	// line of a resolution, its committee line, its numbered title, or the
	// name of the adopting organ.
	bodyStart = regexp.MustCompile(`^(?:(?:Resolution|Decision)s? adopted by|Adopted by the |Resolution \d+ \(\d{4}\)$|\[(?:on the report|without reference)|(?:[A-Z]+-)?\d+/\d+\.|The (?:General Assembly|Security Council|Economic and Social Council|Human Rights Council|Commission|Conference|Council)\b)`)
)

func (f *Furniture) Apply(doc *pipeline.Document) error {
	if doc.Kind == pipeline.KindFlat {
		f.inline(doc)
		return nil
	}
	if doc.Kind == pipeline.KindMarkdown {
		return nil
	}
	f.masthead(doc)
	if doc.Meta.Symbol == "" {
		doc.Meta.Symbol = f.guessSymbol(doc)
	}
	title := titleWords(doc)
	repeated := repeatedEdgeLines(doc)
	pageNumbers := f.pageNumbers(doc)
	var removeAll []string // each page's remove, in turn
	for pi := range doc.Pages {
		page := &doc.Pages[pi]
		n := len(page.Lines)
		if cap(removeAll) < n {
			removeAll = make([]string, n)
		}
		remove := removeAll[:n]
		clear(remove)
		// Strict patterns hold anywhere on a page: nothing in a UN text
		// looks like a job number, a barcode or the document's own symbol
		// on a line by itself.
		for li, ln := range page.Lines {
			if why := f.strict(doc, ln.Text); why != "" {
				remove[li] = why
			}
		}
		// Top of the page: running heads.
		for li := 0; li < n && li < 5; li++ {
			t := page.Lines[li].Text
			if remove[li] != "" {
				continue
			}
			why := f.edge(doc, t)
			if why == "" && f.footerTokens(t) {
				why = "running head"
			}
			if why == "" {
				// Each piece of the line must be a running head: the title
				// (or part of it) on later pages, a repeated line, or furniture.
				head := true
				var room [4]string
				for _, c := range appendLayoutChunks(room[:0], t) {
					if !repeated.has(c) && !(pi > 0 && title.covers(c) && !endsClause(c)) && f.strict(doc, c) == "" && f.edge(doc, c) == "" {
						head = false
					}
				}
				if head {
					why = "running head"
				}
			}
			if why == "" {
				break
			}
			remove[li] = why
		}
		// Bottom of the page: footers and page numbers. A lone number is
		// only a page number at the very edge, since footnote numbers stand
		// alone on lines just above.
		sawPageNo := false
		edge := true
		pageNo := pageNumbers[pi]
		for li := n - 1; li >= 0 && li >= n-8; li-- {
			t := page.Lines[li].Text
			if remove[li] != "" {
				if strings.HasPrefix(remove[li], "page number") {
					sawPageNo = true
				}
				continue
			}
			why := ""
			if isPageOfPages(t) {
				why = "page number"
			} else if edge && !sawPageNo && li == n-1 && t == pageNo {
				why = "page number"
			} else if isDateCode(t) {
				why = "print date code"
			} else if repeated.has(t) && !isRule(t) {
				// (A footnote rule recurs at the foot of every page with
				// footnotes; it is the footnote stage's to take.)
				why = "running footer"
			} else if chunks := wideChunks(t); len(chunks) > 1 && f.allFurniture(doc, chunks) {
				why = "page footer"
			} else if f.footerTokens(t) {
				why = "page footer"
			}
			if why == "" {
				edge = false
				continue
			}
			if why == "page number" {
				sawPageNo = true
			}
			remove[li] = why
		}
		kept := page.Lines[:0]
		for li, ln := range page.Lines {
			if remove[li] == "" {
				// A line that stays where it is need not be copied.
				if len(kept) < li {
					page.Lines[len(kept)] = ln
				}
				kept = kept[:len(kept)+1]
				continue
			}
			f.noteMeta(doc, ln.Text)
			doc.Record(pipeline.Repair{
				Stage: f.Name(), Kind: pipeline.RepairFurniture, Before: ln.Text,
				Reason: removedReason(remove[li]), Confidence: 0.95,
				Pos: pipeline.LinePos(page.Number, ln.Origin, 0, len(ln.Text)),
			})
		}
		page.Lines = kept
	}
	f.gluedJobNumbers(doc)
	return nil
}

// removedReason is "removed " + why, without building the string for the
// reasons strict, edge and Apply give.
func removedReason(why string) string {
	switch why {
	case "job number":
		return "removed job number"
	case "barcode":
		return "removed barcode"
	case "running head":
		return "removed running head"
	case "running head (document symbol)":
		return "removed running head (document symbol)"
	case "page number":
		return "removed page number"
	case "print date code":
		return "removed print date code"
	case "running footer":
		return "removed running footer"
	case "page footer":
		return "removed page footer"
	}
	return "removed " + why
}

var gluedJob = regexp.MustCompile(`^(.*\p{L}) ?(\d{2}-\d{5})(?:\s*\([A-Z]\))?$`)

// gluedJobNumbers repairs the last line of a page where pdftotext joined a
// hyphenated word with the job number printed below it, eating the hyphen:
// "Sup08-48236" over the page break before "press and Punish". The job
// number goes, and the hyphen comes back when the fragment and the next
// page's first word make a word, so that the dehyphenator rejoins them.
func (f *Furniture) gluedJobNumbers(doc *pipeline.Document) {
	for pi := range doc.Pages {
		lines := doc.Pages[pi].Lines
		if len(lines) == 0 {
			continue
		}
		ln := &lines[len(lines)-1]
		if jobNumberAt(ln.Text, 0) < 0 {
			continue // gluedJob backtracks over the whole line to fail
		}
		m := gluedJob.FindStringSubmatch(ln.Text)
		if m == nil {
			continue
		}
		before := ln.Text
		ln.Text = m[1]
		f.noteMeta(doc, m[2])
		if next := nextLine(doc, pi); next != "" {
			if frag, w := lastWord(m[1]), firstWord(next); frag != "" && w != "" && isLower(w) && f.dict.IsWord(frag+w) {
				ln.Text += "-"
			}
		}
		doc.Record(pipeline.Repair{
			Stage: f.Name(), Kind: pipeline.RepairFurniture, Before: before, After: ln.Text,
			Reason: "removed a job number glued to the last line of the page", Confidence: 0.9,
			Pos: pipeline.LinePos(doc.Pages[pi].Number, ln.Origin, len(m[1]), len(before)),
		})
	}
}

// nextLine returns the first line after page pi, or "".
func nextLine(doc *pipeline.Document, pi int) string {
	for _, p := range doc.Pages[pi+1:] {
		if len(p.Lines) > 0 {
			return p.Lines[0].Text
		}
	}
	return ""
}

// strict returns why t is furniture wherever it stands, or "".
func (f *Furniture) strict(doc *pipeline.Document, t string) string {
	if t == "" {
		return ""
	}
	// Furniture lines are short; body lines are not, unless a wide gap sets
	// items side by side. Looking for the gap costs a pass over the line,
	// so it waits until the line's first bytes allow furniture.
	if len(t) > 80 && !(mayBeStrict(doc, t) && hasWideGap(t)) {
		return ""
	}
	// Each pattern starts with a known byte: test that first, since this
	// runs on every line.
	c := t[0]
	switch {
	case c >= '0' && c <= '9' && (isJobNumber(t) || doc.Kind == pipeline.KindOCR && isOCRJobNumber(t)):
		return "job number"
	case c == '*' && isBarcode(t):
		return "barcode"
	case (c == 'P' || c == 'p') && recycle.MatchString(t):
		return "\"Please recycle\""
	case (c == 'S' || c == 's' || c == 'C' || c == 'c' || c == 'P' || c == 'p') && maybeViewerJunk(t) && viewerJunk.MatchString(t):
		return "viewer junk"
	case doc.Meta.Symbol != "" && t == doc.Meta.Symbol:
		return "running head (document symbol)"
	case c == '*' && mastNote.MatchString(t):
		return "masthead note"
	case doc.Kind == pipeline.KindOCR && len(t) < 50 && strings.Contains(t, "Please rec") && ocrRecycle.MatchString(t):
		// The footer's barcode, job number and "Please recycle", which OCR
		// reads as one line of fragments.
		return "\"Please recycle\" footer"
	}
	if !mayBeChunkedFooter(doc, t) || !hasWideGap(t) {
		return ""
	}
	var room [4]string
	if chunks := appendLayoutChunks(room[:0], t); len(chunks) > 1 {
		all := true
		for _, c := range chunks {
			if !isJobNumber(c) && !isBarcode(c) && !isDateCode(c) &&
				!(doc.Meta.Symbol != "" && c == doc.Meta.Symbol) {
				all = false
			}
		}
		if all {
			return "job number"
		}
	}
	return ""
}

// mayBeStrict reports whether a line longer than 80 bytes (so no OCR
// "Please recycle" footer) opens as one of strict's patterns must: a job
// number, a star, "pl" of "Please recycle", the viewer junk, the symbol or
// a chunked footer.
func mayBeStrict(doc *pipeline.Document, t string) bool {
	c := t[0]
	return isDigit(c) && (len(t) >= 3 && t[2] == '-' || len(t) >= 2 && t[1] == '-') || c == '*' ||
		(c == 'P' || c == 'p') && len(t) >= 2 && t[1]|0x20 == 'l' || maybeViewerJunk(t) ||
		doc.Meta.Symbol != "" && t == doc.Meta.Symbol || mayBeChunkedFooter(doc, t)
}

// mayBeChunkedFooter reports whether the first chunk of a layout line can
// be a job number, barcode, print date code or the symbol, which strict
// needs of every chunk.
func mayBeChunkedFooter(doc *pipeline.Document, t string) bool {
	s := t
	if s != "" && (s[0] <= ' ' || s[len(s)-1] <= ' ' || s[0] >= utf8.RuneSelf || s[len(s)-1] >= utf8.RuneSelf) {
		s = strings.TrimSpace(s) // (lines seldom need it)
	}
	return len(s) >= 3 && isDigits(s[:2]) && s[2] == '-' || len(s) >= 6 && isDigits(s[:6]) || s != "" && s[0] == '*' ||
		doc.Meta.Symbol != "" && strings.HasPrefix(s, doc.Meta.Symbol)
}

// guessSymbol finds the document's symbol where no masthead named it: a
// symbol alone on a line that stands at a page edge, recurs, or is a
// resolution or statement symbol (which body text never sets on a line of
// its own). OCR of a multi-page scan runs the pages together, so the
// running head sits mid-text; knowing the symbol lets it go anywhere.
func (f *Furniture) guessSymbol(doc *pipeline.Document) string {
	count := map[string]int{}
	best := ""
	for _, p := range doc.Pages {
		for li, ln := range p.Lines {
			t := ln.Text
			if !maybeSymbol(t) || strings.HasSuffix(t, ".") || !f.dict.IsSymbol(t) {
				continue
			}
			count[t]++
			edge := li < 2 || li >= len(p.Lines)-2
			if edge || count[t] >= 2 || strings.Contains(t, "/RES/") || strings.Contains(t, "/PRST/") {
				if best == "" || count[t] > count[best] {
					best = t
				}
			}
		}
	}
	return best
}

// maybeSymbol is a cheap test before the symbol grammar: a symbol is one
// short token with a slash.
func maybeSymbol(t string) bool {
	return len(t) < 48 && strings.IndexByte(t, '/') > 0 && !strings.Contains(t, "  ")
}

// edge returns why t, standing at the top or bottom edge of a page, is
// furniture, or "".
func (f *Furniture) edge(doc *pipeline.Document, t string) string {
	switch {
	case maybeSymbol(t) && f.dict.IsSymbol(t):
		return "running head (document symbol)"
	case isPageOfPages(t):
		return "page number"
	case isDateCode(t):
		return "print date code"
	}
	if chunks := wideChunks(t); len(chunks) > 1 && f.allFurniture(doc, chunks) {
		return "running head"
	}
	return ""
}

// allFurniture reports whether every chunk of a layout line is furniture.
func (f *Furniture) allFurniture(doc *pipeline.Document, chunks []string) bool {
	for _, c := range chunks {
		if f.strict(doc, c) == "" && f.edge(doc, c) == "" && !isMastheadLine(f, c) {
			return false
		}
	}
	return true
}

// footerTokens reports a short line whose words are all footer items set
// side by side with single spaces: "2/10 19-09876", "19-09876 3/10".
func (f *Furniture) footerTokens(t string) bool {
	if len(t) > 60 {
		return false
	}
	// The symbol grammar is slow, so it is asked last, and only about
	// lines whose other words all are footer items.
	words, strong, symbols := 0, false, false
	for w := range strings.FieldsSeq(t) {
		words++
		switch {
		case isBareJobNumber(w), isBarcode(w), isPageOfPages(w):
			strong = true
		case isLoneNumber(w), isDateCode(w), len(w) == 3 && w[0] == '(' && w[2] == ')':
		case maybeSymbol(w):
			symbols = true
		default:
			return false
		}
	}
	if words < 2 || !strong {
		return false
	}
	if symbols {
		for w := range strings.FieldsSeq(t) {
			if !isFooterItem(w) && !f.dict.IsSymbol(w) {
				return false
			}
		}
	}
	return true
}

// isFooterItem reports a word of a footer line other than a symbol.
func isFooterItem(w string) bool {
	return isBareJobNumber(w) || isBarcode(w) || isPageOfPages(w) ||
		isLoneNumber(w) || isDateCode(w) || len(w) == 3 && w[0] == '(' && w[2] == ')'
}

// The furniture shapes below are a few bytes of digits and punctuation,
// tried on every line and chunk of a page. They are written out, since a
// regexp costs a hundred nanoseconds or more even when it fails at once;
// furniture_scan_test.go holds each to the regexp it stands for.

// isJobNumber reports a line or chunk that is a job number with its
// optional language and print date, ^\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{6})?$,
// written out: as a regexp, which is not one-pass, it backtracks through
// the wide gap of a layout footer ("06-50523" and a page number a hundred
// spaces to the right).
func isJobNumber(t string) bool {
	if len(t) < 8 || !isDigits(t[:2]) || t[2] != '-' || !isDigits(t[3:8]) {
		return false
	}
	rest := t[8:]
	// A language in brackets, after optional white space, must be taken.
	i := skipRESpace(rest, 0)
	if i+3 <= len(rest) && rest[i] == '(' && rest[i+1] >= 'A' && rest[i+1] <= 'Z' && rest[i+2] == ')' {
		rest = rest[i+3:]
	}
	if rest == "" {
		return true
	}
	// Then a print date after white space, or nothing.
	i = skipRESpace(rest, 0)
	return i > 0 && len(rest)-i == 6 && isDigits(rest[i:])
}

// isBareJobNumber reports a word that is a job number and nothing more,
// \d{2}-\d{5}.
func isBareJobNumber(w string) bool {
	return len(w) == 8 && isDigits(w[:2]) && w[2] == '-' && isDigits(w[3:])
}

// jobInlineMatch finds the first job number in t that starts a word, with
// the language after it if any, as \b(\d{2}-\d{5})(?:\s*\(([A-Z])\))?
// would.
func jobInlineMatch(t string) (job, lang string, ok bool) {
	for from := 0; ; {
		p := jobNumberAt(t, from)
		if p < 0 {
			return "", "", false
		}
		from = p + 1
		if i := p - 2; i == 0 || !isWordByte(t[i-1]) {
			rest := t[p+6:]
			if j := skipRESpace(rest, 0); j+3 <= len(rest) && rest[j] == '(' && rest[j+1] >= 'A' && rest[j+1] <= 'Z' && rest[j+2] == ')' {
				lang = rest[j+1 : j+2]
			}
			return t[i : p+6], lang, true
		}
	}
}

// isWordByte reports a byte \w matches. (No byte of a rune beyond ASCII
// does, so a word boundary is decided by the bytes beside it.)
func isWordByte(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// skipRESpace returns the index of the first byte at or after i in t that
// \s does not match.
func skipRESpace(t string, i int) int {
	for i < len(t) && isRESpace(t[i]) {
		i++
	}
	return i
}

// hasWideGap is strings.Contains(t, "   "), probing every third byte: in
// text, where every word ends with a space, strings.Contains stops at
// each of them. Any run of three spaces covers a probe.
func hasWideGap(t string) bool {
	for i := 2; i < len(t); i += 3 {
		if t[i] != ' ' {
			continue
		}
		a, b := i, i
		for a > i-2 && t[a-1] == ' ' {
			a--
		}
		for b < i+2 && b+1 < len(t) && t[b+1] == ' ' {
			b++
		}
		if b-a >= 2 {
			return true
		}
	}
	return false
}

func isOCRJobNumber(t string) bool { return len(t) == 7 && t[1] == '-' && ocrJobNumber.MatchString(t) }

// isBarcode reports a barcode, ^\*\d{5,}\*$ ("*0650523*").
func isBarcode(t string) bool {
	return len(t) >= 7 && t[0] == '*' && t[len(t)-1] == '*' && isDigits(t[1:len(t)-1])
}

// isDateCode reports a print date code, ^\d{6}$ ("101018").
func isDateCode(t string) bool { return len(t) == 6 && isDigits(t) }

// isLoneNumber reports a number standing alone, ^\d{1,3}$.
func isLoneNumber(t string) bool { return len(t) >= 1 && len(t) <= 3 && isDigits(t) }

// isPageOfPagesShape reports a page number out of the pages,
// ^(\d{1,3})/(\d{1,3})$ ("2/5").
func isPageOfPagesShape(t string) bool {
	_, _, ok := pageOfPagesNumbers(t)
	return ok
}

// isPageOfPages reports a page number out of the pages whose numbers make
// sense: "2/5" but not "7/5" or "0/5".
func isPageOfPages(t string) bool {
	a, b, ok := pageOfPagesNumbers(t)
	return ok && a >= 1 && a <= b
}

func pageOfPagesNumbers(t string) (page, of int, ok bool) {
	i := strings.IndexByte(t, '/')
	if i < 1 || i > 3 || len(t)-i-1 < 1 || len(t)-i-1 > 3 || !isDigits(t[:i]) || !isDigits(t[i+1:]) {
		return 0, 0, false
	}
	page, _ = strconv.Atoi(t[:i])
	of, _ = strconv.Atoi(t[i+1:])
	return page, of, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// pageNumbers returns, for each page, the lone number that is its page
// number if it stands as the page's last line (after strict furniture), or
// "". A lone number is the page number when it equals the page's ordinal, or
// when the pages' last numbers rise by one from page to page (an extract
// that starts mid-document). The decision depends only on the numbers
// themselves, not on what else is removed, so that a second run agrees with
// the first; a footnote label above a page number is never taken.
func (f *Furniture) pageNumbers(doc *pipeline.Document) []string {
	last := make([]int, len(doc.Pages))
	for pi, p := range doc.Pages {
		for li := len(p.Lines) - 1; li >= 0; li-- {
			t := p.Lines[li].Text
			if f.strict(doc, t) != "" || isPageOfPagesShape(t) || isDateCode(t) || f.footerTokens(t) {
				continue
			}
			if isLoneNumber(t) {
				last[pi], _ = strconv.Atoi(t)
			}
			break
		}
	}
	out := make([]string, len(doc.Pages))
	for pi, n := range last {
		if n == 0 {
			continue
		}
		seq := pi > 0 && last[pi-1] == n-1 || pi+1 < len(last) && last[pi+1] == n+1
		if n == pi+1 || seq {
			out[pi] = strconv.Itoa(n)
		}
	}
	return out
}

// wideChunks is layoutChunks(t) where t has a wide gap and nil where it
// has none (and is one chunk), for callers that look for two chunks or
// more: it saves allocating the one.
func wideChunks(t string) []string {
	if !hasWideGap(t) {
		return nil
	}
	return layoutChunks(t)
}

// layoutChunks splits a pdftotext -layout line, trimmed, at runs of 3+
// spaces, which separate items set side by side (symbol at right, job
// number at left).
func layoutChunks(t string) []string { return appendLayoutChunks(nil, t) }

// appendLayoutChunks appends the layoutChunks of t to chunks. Callers pass
// room on their stack, since nearly every line is one chunk.
func appendLayoutChunks(chunks []string, t string) []string {
	if !hasWideGap(t) {
		return append(chunks, t)
	}
	// The trimmed line neither starts nor ends with a gap, so the chunks
	// are what stands between the gaps.
	s := strings.TrimSpace(t)
	if s == "" {
		return append(chunks, "")
	}
	for {
		i := strings.Index(s, "   ")
		if i < 0 {
			return append(chunks, s)
		}
		chunks = append(chunks, s[:i])
		j := i + 3
		for j < len(s) && s[j] == ' ' {
			j++
		}
		s = s[j:]
	}
}

// masthead removes the masthead at the top of the first page into
// metadata. It only acts when the top of the page really is a masthead
// (two or more masthead lines), so documents that start with their text are
// left alone. The masthead ends at the first line of the document's own
// text; the lines after "Agenda item 5" up to a blank line are the item's
// title, and so is the single line after a pre-session "Item 70 (b) of the
// preliminary list*".
func (f *Furniture) masthead(doc *pipeline.Document) {
	if len(doc.Pages) == 0 {
		return
	}
	page := &doc.Pages[0]
	reasons := map[int]string{}
	var agenda []string
	hits, inAgenda := 0, false
	for li := range page.Lines {
		if li > 30 || isBodyStart(page.Lines[li].Text) {
			break
		}
		if doc.Kind == pipeline.KindOCR {
			f.fixOCRSymbol(doc, page.Number, &page.Lines[li])
		}
		ln := page.Lines[li]
		if f.isMastheadText(ln.Text) {
			hits++
			reasons[li] = "masthead"
			var room [4]string
			for _, c := range appendLayoutChunks(room[:0], ln.Text) {
				if isMastAgenda(c) || isMastItem(c) {
					inAgenda = true
				}
			}
			continue
		}
		if inAgenda && !(ln.Break && len(agenda) > 0) && len(agenda) < 3 && !docTitle.MatchString(ln.Text) && f.strict(doc, ln.Text) == "" {
			agenda = append(agenda, ln.Text)
			reasons[li] = "masthead (agenda item title)"
			continue
		}
		break
	}
	if hits < 2 {
		return
	}
	if len(agenda) > 0 {
		doc.Meta.AgendaTitle = strings.Join(agenda, " ")
	}
	kept := page.Lines[:0]
	for li, ln := range page.Lines {
		why, ok := reasons[li]
		if !ok {
			kept = append(kept, ln)
			continue
		}
		if why == "masthead" {
			var room [4]string
			for _, c := range appendLayoutChunks(room[:0], ln.Text) {
				f.noteMastheadChunk(doc, c)
			}
		}
		doc.Record(pipeline.Repair{
			Stage: f.Name(), Kind: pipeline.RepairFurniture, Before: ln.Text,
			Reason: "removed " + why + " into metadata", Confidence: 0.95,
			Pos: pipeline.LinePos(page.Number, ln.Origin, 0, len(ln.Text)),
		})
	}
	page.Lines = kept
}

// isBodyStart is bodyStart.MatchString(t), written out: it runs on every
// masthead line, and the regexp cost more than the rest of the masthead
// test. Each alternative is a literal but for a few digits.
func isBodyStart(t string) bool {
	switch {
	case strings.HasPrefix(t, "Resolution"):
		rest := t[len("Resolution"):]
		if furnAdoptedBy(rest) {
			return true
		}
		// Resolution \d+ \(\d{4}\)$
		if rest == "" || rest[0] != ' ' {
			return false
		}
		i := skipDigits(rest, 1)
		rest = rest[i:]
		return i > 1 && len(rest) == 7 && rest[:2] == " (" && isDigits(rest[2:6]) && rest[6] == ')'
	case strings.HasPrefix(t, "Decision"):
		return furnAdoptedBy(t[len("Decision"):])
	case strings.HasPrefix(t, "["):
		return strings.HasPrefix(t, "[on the report") || strings.HasPrefix(t, "[without reference")
	case strings.HasPrefix(t, "The "):
		rest := t[len("The "):]
		for _, name := range bodyStartNames {
			// The name must end a word, \b: at the end or before a byte
			// that \w does not match.
			if strings.HasPrefix(rest, name) && (len(rest) == len(name) || !isWordByte(rest[len(name)])) {
				return true
			}
		}
		return false
	}
	return strings.HasPrefix(t, "Adopted by the ") || mayBeNumberedTitle(t)
}

// bodyStartNames are the organs bodyStart names after "The ".
var bodyStartNames = []string{"General Assembly", "Security Council", "Economic and Social Council", "Human Rights Council", "Commission", "Conference", "Council"}

// furnAdoptedBy reports whether rest, after "Resolution" or "Decision", goes
// on as s? adopted by.
func furnAdoptedBy(rest string) bool {
	return strings.HasPrefix(rest, " adopted by") || strings.HasPrefix(rest, "s adopted by")
}

// slashMisreads are what OCR reads for the slash after a symbol's series
// letter: "AvRES/73/8", "S|RES/2334", "A\\RES", "AlRES", "AIRES".
const slashMisreads = `v|\Il1`

// fixOCRSymbol restores a masthead symbol whose first slash OCR lost or
// misread ("ARES/ES-11/1", "AvRES/73/8", "Avres/73/7", "SIRES/2334
// (2016)"), so that the masthead is still recognized. Each word with a
// slash that is not a symbol is tried as series letter (A, S or E), slash,
// rest, with the misread slash dropped or not; the symbol grammar decides.
func (f *Furniture) fixOCRSymbol(doc *pipeline.Document, page int, ln *pipeline.Line) {
	start := 0
	for _, tok := range strings.Fields(ln.Text) {
		at := start + strings.Index(ln.Text[start:], tok)
		start = at + len(tok)
		fixed, ok := f.repairSymbol(tok)
		if !ok {
			continue
		}
		before := ln.Text
		ln.Text = ln.Text[:at] + fixed + ln.Text[start:]
		start = at + len(fixed)
		doc.Record(pipeline.Repair{
			Stage: f.Name(), Kind: pipeline.RepairSpelling, Before: before, After: ln.Text,
			Reason:     "document symbol with the slash OCR misread",
			Confidence: 0.9, Pos: pipeline.LinePos(page, ln.Origin, at, start),
		})
	}
}

// repairSymbol returns the symbol tok stands for when OCR lost or misread
// the slash after its series letter.
func (f *Furniture) repairSymbol(tok string) (string, bool) {
	if len(tok) < 4 || !strings.ContainsRune("ASE", rune(tok[0])) || tok[1] == '/' ||
		!strings.Contains(tok, "/") || f.dict.IsSymbol(tok) {
		return "", false
	}
	rest := tok[1:]
	// A dropped misread slash first: "AvRES" is A/RES, not A/VRES.
	var tries []string
	if strings.ContainsRune(slashMisreads, rune(rest[0])) {
		tries = append(tries, rest[1:])
	}
	tries = append(tries, rest)
	for _, r := range tries {
		seg, after, ok := strings.Cut(r, "/")
		if !ok || seg == "" {
			continue
		}
		if seg == strings.ToLower(seg) {
			seg = strings.ToUpper(seg) // "Avres/73/7"
		}
		if cand := tok[:1] + "/" + seg + "/" + after; f.dict.IsSymbol(cand) {
			return cand, true
		}
	}
	return "", false
}

// isMastheadText reports a line made only of masthead items.
func (f *Furniture) isMastheadText(t string) bool {
	var room [4]string
	for _, c := range appendLayoutChunks(room[:0], t) {
		if !isMastheadLine(f, c) {
			return false
		}
	}
	return true
}

func isMastheadLine(f *Furniture, c string) bool {
	if isMastheadItem(f, c) {
		return true
	}
	_, rest := f.mastheadItems(c)
	return rest == ""
}

// mastheadItems peels the masthead items run together on one line ("United
// Nations S/RES/2334 (2016)", "Security Council Distr.: General") off it
// one by one, and returns them with what is left when no item starts it.
func (f *Furniture) mastheadItems(c string) (items []string, rest string) {
	rest = c + " "
	for rest != "" {
		item := f.mastheadPrefix(rest)
		if item == "" {
			return items, strings.TrimSpace(rest)
		}
		items = append(items, strings.TrimSpace(item))
		rest = strings.TrimLeft(rest[len(item):], " ")
	}
	return items, ""
}

func isMastheadItem(f *Furniture, c string) bool {
	if c == "United Nations" || isMastDistr(c) || isMastDate(c) ||
		isMastSession(c) || isMastAgenda(c) || isMastOriginal(c) || isMastItem(c) ||
		isMastCommittee(c) || isMastDateRange(c) ||
		strings.HasSuffix(c, "*") && maybeSymbol(strings.TrimRight(c, "*")) && f.dict.IsSymbol(strings.TrimRight(c, "*")) ||
		f.dict.IsSymbol(c) {
		return true
	}
	for _, b := range bodyNames {
		if c == b {
			return true
		}
	}
	return false
}

// The masthead patterns are tried on every chunk of the first page's
// lines. Each needs a literal or a digit at a known place, and testing
// that first turns away nearly every chunk before the regexp runs.

func isMastDistr(c string) bool {
	_, ok := mastDistribution(c)
	return ok
}

// mastDistribution is the group mastDistr captures in c, written out:
// the first "Distr" followed by \.?:\s* and one of the three words.
func mastDistribution(c string) (string, bool) {
	for rest := c; ; {
		i := strings.Index(rest, "Distr")
		if i < 0 {
			return "", false
		}
		rest = rest[i+len("Distr"):]
		if r, ok := strings.CutPrefix(strings.TrimPrefix(rest, "."), ":"); ok {
			r = r[skipRESpace(r, 0):]
			for _, d := range []string{"General", "Limited", "Restricted"} {
				if strings.HasPrefix(r, d) {
					return d, true
				}
			}
		}
	}
}

func isMastDate(c string) bool {
	return c != "" && isDigit(c[0]) && endsWithYear(c) && mastDate.MatchString(c)
}

// endsWithYear reports whether c ends with a space and four digits, as
// mastDate and mastDateRange need: a job number or a numbered paragraph
// that opens with a digit as they do rarely passes.
func endsWithYear(c string) bool {
	return len(c) >= 5 && c[len(c)-5] == ' ' && isDigits(c[len(c)-4:])
}

// isMastSession is mastSession.MatchString(c), written out: a capitalized
// word (with one hyphenated part) or a year, then lower-case words, the
// last of them "session", each after a single space.
func isMastSession(c string) bool {
	if !strings.HasSuffix(c, " session") {
		return false
	}
	i := 0
	switch {
	case len(c) >= 4 && isDigits(c[:4]):
		i = 4
	case c[0] >= 'A' && c[0] <= 'Z':
		i = skipLower(c, 1)
		if i == 1 {
			return false
		}
		if i < len(c) && c[i] == '-' {
			if j := skipLower(c, i+1); j > i+1 {
				i = j
			}
		}
	default:
		return false
	}
	if i == len(c) || c[i] != ' ' {
		return false
	}
	for rest := c[i+1:]; rest != "session"; {
		j := skipLower(rest, 0)
		if j == 0 || j == len(rest) || rest[j] != ' ' {
			return false
		}
		rest = rest[j+1:]
	}
	return true
}

// skipLower returns the index of the first byte at or after i in t that
// is not a lower-case ASCII letter.
func skipLower(t string, i int) int {
	for i < len(t) && t[i] >= 'a' && t[i] <= 'z' {
		i++
	}
	return i
}

func isMastAgenda(c string) bool {
	_, ok := mastAgendaItem(c)
	return ok
}

// mastAgendaItem is the group mastAgenda captures in c, written out. The
// lazy group ends where only \s remains, but takes one byte at least: a
// space, when nothing else is left.
func mastAgendaItem(c string) (string, bool) {
	rest, ok := strings.CutPrefix(c, "Agenda item")
	if !ok {
		return "", false
	}
	rest = strings.TrimPrefix(rest, "s")
	if rest == "" || rest[0] != ' ' {
		return "", false
	}
	rest = rest[1:]
	n := len(rest)
	for n > 0 && isRESpace(rest[n-1]) {
		n--
	}
	if rest == "" {
		return "", false
	}
	item := rest[:max(n, 1)]
	for i := 0; i < len(item); i++ {
		switch c := item[i]; {
		case isDigit(c), c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c == '(', c == ')', c == '.', c == ',', c == ' ':
		default:
			return "", false
		}
	}
	return item, true
}

func isMastOriginal(c string) bool {
	return strings.HasPrefix(c, "Original:") && mastOriginal.MatchString(c)
}

func isMastItem(c string) bool { return strings.HasPrefix(c, "Item") && mastItem.MatchString(c) }

func isMastCommittee(c string) bool {
	return strings.HasSuffix(c, " Committee") && mastCommittee.MatchString(c)
}

func isMastDateRange(c string) bool {
	return c != "" && isDigit(c[0]) && endsWithYear(c) && mastDateRange.MatchString(c)
}

// noteMeta reads metadata from a furniture line before it is dropped.
func (f *Furniture) noteMeta(doc *pipeline.Document, t string) {
	m := &doc.Meta
	var room [4]string
	for _, c := range appendLayoutChunks(room[:0], t) {
		if strings.HasSuffix(c, "*") && len(c) > 1 && maybeSymbol(strings.TrimRight(c, "*")) {
			c = strings.TrimRight(c, "*") // a reissued document: "A/RES/71/199*"
		}
		switch {
		case f.dict.IsSymbol(c):
			if m.Symbol == "" {
				m.Symbol = c
			}
			if !contains(m.Symbols, c) {
				m.Symbols = append(m.Symbols, c)
			}
		case isMastDistr(c):
			m.Distribution, _ = mastDistribution(c)
		case isMastDate(c):
			if m.Date == "" {
				m.Date = c
			}
		case isMastSession(c):
			m.Session = c
		case isMastAgenda(c):
			m.AgendaItem, _ = mastAgendaItem(c)
		case isMastItem(c):
			m.AgendaItem = mastItem.FindStringSubmatch(c)[1]
		case m.JobNumber == "":
			// (The first job number noted stands.)
			if job, lang, ok := jobInlineMatch(c); ok {
				m.JobNumber = job
				m.Language = lang
			}
		}
		for _, b := range bodyNames {
			if c == b && m.Body == "" {
				m.Body = b
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// appendNorm1 appends t folded for comparing running heads across pages:
// digits vary (page numbers), spacing varies (layout). A byte that is not
// UTF-8 folds to U+FFFD. Callers look the result up as string(key), which
// does not copy it.
func appendNorm1(dst []byte, t string) []byte {
	// ASCII, which most of a line is, folds byte for byte into room made
	// beforehand; the rest goes rune by rune.
	n := len(dst)
	dst = slices.Grow(dst, len(t))[:n+len(t)]
	j := n
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c >= utf8.RuneSelf {
			return appendNorm1Runes(dst[:j], t[i:])
		}
		if c == ' ' {
			continue
		}
		if isDigit(c) {
			c = '#'
		}
		dst[j] = c
		j++
	}
	return dst[:j]
}

func appendNorm1Runes(dst []byte, t string) []byte {
	for _, r := range t {
		switch {
		case r >= '0' && r <= '9':
			dst = append(dst, '#')
		case r == ' ':
		default:
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst
}

// edgeLines is a set of lines folded by appendNorm1.
type edgeLines struct {
	keys map[string]bool
	// The first and last bytes of the keys, when ASCII: a line that folds
	// to none of them is not in the set, and need not be folded.
	first, last [utf8.RuneSelf]bool
	key         []byte // room to fold a line into
}

func (s *edgeLines) add(key string) {
	if s.keys == nil {
		s.keys = map[string]bool{}
	}
	s.keys[key] = true
	if c := key[0]; c < utf8.RuneSelf {
		s.first[c] = true
	}
	if c := key[len(key)-1]; c < utf8.RuneSelf {
		s.last[c] = true
	}
}

// has reports whether t, folded, is in the set.
func (s *edgeLines) has(t string) bool {
	if len(s.keys) == 0 {
		return false
	}
	// Folding drops spaces and turns digits into '#'; a byte of a rune
	// beyond ASCII folds to itself or to the start or end of U+FFFD.
	i, j := 0, len(t)-1
	for i <= j && t[i] == ' ' {
		i++
	}
	for j >= i && t[j] == ' ' {
		j--
	}
	if i > j {
		return false // folds to "", which no key is
	}
	if c := norm1Byte(t[i]); c < utf8.RuneSelf && !s.first[c] {
		return false
	}
	if c := norm1Byte(t[j]); c < utf8.RuneSelf && !s.last[c] {
		return false
	}
	s.key = appendNorm1(s.key[:0], t)
	return s.keys[string(s.key)]
}

// norm1Byte is what appendNorm1 makes of an ASCII byte other than a space;
// bytes beyond ASCII it returns as they are.
func norm1Byte(c byte) byte {
	if isDigit(c) {
		return '#'
	}
	return c
}

// repeatedEdgeLines finds lines that stand within the first or last three
// lines of at least half of the pages (and at least two): running heads and
// footers that carry no symbol, such as a short title.
func repeatedEdgeLines(doc *pipeline.Document) *edgeLines {
	out := &edgeLines{}
	if len(doc.Pages) < 3 {
		return out
	}
	// The edge lines fold into one buffer first, which becomes one string
	// that the keys are cut from, rather than a string each.
	type edgeKey struct{ page, start, end int }
	buf := make([]byte, 0, 6*64*len(doc.Pages))
	keys := make([]edgeKey, 0, 6*len(doc.Pages))
	for pi, p := range doc.Pages {
		for li := range p.Lines {
			if li >= 3 && li < len(p.Lines)-3 {
				continue
			}
			start := len(buf)
			buf = appendNorm1(buf, p.Lines[li].Text)
			if len(buf)-start < 4 {
				buf = buf[:start]
				continue
			}
			keys = append(keys, edgeKey{pi, start, len(buf)})
		}
	}
	folded := string(buf)
	// Each key counts once a page: lastPage is the page that last raised
	// its count.
	type edgeCount struct{ n, lastPage int }
	count := make(map[string]edgeCount, len(keys))
	for _, k := range keys {
		key := folded[k.start:k.end]
		if c, ok := count[key]; !ok {
			count[key] = edgeCount{1, k.page}
		} else if c.lastPage != k.page {
			count[key] = edgeCount{c.n + 1, k.page}
		}
	}
	for k, c := range count {
		if c.n >= 2 && c.n*2 >= len(doc.Pages) {
			out.add(k)
		}
	}
	return out
}

// titleSet holds the words of the document's title, for recognizing a
// running head that repeats (part of) the title on later pages. The words
// are gathered from the title's lines when first asked for: most lines
// never get that far.
type titleSet struct {
	parts []string // the title's lines, as the first page had them
	words map[string]bool
}

// resolutionTitle returns the title after the number of a resolution or
// decision, ^(?:[A-Z]+-)?\d+/\d+\.\s*(.*)$ ("61/180. Improving ...",
// "ES-11/1. ..."). The title cannot hold a line feed, which . does not
// match.
func resolutionTitle(t string) (string, bool) {
	if !mayBeNumberedTitle(t) {
		return "", false
	}
	_, after, _ := strings.Cut(t, ".")
	title := after[skipRESpace(after, 0):]
	if strings.IndexByte(title, '\n') >= 0 {
		return "", false
	}
	return title, true
}

// mayBeNumberedTitle reports whether t opens with the number of a
// resolution or decision, (?:[A-Z]+-)?\d+/\d+\. ("61/180.", "ES-11/1.").
func mayBeNumberedTitle(t string) bool {
	i := 0
	for i < len(t) && t[i] >= 'A' && t[i] <= 'Z' {
		i++
	}
	if i > 0 {
		if i == len(t) || t[i] != '-' {
			return false
		}
		i++
	}
	j := skipDigits(t, i)
	if j == i || j == len(t) || t[j] != '/' {
		return false
	}
	k := skipDigits(t, j+1)
	return k > j+1 && k < len(t) && t[k] == '.'
}

// skipDigits returns the index of the first byte at or after i in t that
// is not a digit.
func skipDigits(t string, i int) int {
	for i < len(t) && isDigit(t[i]) {
		i++
	}
	return i
}

func titleWords(doc *pipeline.Document) *titleSet {
	if len(doc.Pages) == 0 {
		return nil
	}
	var parts []string
	lines := doc.Pages[0].Lines
	for li, ln := range lines {
		title, ok := resolutionTitle(ln.Text)
		if !ok {
			continue
		}
		parts = append(parts, title)
		for _, next := range lines[li+1:] {
			if strings.HasPrefix(next.Text, "The ") && strings.HasSuffix(next.Text, ",") {
				break
			}
			parts = append(parts, next.Text)
			if len(parts) > 6 {
				break
			}
		}
		break
	}
	if len(parts) == 0 {
		return nil
	}
	return &titleSet{parts: parts}
}

// covers reports whether every word of t is a title word, for lines of
// three words or more.
func (ts *titleSet) covers(t string) bool {
	if ts == nil {
		return false
	}
	n := 0
	for range strings.FieldsSeq(t) {
		n++
	}
	if n < 3 {
		return false
	}
	if ts.words == nil {
		// The words of the parts are those of the parts joined by spaces.
		ts.words = map[string]bool{}
		for _, p := range ts.parts {
			for w := range strings.FieldsSeq(p) {
				ts.words[strings.Trim(w, ",.;:")] = true
			}
		}
	}
	for w := range strings.FieldsSeq(t) {
		if !ts.words[strings.Trim(w, ",.;:")] {
			return false
		}
	}
	return true
}

// inline strips furniture from flattened text, where each page is one long
// line with the masthead or running head at its start and the page number
// and job number at its end.
func (f *Furniture) inline(doc *pipeline.Document) {
	for pi := range doc.Pages {
		page := &doc.Pages[pi]
		kept := page.Lines[:0]
		for _, ln := range page.Lines {
			before := ln.Text
			if maybeViewerJunk(ln.Text) && viewerJunk.MatchString(ln.Text) {
				f.record(doc, page.Number, ln, before, "", "removed viewer junk", pipeline.RepairJunk)
				continue
			}
			head, rest := f.inlineHead(doc, ln.Text)
			if head != "" {
				f.record(doc, page.Number, ln, head, "", "removed masthead or running head into metadata", pipeline.RepairFurniture)
				ln.Text = rest
			}
			if loc := trailingJobIndex(ln.Text); loc != nil {
				tail := ln.Text[loc[0]:]
				f.noteMeta(doc, strings.TrimSpace(ln.Text[loc[2]:loc[3]]))
				f.record(doc, page.Number, ln, strings.TrimSpace(tail), "", "removed page number and job number", pipeline.RepairFurniture)
				ln.Text = strings.TrimSpace(ln.Text[:loc[0]])
			}
			// A full footer (job number with its language, print date or
			// barcode) can also stand mid-line, where the page ended before
			// the footnotes were flattened in after it.
			if locs := midFooterIndexes(ln.Text); locs != nil {
				before := ln.Text
				for k := len(locs) - 1; k >= 0; k-- {
					loc := locs[k]
					f.noteMeta(doc, strings.TrimSpace(ln.Text[loc[2]:loc[3]]))
					ln.Text = strings.TrimSpace(ln.Text[:loc[0]]) + " " + strings.TrimSpace(ln.Text[loc[1]:])
				}
				ln.Text = strings.TrimSpace(ln.Text)
				f.record(doc, page.Number, ln, before, ln.Text, "removed page number and job number inside flattened text", pipeline.RepairFurniture)
			}
			if ln.Text != "" {
				kept = append(kept, ln)
			}
		}
		page.Lines = kept
	}
}

var midFooter = regexp.MustCompile(`(?:\s\d{1,3}(?:/\d{1,3})?)?\s((\d{2}-\d{5})(?:\s*\([A-Z]\)\s+\d{6}|\s*\([A-Z]\)|\s+\d{6})(?:\s+\*\d{5,}\*)?)(?:\s|$)`)

var trailingJob = regexp.MustCompile(`(?:\s+\d{1,3}(?:/\d{1,3})?)?\s+((\d{2}-\d{5})(?:\s*\([A-Z]\))?(?:\s+\d{6})?)(?:\s+\*\d{5,}\*)?\s*$`)

// A flattened page is one line of several thousand bytes, and neither
// footer pattern has a literal the regexp package can skip ahead to, so
// run over the whole line they try each position in turn at a cost of
// some hundred nanoseconds a byte. Every byte of a footer match is a digit,
// a capital, white space or one of "/-()*" (footerByte), and each holds a
// job number (\d{2}-\d{5}), so the patterns run only on the runs of footer
// bytes that hold one. Neither pattern looks behind its match, so matching
// on a run finds what matching on the line would.

// footerByte reports a byte that can stand in a trailingJob or midFooter
// match: \s, \d, [A-Z] and the punctuation of page numbers, languages and
// barcodes. Bytes of multi-byte runes never can.
func footerByte(c byte) bool {
	switch {
	case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
		return true
	}
	switch c {
	case ' ', '\t', '\n', '\f', '\r', '/', '-', '(', ')', '*':
		return true
	}
	return false
}

// jobNumberAt returns the index of the hyphen of the first \d{2}-\d{5} in
// t at or after from, or -1.
func jobNumberAt(t string, from int) int {
	for from < len(t) {
		i := strings.IndexByte(t[from:], '-')
		if i < 0 {
			return -1
		}
		p := from + i
		if p >= 2 && p+5 < len(t) && isDigits(t[p-2:p]) && isDigits(t[p+1:p+6]) {
			return p
		}
		from = p + 1
	}
	return -1
}

// trailingJobIndex is trailingJob.FindStringSubmatchIndex(t). A match
// ends the line, so it lies in the line's last run of footer bytes.
func trailingJobIndex(t string) []int {
	w := len(t)
	for w > 0 && footerByte(t[w-1]) {
		w--
	}
	if jobNumberAt(t[w:], 0) < 0 {
		return nil
	}
	loc := trailingJob.FindStringSubmatchIndex(t[w:])
	shiftIndexes(loc, w)
	return loc
}

// midFooterIndexes is midFooter.FindAllStringSubmatchIndex(t, -1), found
// run by run. Each run is matched with the byte after it, which no match
// can take, so that $ matches only at the end of the line.
func midFooterIndexes(t string) [][]int {
	var out [][]int
	for from := 0; ; {
		p := jobNumberAt(t, from)
		if p < 0 {
			return out
		}
		start, end := p, p
		for start > 0 && footerByte(t[start-1]) {
			start--
		}
		for end < len(t) && footerByte(t[end]) {
			end++
		}
		from = end
		if end < len(t) {
			end++
		}
		for _, loc := range midFooter.FindAllStringSubmatchIndex(t[start:end], -1) {
			shiftIndexes(loc, start)
			out = append(out, loc)
		}
	}
}

// shiftIndexes adds off to the matched indexes in loc (-1 stays).
func shiftIndexes(loc []int, off int) {
	for i, x := range loc {
		if x >= 0 {
			loc[i] = x + off
		}
	}
}

// inlineHead peels masthead items off the start of a flattened line, one
// at a time, and returns what it removed and what is left.
func (f *Furniture) inlineHead(doc *pipeline.Document, t string) (head, rest string) {
	rest = t
	for peeled := 0; ; peeled++ {
		item := f.mastheadPrefix(rest)
		if item == "" && peeled > 0 {
			// A bare date only counts once the line is known to open
			// with a masthead.
			if loc := inlineDate.FindStringIndex(rest); loc != nil {
				item = rest[:loc[1]]
			}
		}
		if item == "" {
			break
		}
		f.noteMeta(doc, strings.TrimSpace(item))
		rest = strings.TrimLeft(rest[len(item):], " ")
	}
	// The agenda item's title runs up to the adoption line.
	if doc.Meta.AgendaItem != "" && head == "" && rest != t {
		if i := strings.Index(rest, "Resolution adopted by"); i > 0 && i < 400 {
			doc.Meta.AgendaTitle = strings.TrimSpace(rest[:i])
			rest = rest[i:]
		}
	}
	head = strings.TrimSpace(t[:len(t)-len(rest)])
	return head, rest
}

// docTitle opens the title of a note or a draft, which follows the agenda
// item's title in the masthead but belongs to the document. ("Report of
// ..." and "Letter dated ..." are often agenda items themselves.)
var docTitle = regexp.MustCompile(`^Note by (?:the )?[A-Z]|: (?:revised )?draft (?:resolution|decision)$`)

var symbolYear = regexp.MustCompile(`^ \(\d{4}\) ?`)

var inlineDate = regexp.MustCompile(`^\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\s`)

// inlineMast are the masthead items that open a flattened line, each with
// the bytes it can start with: a regexp costs some hundred nanoseconds even
// when the first byte rules it out, and mastheadPrefix tries them all on
// every line.
var inlineMast = []struct {
	first string
	re    *regexp.Regexp
}{
	{"U", regexp.MustCompile(`^United Nations\s`)},
	{"GSEH", regexp.MustCompile(`^(?:General Assembly|Security Council|Economic and Social Council|Human Rights Council)\s+(?:Distr)`)},
	{"GSEH", regexp.MustCompile(`^(?:General Assembly|Security Council|Economic and Social Council|Human Rights Council)\s+(?:(?:[A-Z][a-z]+(?:-[a-z]+)?|\d{4}) )(?:[a-z]+ )*session\s`)},
	{"D", regexp.MustCompile(`^Distr\.?:\s*(?:General|Limited|Restricted)\s`)},
	{digitBytes, regexp.MustCompile(`^\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\s+(?:[A-Z][a-z]+(?:-[a-z]+)? )(?:[a-z]+ )*session\s`)},
	{capitalBytes, regexp.MustCompile(`^(?:[A-Z][a-z]+(?:-[a-z]+)? )(?:[a-z]+ )*session\s`)},
	{"A", regexp.MustCompile(`^Agenda items? \d+(?:\s*\([a-z]\))?(?:(?:,| and) \d+(?:\s*\([a-z]\))?)*\s`)},
	{"O", regexp.MustCompile(`^Original:\s*\w+\s`)},
}

const (
	digitBytes   = "0123456789"
	capitalBytes = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
)

// maybeViewerJunk reports whether t opens as a viewerJunk match must:
// "sel", "cli" or "pag" in either case, or "ſel" ((?i) folds ſ with s).
// Checking saves running the regexp over every long line.
func maybeViewerJunk(t string) bool {
	var first byte
	switch {
	case strings.HasPrefix(t, "ſ"):
		first, t = 's', t[len("ſ"):]
	case t != "":
		first, t = t[0]|0x20, t[1:] // ASCII lower case
	}
	if len(t) < 2 {
		return false
	}
	switch first {
	case 's':
		return t[0]|0x20 == 'e' && t[1]|0x20 == 'l'
	case 'c':
		return t[0]|0x20 == 'l' && t[1]|0x20 == 'i'
	case 'p':
		return t[0]|0x20 == 'a' && t[1]|0x20 == 'g'
	}
	return false
}

func (f *Furniture) mastheadPrefix(t string) string {
	if sp := strings.IndexByte(t, ' '); sp > 0 && maybeSymbol(t[:sp]) && f.dict.IsSymbol(t[:sp]) {
		// Security Council symbols carry the year: S/RES/2334 (2016).
		if y := symbolYear.FindString(t[sp:]); y != "" {
			return t[:sp+len(y)]
		}
		return t[:sp+1]
	}
	if t == "" {
		return ""
	}
	for _, im := range inlineMast {
		if strings.IndexByte(im.first, t[0]) < 0 {
			continue
		}
		if loc := im.re.FindStringIndex(t); loc != nil {
			m := t[:loc[1]]
			// The body-name pattern peeks at "Distr" to be sure; leave that
			// for the next round.
			m = strings.TrimSuffix(m, "Distr")
			// A body name before its session: take the name alone, and the
			// session in the next round.
			for _, body := range bodyNames {
				if strings.HasPrefix(m, body+" ") && strings.HasSuffix(strings.TrimSpace(m), "session") {
					return body + " "
				}
			}
			if strings.HasSuffix(m, " session ") || strings.HasSuffix(m, " session") {
				// A date followed by a session: split into both.
				if d := mastDateInline.FindStringIndex(m); d != nil && d[0] == 0 {
					return m[:d[1]+1]
				}
			}
			return m
		}
	}
	return ""
}

func (f *Furniture) record(doc *pipeline.Document, page int, ln pipeline.Line, before, after, reason string, kind pipeline.RepairKind) {
	doc.Record(pipeline.Repair{
		Stage: f.Name(), Kind: kind, Before: before, After: after, Reason: reason,
		Confidence: 0.95, Pos: pipeline.LinePos(page, ln.Origin, 0, len(before)),
	})
}

// noteMastheadChunk notes the metadata of a masthead chunk, item by item
// where OCR or pdftotext ran items together on one line ("United Nations
// A/RES/73/8", "General Assembly Distr.: General").
func (f *Furniture) noteMastheadChunk(doc *pipeline.Document, c string) {
	if isMastheadItem(f, c) {
		f.noteMeta(doc, c)
		return
	}
	items, rest := f.mastheadItems(c)
	for _, it := range items {
		f.noteMeta(doc, it)
	}
	if rest != "" {
		f.noteMeta(doc, rest)
	}
}
