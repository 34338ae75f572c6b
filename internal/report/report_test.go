package report

// These tests render real documents (two seeds of the shared corpus and
// a scanned PDF) and read the page back with an HTML5 parser, as a browser
// would, to check what the review page promises: it opens offline, every
// link lands, every repair is highlighted by kind with its tooltip data,
// the summary and the list agree with the log, footnote references and
// definitions link both ways, and the page images carry the boxes.

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/emend/emend/internal/clean"
	"github.com/emend/emend/internal/evaluate"
	"github.com/emend/emend/internal/ocr"
	"github.com/emend/emend/internal/testutil"
	"github.com/emend/emend/pipeline"
)

func TestMain(m *testing.M) {
	// One Tesseract thread per page, as the command runs it: the scanned
	// PDF is OCR'd with a worker per core instead.
	ocr.SingleThreaded()
	os.Exit(m.Run())
}

// cleanFile cleans a file of the shared corpus as "emend report" does,
// keeping the input for the left column.
func cleanFile(t testing.TB, parts ...string) (*pipeline.Document, []byte) {
	t.Helper()
	path := testutil.CorpusFile(t, parts...)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return cleanBytes(t, path, data), data
}

func cleanBytes(t testing.TB, source string, data []byte) *pipeline.Document {
	t.Helper()
	doc, err := clean.New(clean.Options{KeepOriginal: true}).Bytes(context.Background(), source, data)
	if err != nil {
		t.Fatalf("cleaning %s: %v", source, err)
	}
	return doc
}

// seedFile is the one input of a seed case of the shared corpus.
func seedFile(t testing.TB, seed string) string {
	t.Helper()
	dir := filepath.Dir(testutil.CorpusFile(t, seed, "gold.md"))
	ins, err := filepath.Glob(filepath.Join(dir, "[0-9]*.txt"))
	if err != nil || len(ins) != 1 {
		t.Fatalf("%s: want one input beside gold.md, found %v (%v)", dir, ins, err)
	}
	return filepath.Base(ins[0])
}

// The scanned PDF takes most of the package's test time to OCR, so it is
// read once and shared.
var scanned struct {
	once   sync.Once
	doc    *pipeline.Document
	data   []byte
	images []Image
	err    error
}

const scanTools = "the scanned PDF goes through poppler and Tesseract: install poppler-utils and tesseract-ocr (this test must run, not skip)"

// scannedPDF is res-73-7/scan.pdf cleaned, with its page images.
func scannedPDF(t *testing.T) (*pipeline.Document, []Image) {
	t.Helper()
	testutil.RequireTools(t, scanTools, "pdfinfo", "pdftotext", "pdftoppm", "pdfimages", "tesseract")
	path := testutil.CorpusFile(t, "res-73-7", "scan.pdf")
	scanned.once.Do(func() {
		data, err := os.ReadFile(path)
		if err != nil {
			scanned.err = err
			return
		}
		ctx := context.Background()
		cl := clean.New(clean.Options{KeepOriginal: true})
		defer cl.Close()
		if scanned.doc, scanned.err = cl.Bytes(ctx, path, data); scanned.err != nil {
			return
		}
		scanned.data = data
		scanned.images, scanned.err = Images(ctx, path, data)
	})
	if scanned.err != nil {
		t.Fatalf("%s: %v", path, scanned.err)
	}
	return scanned.doc, scanned.images
}

// render writes the report and parses it as a browser would.
func render(t testing.TB, doc *pipeline.Document, opts Options) *reviewPage {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, doc, opts); err != nil {
		t.Fatalf("Write: %v", err)
	}
	p, err := parsePage(b.Bytes())
	if err != nil {
		t.Fatalf("parsing the report: %v", err)
	}
	return p
}

// reviewPage is a parsed report.
type reviewPage struct {
	raw  []byte
	root *html.Node
	byID map[string]*html.Node
	dups []string // ids given to more than one element
}

func parsePage(raw []byte) (*reviewPage, error) {
	root, err := html.Parse(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	p := &reviewPage{raw: raw, root: root, byID: map[string]*html.Node{}}
	for _, n := range find(root, isElement) {
		if id, ok := attr(n, "id"); ok {
			if _, dup := p.byID[id]; dup {
				p.dups = append(p.dups, id)
			}
			p.byID[id] = n
		}
	}
	return p, nil
}

// A match picks elements out of a page.
type match func(*html.Node) bool

func isElement(n *html.Node) bool { return n.Type == html.ElementNode }

// sel matches elements of tag a (0 for any) having every class in classes.
func sel(a atom.Atom, classes ...string) match {
	return func(n *html.Node) bool {
		if n.Type != html.ElementNode || a != 0 && n.DataAtom != a {
			return false
		}
		for _, c := range classes {
			if !hasClass(n, c) {
				return false
			}
		}
		return true
	}
}

// withAttr narrows m to elements whose attribute key is value.
func withAttr(m match, key, value string) match {
	return func(n *html.Node) bool {
		v, ok := attr(n, key)
		return m(n) && ok && v == value
	}
}

// find returns the elements under n (n included) that m matches, in
// document order.
func find(n *html.Node, m match) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if m(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, c string) bool {
	v, _ := attr(n, "class")
	return slices.Contains(strings.Fields(v), c)
}

// ancestor is the nearest element above n that m matches, or nil.
func ancestor(n *html.Node, m match) *html.Node {
	for a := n.Parent; a != nil; a = a.Parent {
		if m(a) {
			return a
		}
	}
	return nil
}

// textOf is the text under n, as textContent gives it.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// mustID is the element with the id, failing the test without one.
func (p *reviewPage) mustID(t testing.TB, id string) *html.Node {
	t.Helper()
	n := p.byID[id]
	if n == nil {
		t.Fatalf("the report has no element with id %q", id)
	}
	return n
}

// checkIDsAndLinks wants each id used once and every in-page link to land
// on an element.
func checkIDsAndLinks(t testing.TB, p *reviewPage) {
	t.Helper()
	if len(p.dups) > 0 {
		t.Errorf("ids used more than once: %v", firstFew(p.dups))
	}
	var broken []string
	for _, a := range find(p.root, isElement) {
		href, ok := attr(a, "href")
		if !ok || !strings.HasPrefix(href, "#") {
			continue
		}
		if p.byID[strings.TrimPrefix(href, "#")] == nil {
			broken = append(broken, href)
		}
	}
	if len(broken) > 0 {
		t.Errorf("%d in-page links lead nowhere: %v", len(broken), firstFew(broken))
	}
}

func firstFew(s []string) []string { return s[:min(len(s), 10)] }

// checkFootnoteLinks wants every reference to link to its definition in
// the footnote list, and every definition's back links to land on
// references to it.
func checkFootnoteLinks(t testing.TB, p *reviewPage) {
	t.Helper()
	refs := find(p.root, sel(atom.A, "fnref"))
	for _, a := range refs {
		href, _ := attr(a, "href")
		id, _ := attr(a, "id")
		n, ok := strings.CutPrefix(href, "#fn-")
		if !ok || !isNumber(n) {
			t.Errorf("reference %s links to %q, want #fn-N", id, href)
			continue
		}
		if textOf(a) != n {
			t.Errorf("reference %s reads %q and links to footnote %s", id, textOf(a), n)
		}
		li := p.byID["fn-"+n]
		if li == nil || li.DataAtom != atom.Li || ancestor(li, withAttr(sel(atom.Ol), "id", "footnotes")) == nil {
			t.Errorf("reference %s: #fn-%s is not an li in ol#footnotes", id, n)
			continue
		}
		if !slices.Contains(backLinks(li), "#"+id) {
			t.Errorf("footnote %s has no link back to reference %s (back links %v)", n, id, backLinks(li))
		}
	}
	for _, li := range find(p.root, sel(atom.Li, "note")) {
		id, _ := attr(li, "id")
		for _, back := range backLinks(li) {
			a := p.byID[strings.TrimPrefix(back, "#")]
			if a == nil || !sel(atom.A, "fnref")(a) {
				t.Errorf("%s: back link %s does not land on an a.fnref", id, back)
				continue
			}
			if href, _ := attr(a, "href"); href != "#"+id {
				t.Errorf("%s: back link %s lands on a reference to %s", id, back, href)
			}
		}
	}
}

func backLinks(li *html.Node) []string {
	var out []string
	for _, a := range find(li, sel(atom.A, "fnback")) {
		href, _ := attr(a, "href")
		out = append(out, href)
	}
	return out
}

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil && s != ""
}

// cssURL finds url(...) in styles.
var cssURL = regexp.MustCompile(`(?i)url\(\s*['"]?([^'")\s]*)`)

// remote reports a reference a browser would fetch from elsewhere.
func remote(ref string) bool {
	ref = strings.ToLower(strings.TrimSpace(ref))
	for _, p := range []string{"http:", "https:", "//", "file:", "ftp:"} {
		if strings.HasPrefix(ref, p) {
			return true
		}
	}
	return false
}

// checkOffline wants a page that fetches nothing: no remote src, href or
// CSS url(), no stylesheet link, no external script.
func checkOffline(t testing.TB, p *reviewPage) {
	t.Helper()
	for _, n := range find(p.root, isElement) {
		for _, a := range n.Attr {
			switch a.Key {
			case "src", "href", "srcset", "poster", "action", "formaction", "data", "background":
				if remote(a.Val) {
					t.Errorf("<%s %s=%q> fetches from elsewhere", n.Data, a.Key, a.Val)
				}
			case "style":
				checkCSSOffline(t, "style attribute of <"+n.Data+">", a.Val)
			}
		}
		switch n.DataAtom {
		case atom.Link:
			rel, _ := attr(n, "rel")
			if strings.Contains(strings.ToLower(rel), "stylesheet") {
				t.Errorf("the page links a stylesheet: %v", n.Attr)
			}
		case atom.Script:
			if src, ok := attr(n, "src"); ok {
				t.Errorf("<script src=%q>: the script must be inline", src)
			}
		case atom.Style:
			checkCSSOffline(t, "<style>", textOf(n))
		case atom.Iframe, atom.Object, atom.Embed:
			t.Errorf("the page embeds a <%s>", n.Data)
		}
	}
}

func checkCSSOffline(t testing.TB, where, css string) {
	t.Helper()
	for _, m := range cssURL.FindAllStringSubmatch(css, -1) {
		if !strings.HasPrefix(strings.ToLower(m[1]), "data:") && m[1] != "" && !strings.HasPrefix(m[1], "#") {
			t.Errorf("%s: url(%s) is not inline", where, m[1])
		}
	}
	if strings.Contains(strings.ToLower(css), "@import") {
		t.Errorf("%s imports a stylesheet", where)
	}
}

// checkSummary wants the summary's counts to be the log's.
func checkSummary(t testing.TB, p *reviewPage, doc *pipeline.Document) {
	t.Helper()
	summary := p.mustID(t, "summary")
	got := map[pipeline.RepairKind]int{}
	for _, tr := range find(summary, sel(atom.Tr)) {
		kind, ok := attr(tr, "data-kind")
		if !ok {
			continue
		}
		if _, dup := got[pipeline.RepairKind(kind)]; dup {
			t.Errorf("summary: two rows for kind %s", kind)
		}
		cells := find(tr, sel(atom.Td, "count"))
		if len(cells) != 1 {
			t.Errorf("summary row %s: %d .count cells, want 1", kind, len(cells))
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(textOf(cells[0])))
		if err != nil {
			t.Errorf("summary row %s: count %q", kind, textOf(cells[0]))
		}
		got[pipeline.RepairKind(kind)] = n
	}
	want := doc.CountRepairs()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("summary counts by kind = %v, want %v", got, want)
	}
	if s := textOf(p.mustID(t, "repair-total")); s != strconv.Itoa(len(doc.Log)) {
		t.Errorf("summary total = %q, want %d", s, len(doc.Log))
	}
	if s := textOf(p.mustID(t, "page-count")); s != strconv.Itoa(len(doc.Pages)) {
		t.Errorf("summary pages = %q, want %d", s, len(doc.Pages))
	}
	failed := textOf(p.mustID(t, "failed-pages"))
	var want2 []string
	for _, f := range doc.FailedPages {
		want2 = append(want2, strconv.Itoa(f.Page))
	}
	if len(want2) == 0 {
		want2 = []string{"none"}
	}
	if failed != strings.Join(want2, ", ") {
		t.Errorf("summary failed pages = %q, want %q", failed, strings.Join(want2, ", "))
	}
}

// lowRepair is a repair the report must mark for attention.
func lowRepair(r pipeline.Repair) bool {
	return r.Confidence > 0 && r.Confidence < LowConfidence || r.Kind == pipeline.RepairPageFailed
}

// checkRepairList wants one entry per logged repair, the low-confidence
// ones marked and first, each group in the log's order.
func checkRepairList(t testing.TB, p *reviewPage, doc *pipeline.Document) {
	t.Helper()
	entries := find(p.mustID(t, "repairs"), sel(atom.Li, "repair-entry"))
	if len(entries) != len(doc.Log) {
		t.Errorf("#repairs lists %d repairs, the log has %d", len(entries), len(doc.Log))
	}
	seen := map[int]bool{}
	lastLow, lastOther, sawOther := -1, -1, false
	for k, e := range entries {
		s, _ := attr(e, "data-repair")
		i, err := strconv.Atoi(s)
		if err != nil || i < 0 || i >= len(doc.Log) || seen[i] {
			t.Errorf("entry %d: data-repair %q is not a new index into the log", k, s)
			continue
		}
		seen[i] = true
		r := doc.Log[i]
		if kind, _ := attr(e, "data-kind"); kind != string(r.Kind) {
			t.Errorf("entry for repair %d: data-kind %q, want %q", i, kind, r.Kind)
		}
		if hasClass(e, "low") != lowRepair(r) {
			t.Errorf("entry for repair %d (%s, confidence %.2f): class low = %v", i, r.Kind, r.Confidence, hasClass(e, "low"))
		}
		if lowRepair(r) {
			if sawOther {
				t.Errorf("low-confidence repair %d listed after a confident one", i)
			}
			if i < lastLow {
				t.Errorf("low-confidence repair %d listed after %d", i, lastLow)
			}
			lastLow = i
		} else {
			sawOther = true
			if i < lastOther {
				t.Errorf("repair %d listed after %d", i, lastOther)
			}
			lastOther = i
		}
		change := textOf(e)
		if !strings.Contains(change, visible(r.Before)) || !strings.Contains(change, visible(r.After)) || !strings.Contains(change, r.Reason) {
			t.Errorf("entry for repair %d does not show its before, after and reason: %q", i, change)
		}
		if target, ok := attr(e, "data-target"); ok && p.byID[target] == nil {
			t.Errorf("entry for repair %d: data-target %q is no element", i, target)
		}
	}
}

// highlights maps each repair to the elements that highlight it in the
// text (class repair), by the column they are in.
type highlights struct {
	cleaned, orig map[int][]*html.Node
}

func findHighlights(t testing.TB, p *reviewPage, doc *pipeline.Document) highlights {
	t.Helper()
	h := highlights{cleaned: map[int][]*html.Node{}, orig: map[int][]*html.Node{}}
	for _, n := range find(p.root, sel(0, "repair")) {
		s, _ := attr(n, "data-repair")
		i, err := strconv.Atoi(s)
		if err != nil || i < 0 || i >= len(doc.Log) {
			t.Errorf("a .repair element has data-repair %q, not an index into the log", s)
			continue
		}
		switch {
		case ancestor(n, sel(0, "cleaned")) != nil:
			h.cleaned[i] = append(h.cleaned[i], n)
		case ancestor(n, sel(0, "orig")) != nil:
			h.orig[i] = append(h.orig[i], n)
		default:
			t.Errorf("highlight of repair %d is in neither column", i)
		}
	}
	return h
}

// checkTooltips wants every highlight and box to carry what the tooltip
// shows, equal to its repair's.
func checkTooltips(t testing.TB, p *reviewPage, doc *pipeline.Document) {
	t.Helper()
	bad := 0
	for _, n := range find(p.root, func(n *html.Node) bool { return sel(0, "repair")(n) || sel(atom.Div, "box")(n) }) {
		s, _ := attr(n, "data-repair")
		i, err := strconv.Atoi(s)
		if err != nil || i < 0 || i >= len(doc.Log) {
			t.Errorf("<%s class=%q> has data-repair %q", n.Data, classOf(n), s)
			continue
		}
		r := doc.Log[i]
		want := map[string]string{
			"data-kind":   string(r.Kind),
			"data-before": visible(r.Before),
			"data-after":  visible(r.After),
			"data-reason": r.Reason,
			"data-conf":   percent(r.Confidence),
		}
		for k, v := range want {
			got, ok := attr(n, k)
			if !ok || got != v {
				if bad++; bad <= 10 {
					t.Errorf("highlight of repair %d: %s = %q (present %v), want %q", i, k, got, ok, v)
				}
			}
		}
		if !hasClass(n, "k-"+string(r.Kind)) {
			t.Errorf("highlight of repair %d lacks class k-%s", i, r.Kind)
		}
		if hasClass(n, "low") != lowRepair(r) {
			t.Errorf("highlight of repair %d (confidence %.2f): class low = %v", i, r.Confidence, hasClass(n, "low"))
		}
	}
}

func classOf(n *html.Node) string { c, _ := attr(n, "class"); return c }

// percent is a confidence as the tooltip shows it.
func percent(c float64) string {
	if c == 0 {
		return "–"
	}
	return strconv.Itoa(int(c*100+0.5)) + "%"
}

// markerRepairs are the repairs of the marker stage.
func markerRepairs(doc *pipeline.Document) []int {
	var out []int
	for i, r := range doc.Log {
		if r.Kind == pipeline.RepairMarker && r.Stage == "markers" {
			out = append(out, i)
		}
	}
	return out
}

// checkMarkers wants the marker stage's repairs highlighted in the
// cleaned text (all of them when all is set) and returns the fraction
// that is.
func checkMarkers(t testing.TB, h highlights, doc *pipeline.Document, all bool) float64 {
	t.Helper()
	markers := markerRepairs(doc)
	if len(markers) == 0 {
		t.Fatal("the document has no marker repairs to check")
	}
	shown := 0
	for _, i := range markers {
		ok := false
		for _, n := range h.cleaned[i] {
			if kind, _ := attr(n, "data-kind"); kind == string(pipeline.RepairMarker) {
				ok = true
			}
		}
		if ok {
			shown++
		} else if all {
			r := doc.Log[i]
			t.Errorf("marker repair %d (%q → %q, %v) is not highlighted in the cleaned text", i, r.Before, r.After, r.Pos)
		}
	}
	return float64(shown) / float64(len(markers))
}

// checkRefs wants each paragraph's footnote references, in order, as
// links in its row.
func checkRefs(t testing.TB, p *reviewPage, doc *pipeline.Document) {
	t.Helper()
	total := 0
	for i, para := range doc.Paragraphs {
		row := p.byID["p-"+strconv.Itoa(i+1)]
		if row == nil {
			continue // checkRows says so
		}
		var got, want []string
		for _, cell := range find(row, sel(atom.Div, "cleaned")) {
			for _, a := range find(cell, sel(atom.A, "fnref")) {
				got = append(got, textOf(a))
			}
		}
		for _, r := range para.Refs {
			want = append(want, strconv.Itoa(r.Number))
		}
		total += len(want)
		if !slices.Equal(got, want) {
			t.Errorf("paragraph %d: references %v, want %v", i+1, got, want)
		}
	}
	if n := len(find(p.mustID(t, "text"), sel(atom.A, "fnref"))); n != total {
		t.Errorf("%d a.fnref in #text, the paragraphs have %d references", n, total)
	}
}

// checkKindFilter wants the filter to offer every repair, the low ones,
// and each kind in the log, and nothing else.
func checkKindFilter(t testing.TB, p *reviewPage, doc *pipeline.Document) {
	t.Helper()
	var got []string
	for _, o := range find(p.mustID(t, "kind-filter"), sel(atom.Option)) {
		v, _ := attr(o, "value")
		got = append(got, v)
	}
	want := []string{"all", "low"}
	for k := range doc.CountRepairs() {
		want = append(want, string(k))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("#kind-filter offers %v, want %v", got, want)
	}
}

// checkRows wants one row per paragraph, p-1 … p-N in order, besides the
// head row and the lead.
func checkRows(t testing.TB, p *reviewPage, doc *pipeline.Document) []*html.Node {
	t.Helper()
	var rows []*html.Node
	for _, r := range find(p.mustID(t, "text"), sel(atom.Div, "row")) {
		id, _ := attr(r, "id")
		switch {
		case hasClass(r, "head") || id == "lead" || id == "trail":
		case strings.HasPrefix(id, "p-"):
			rows = append(rows, r)
		default:
			t.Errorf("#text has a row %q that is neither a paragraph, the head, the lead nor the trail", id)
		}
	}
	if len(rows) != len(doc.Paragraphs) {
		t.Errorf("#text has %d paragraph rows, the document %d paragraphs", len(rows), len(doc.Paragraphs))
	}
	for i, r := range rows {
		if id, _ := attr(r, "id"); id != "p-"+strconv.Itoa(i+1) {
			t.Errorf("row %d has id %q", i+1, id)
		}
		if len(find(r, sel(atom.Div, "orig"))) != 1 || len(find(r, sel(atom.Div, "cleaned"))) != 1 {
			t.Errorf("row %d: want one .orig and one .cleaned cell", i+1)
		}
	}
	return rows
}

// words folds a text into lower-case words of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// openingFraction is the share of rows whose input cell holds the opening
// words of its paragraph: the first three words, leaving out an operative
// number, which a flattened input prints elsewhere.
func openingFraction(t testing.TB, rows []*html.Node, doc *pipeline.Document) float64 {
	t.Helper()
	if len(rows) != len(doc.Paragraphs) || len(rows) == 0 {
		t.Fatalf("%d rows for %d paragraphs", len(rows), len(doc.Paragraphs))
	}
	hit := 0
	var misses []string
	for i, para := range doc.Paragraphs {
		want := words(para.Text)
		if para.Number != "" && len(want) > 0 && want[0] == strings.ToLower(para.Number) {
			want = want[1:]
		}
		want = want[:min(3, len(want))]
		orig := words(origText(find(rows[i], sel(atom.Div, "orig"))[0]))
		if containsRun(orig, want) {
			hit++
		} else {
			misses = append(misses, fmt.Sprintf("p-%d %q", i+1, strings.Join(want, " ")))
		}
	}
	if len(misses) > 0 {
		t.Logf("rows whose input cell lacks the paragraph's opening words: %v", firstFew(misses))
	}
	return float64(hit) / float64(len(rows))
}

// origText is the text of an input cell, a line each: its lines are
// blocks on the page, which textContent would run together.
func origText(cell *html.Node) string {
	var lines []string
	for _, ln := range find(cell, sel(atom.Span, "ln")) {
		lines = append(lines, textOf(ln))
	}
	return strings.Join(lines, "\n")
}

func containsRun(hay, run []string) bool {
	if len(run) == 0 {
		return true
	}
	for i := 0; i+len(run) <= len(hay); i++ {
		if slices.Equal(hay[i:i+len(run)], run) {
			return true
		}
	}
	return false
}

// boxStyle reads the position of a box on its page image.
var boxStyle = regexp.MustCompile(`^left:(-?[0-9.]+)%;top:(-?[0-9.]+)%;width:(-?[0-9.]+)%;height:(-?[0-9.]+)%$`)

// checkFigures wants one page image per page, inline JPEG that decodes,
// and boxes over it for repairs of that page, inside the page.
func checkFigures(t testing.TB, p *reviewPage, doc *pipeline.Document) map[string]int {
	t.Helper()
	figs := find(p.root, sel(atom.Figure, "page"))
	if len(figs) != len(doc.Pages) {
		t.Errorf("%d page images for %d pages", len(figs), len(doc.Pages))
	}
	kinds := map[string]int{}
	for k, f := range figs {
		pageNo := k + 1
		if d, _ := attr(f, "data-page"); d != strconv.Itoa(pageNo) {
			t.Errorf("figure %d is page %q", k+1, d)
		}
		imgs := find(f, sel(atom.Img))
		if len(imgs) != 1 {
			t.Errorf("page %d: %d images", pageNo, len(imgs))
			continue
		}
		src, _ := attr(imgs[0], "src")
		b64, ok := strings.CutPrefix(src, "data:image/jpeg;base64,")
		if !ok {
			t.Errorf("page %d: img src %.40q is not an inline JPEG", pageNo, src)
			continue
		}
		data, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			t.Errorf("page %d: %v", pageNo, err)
			continue
		}
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Errorf("page %d: the image does not decode as JPEG: %v", pageNo, err)
			continue
		}
		w, _ := attr(imgs[0], "width")
		h, _ := attr(imgs[0], "height")
		if b := img.Bounds(); w != strconv.Itoa(b.Dx()) || h != strconv.Itoa(b.Dy()) {
			t.Errorf("page %d: img is %sx%s, the JPEG %dx%d", pageNo, w, h, b.Dx(), b.Dy())
		}
		if b := img.Bounds(); b.Dx() > ImageWidth {
			t.Errorf("page %d: image %d pixels wide, want at most %d", pageNo, b.Dx(), ImageWidth)
		}
		for _, box := range find(f, sel(atom.Div, "box")) {
			kind, _ := attr(box, "data-kind")
			kinds[kind]++
			s, _ := attr(box, "data-repair")
			if i, err := strconv.Atoi(s); err != nil || i < 0 || i >= len(doc.Log) {
				t.Errorf("page %d: box for repair %q", pageNo, s)
			} else if doc.Log[i].Pos.Page != pageNo {
				t.Errorf("page %d: box for repair %d, which is on page %d", pageNo, i, doc.Log[i].Pos.Page)
			}
			style, _ := attr(box, "style")
			m := boxStyle.FindStringSubmatch(style)
			if m == nil {
				t.Errorf("page %d: box style %q", pageNo, style)
				continue
			}
			var v [4]float64
			for j := range v {
				v[j], _ = strconv.ParseFloat(m[j+1], 64)
			}
			if v[0] < 0 || v[1] < 0 || v[2] <= 0 || v[3] <= 0 || v[0]+v[2] > 100 || v[1]+v[3] > 100 {
				t.Errorf("page %d: box for repair %s is not inside the page: %s", pageNo, s, style)
			}
		}
	}
	return kinds
}

// reportCase is a document the report is checked on.
type reportCase struct {
	name string
	doc  func(t *testing.T) (*pipeline.Document, Options)
	// allMarkers: every marker repair must be highlighted in the result;
	// else at least markerFloor of them.
	allMarkers  bool
	markerFloor float64
	// opening is the least share of rows whose input cell holds the
	// paragraph's opening words; 0 to leave it unchecked.
	opening float64
	scan    bool
}

func textCase(seed string) func(t *testing.T) (*pipeline.Document, Options) {
	return func(t *testing.T) (*pipeline.Document, Options) {
		doc, _ := cleanFile(t, seed, seedFile(t, seed))
		return doc, Options{}
	}
}

func reportCases() []reportCase {
	return []reportCase{
		{name: "seed-004", doc: textCase("seed-004"), allMarkers: true, opening: 0.95},
		{name: "seed-001", doc: textCase("seed-001"), allMarkers: true, opening: 0.95},
		{name: "seed-000", doc: textCase("seed-000"), allMarkers: true, opening: 0.80},
		{name: "seed-003", doc: textCase("seed-003"), allMarkers: true, opening: 0.80},
		{name: "seed-002", doc: textCase("seed-002"), allMarkers: true, opening: 0.95},
		{name: "res-73-7-scan", scan: true, markerFloor: 0.9, opening: 0.95, doc: func(t *testing.T) (*pipeline.Document, Options) {
			doc, images := scannedPDF(t)
			return doc, Options{Images: images}
		}},
	}
}

// TestReport renders each case and checks the page end to end.
func TestReport(t *testing.T) {
	for _, c := range reportCases() {
		t.Run(c.name, func(t *testing.T) {
			doc, opts := c.doc(t)
			if len(doc.Original) == 0 {
				t.Fatal("the document kept no input")
			}
			p := render(t, doc, opts)
			if !bytes.HasPrefix(p.raw, []byte("<!DOCTYPE html>")) {
				t.Errorf("the report starts %.30q", p.raw)
			}
			checkIDsAndLinks(t, p)
			checkFootnoteLinks(t, p)
			checkOffline(t, p)
			checkSummary(t, p, doc)
			checkRepairList(t, p, doc)
			checkKindFilter(t, p, doc)
			checkTooltips(t, p, doc)
			checkRefs(t, p, doc)
			rows := checkRows(t, p, doc)
			h := findHighlights(t, p, doc)
			if len(markerRepairs(doc)) > 0 || c.allMarkers {
				frac := checkMarkers(t, h, doc, c.allMarkers)
				t.Logf("marker repairs highlighted in the cleaned text: %.0f%% of %d", 100*frac, len(markerRepairs(doc)))
				if frac < c.markerFloor {
					t.Errorf("only %.0f%% of marker repairs highlighted in the cleaned text, want at least %.0f%%", 100*frac, 100*c.markerFloor)
				}
			}
			var unplaced []string
			for i, r := range doc.Log {
				if len(h.cleaned[i]) == 0 && len(h.orig[i]) == 0 && r.Kind != pipeline.RepairPageFailed {
					unplaced = append(unplaced, fmt.Sprintf("%d %s %q→%q", i, r.Kind, r.Before, r.After))
				}
			}
			t.Logf("repairs highlighted in the text: %d of %d; not: %q", len(doc.Log)-len(unplaced), len(doc.Log), firstFew(unplaced))
			if c.opening > 0 {
				frac := openingFraction(t, rows, doc)
				t.Logf("rows whose input cell holds the paragraph's opening words: %.1f%% (%d rows)", 100*frac, len(rows))
				if frac < c.opening {
					t.Errorf("only %.1f%% of rows show their paragraph's opening words in the input cell, want at least %.0f%%", 100*frac, 100*c.opening)
				}
			}
			if c.scan {
				kinds := checkFigures(t, p, doc)
				t.Logf("boxes by kind: %v", kinds)
				for _, k := range []pipeline.RepairKind{pipeline.RepairMarker, pipeline.RepairFurniture} {
					if kinds[string(k)] == 0 {
						t.Errorf("no %s repair is boxed on the page images", k)
					}
				}
			} else if figs := find(p.root, sel(atom.Figure)); len(figs) > 0 {
				t.Errorf("a text input got %d page images", len(figs))
			}
		})
	}
}

// TestReportEscapes feeds markup, quotes and entities through the body, a
// footnote, the repair log and the file name: each must show as the text
// it is, and the page must hold no script but its own.
func TestReportEscapes(t *testing.T) {
	const input = `Resolution adopted by the General Assembly

The General Assembly,

Recalling its resolution 61/180 of 20 December 2006 on "quotes" & <script>alert(1)</script> &amp; trafficking in persons,1

1. Decides to remain seized of the matter of <b>bold</b> trafficking in persons.
_______________
1 Resolution <script>alert(2)</script> of the "General Assembly" &amp; annex.
`
	const source = `<img src=x onerror="alert(3)">&amp;.txt`
	doc := cleanBytes(t, source, []byte(input))
	if len(doc.Footnotes) != 1 || len(doc.Paragraphs) < 3 {
		t.Fatalf("the input should clean to a footnote and paragraphs; got %d footnotes, %d paragraphs", len(doc.Footnotes), len(doc.Paragraphs))
	}
	p := render(t, doc, Options{})
	checkIDsAndLinks(t, p)
	checkFootnoteLinks(t, p)
	if scripts := find(p.root, sel(atom.Script)); len(scripts) != 1 || !strings.Contains(textOf(scripts[0]), "emend review report") {
		t.Errorf("%d <script> elements, want only the report's own", len(scripts))
	}
	for _, tag := range []atom.Atom{atom.Img, atom.B} {
		if n := find(p.mustID(t, "text"), sel(tag)); len(n) > 0 {
			t.Errorf("the text made a <%s> element", tag)
		}
	}
	if imgs := find(p.root, sel(atom.Img)); len(imgs) > 0 {
		t.Errorf("the file name made an <img>: %v", imgs[0].Attr)
	}
	for _, raw := range []string{"<script>alert", "<b>bold", `onerror="alert`} {
		if bytes.Contains(p.raw, []byte(raw)) {
			t.Errorf("the page holds %q unescaped", raw)
		}
	}

	// The texts read as written, in both columns and in the footnote.
	body := `"quotes" & <script>alert(1)</script> &amp; trafficking`
	note := `Resolution <script>alert(2)</script> of the "General Assembly" &amp; annex.`
	var rowText, rowOrig string
	for _, r := range find(p.mustID(t, "text"), sel(atom.Div, "row")) {
		for _, c := range find(r, sel(atom.Div, "cleaned")) {
			rowText += textOf(c) + "\n"
		}
		for _, c := range find(r, sel(atom.Div, "orig")) {
			rowOrig += textOf(c) + "\n"
		}
	}
	if !strings.Contains(rowText, body) || !strings.Contains(rowText, "<b>bold</b>") {
		t.Errorf("the cleaned column does not read %q:\n%s", body, rowText)
	}
	if !strings.Contains(rowOrig, body) {
		t.Errorf("the input column does not read %q:\n%s", body, rowOrig)
	}
	fn := p.mustID(t, "fn-1")
	if got := textOf(find(fn, sel(atom.Div, "cleaned"))[0]); !strings.Contains(got, note) {
		t.Errorf("footnote 1 reads %q, want it to hold %q", got, note)
	}
	if got := textOf(find(fn, sel(atom.Div, "orig"))[0]); !strings.Contains(got, note) {
		t.Errorf("footnote 1's input reads %q, want it to hold %q", got, note)
	}
	if h1 := find(p.root, sel(atom.H1)); len(h1) != 1 || !strings.Contains(textOf(h1[0]), source) {
		t.Errorf("the heading does not name the source %q", source)
	}
	if title := find(p.root, sel(atom.Title)); len(title) != 1 || !strings.Contains(textOf(title[0]), source) {
		t.Errorf("the title does not name the source %q", source)
	}
	// The footnote repair quotes the definition: its tooltip and entry
	// must too.
	checkTooltips(t, p, doc)
	checkRepairList(t, p, doc)
	found := false
	for _, n := range find(p.root, sel(0, "repair")) {
		if b, _ := attr(n, "data-before"); strings.Contains(b, "<script>alert(2)</script>") {
			found = true
		}
	}
	if !found {
		t.Error("no highlight's data-before quotes the footnote definition with its markup")
	}
}

// goldCase is seed-004 cleaned, its Markdown and its gold.
func goldCase(t *testing.T) (*pipeline.Document, []byte) {
	t.Helper()
	doc, _ := cleanFile(t, "seed-004", seedFile(t, "seed-004"))
	gold, err := os.ReadFile(testutil.CorpusFile(t, "seed-004", "gold.md"))
	if err != nil {
		t.Fatal(err)
	}
	return doc, gold
}

// checkEvalFigures wants #evaluation to show evaluate.Compare's figures.
func checkEvalFigures(t *testing.T, p *reviewPage, res evaluate.Result) {
	t.Helper()
	want := map[string]string{
		"eval-cer":    fmt.Sprintf("%.2f%%", 100*res.CER()),
		"eval-wer":    fmt.Sprintf("%.2f%%", 100*res.WER()),
		"eval-markp":  fmt.Sprintf("%.3f", res.MarkP()),
		"eval-markr":  fmt.Sprintf("%.3f", res.MarkR()),
		"eval-paraf1": fmt.Sprintf("%.3f", res.ParaF1()),
		"eval-notes":  fmt.Sprintf("%d/%d", res.NoteHit, res.NoteGold),
	}
	for id, w := range want {
		n := p.mustID(t, id)
		if ancestor(n, withAttr(sel(0), "id", "evaluation")) == nil {
			t.Errorf("#%s is outside #evaluation", id)
		}
		if got := textOf(n); got != w {
			t.Errorf("#%s = %q, want %q", id, got, w)
		}
	}
}

// misses are the evaluation view's list of what the gold has that the
// output lacks, as kind: text.
func misses(p *reviewPage) []string {
	var out []string
	for _, ul := range find(p.byID["evaluation"], sel(atom.Ul, "misses")) {
		for _, li := range find(ul, sel(atom.Li)) {
			k, _ := attr(li, "data-kind")
			out = append(out, k+": "+textOf(li))
		}
	}
	return out
}

// TestReportEvaluation checks the evaluation view against evaluate's own
// figures, and that a gold which disagrees with the output on a word and
// on markers shows each disagreement in the diff and the misses.
func TestReportEvaluation(t *testing.T) {
	doc, gold := goldCase(t)
	out := pipeline.Markdown(doc)

	t.Run("gold", func(t *testing.T) {
		p := render(t, doc, Options{Gold: gold})
		checkIDsAndLinks(t, p)
		res := evaluate.Compare(gold, out)
		checkEvalFigures(t, p, res)
		if got := len(misses(p)); got != len(res.Misses) {
			t.Errorf("the view lists %d misses, evaluate %d", got, len(res.Misses))
		}
		t.Logf("seed-004 against its gold: CER %.2f%%, WER %.2f%%, markers P %.3f R %.3f, %d misses",
			100*res.CER(), 100*res.WER(), res.MarkP(), res.MarkR(), len(res.Misses))
	})

	t.Run("no gold", func(t *testing.T) {
		p := render(t, doc, Options{})
		if p.byID["evaluation"] != nil {
			t.Error("#evaluation shown without a gold")
		}
	})

	t.Run("changed gold", func(t *testing.T) {
		// One word changed; the marker of "Women" taken out of the gold,
		// so that the output has one the gold lacks; and a marker put on
		// "Reiterates", which the output lacks.
		edit := func(s, old, new string) string {
			t.Helper()
			if strings.Count(s, old) != 1 {
				t.Fatalf("gold.md has %q %d times, want once", old, strings.Count(s, old))
			}
			return strings.Replace(s, old, new, 1)
		}
		g := string(gold)
		g = edit(g, "Acknowledges", "Acknowledged")
		g = edit(g, "Women[^10]", "Women")
		g = edit(g, "Reiterates", "Reiterates[^11]")
		changed := []byte(g)
		p := render(t, doc, Options{Gold: changed})
		res := evaluate.Compare(changed, out)
		checkEvalFigures(t, p, res)
		base := evaluate.Compare(gold, out)
		if res.WordErrs != base.WordErrs+1 {
			t.Fatalf("the changed word should add one word error: %d, then %d", base.WordErrs, res.WordErrs)
		}

		diff := find(p.mustID(t, "evaluation"), sel(atom.Div, "diff"))
		if len(diff) != 1 {
			t.Fatalf("#evaluation has %d .diff, want 1", len(diff))
		}
		type change struct{ before, del, ins string }
		var got []change
		for _, d := range find(diff[0], sel(atom.Del)) {
			ins := d.NextSibling
			if ins == nil || ins.DataAtom != atom.Ins {
				continue
			}
			before := ""
			if prev := d.PrevSibling; prev != nil && prev.Type == html.TextNode {
				f := strings.Fields(prev.Data)
				if len(f) > 0 && !strings.HasSuffix(prev.Data, " ") {
					before = f[len(f)-1]
				}
			}
			got = append(got, change{before, textOf(d), textOf(ins)})
		}
		for _, want := range []change{
			{"", "Acknowledged", "Acknowledges"},
			{"Women", "", "10"},
			{"Reiterates", "11", ""},
		} {
			if !slices.Contains(got, want) {
				t.Errorf("the diff does not show %+v; it shows %+v", want, got)
			}
		}
		// The marker the output lacks is the one new miss.
		var newMisses []string
		before := misses(render(t, doc, Options{Gold: gold}))
		for _, m := range misses(p) {
			if !slices.Contains(before, m) {
				newMisses = append(newMisses, m)
			}
		}
		if len(newMisses) != 1 || !strings.HasPrefix(newMisses[0], "marker: ") || !strings.Contains(newMisses[0], `[^11] on "Reiterates"`) {
			t.Errorf("new misses = %q, want the marker [^11] on \"Reiterates\"", newMisses)
		}
	})
}

// mixedPDF is page 1 of res-73-7's born-digital PDF and page 2 of its
// scan: with OCR off, page 2 cannot be read.
func mixedPDF(t *testing.T) string {
	t.Helper()
	testutil.RequireTools(t, "this test builds a PDF with poppler: install poppler-utils (it must run, not skip)",
		"pdfseparate", "pdfunite", "pdfinfo", "pdftotext", "pdftoppm", "pdfimages")
	dir := t.TempDir()
	p1, p2, mixed := filepath.Join(dir, "p1.pdf"), filepath.Join(dir, "p2.pdf"), filepath.Join(dir, "mixed.pdf")
	for _, c := range [][]string{
		{"pdfseparate", "-f", "1", "-l", "1", testutil.CorpusFile(t, "res-73-7", "text.pdf"), p1},
		{"pdfseparate", "-f", "2", "-l", "2", testutil.CorpusFile(t, "res-73-7", "scan.pdf"), p2},
		{"pdfunite", p1, p2, mixed},
	} {
		if out, err := exec.Command(c[0], c[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(c, " "), err, out)
		}
	}
	return mixed
}

// TestReportFailedPages renders a document one of whose pages could not
// be read: the summary, the list and the page image must say so.
func TestReportFailedPages(t *testing.T) {
	path := mixedPDF(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cl := clean.New(clean.Options{KeepOriginal: true, OCR: clean.OCRNever})
	defer cl.Close()
	doc, err := cl.Bytes(ctx, path, data)
	var pe *clean.PagesError
	if !errors.As(err, &pe) || doc == nil {
		t.Fatalf("cleaning with OCR off: %v; want a *clean.PagesError and the document", err)
	}
	if len(doc.FailedPages) != 1 || doc.FailedPages[0].Page != 2 {
		t.Fatalf("failed pages %v, want page 2", doc.FailedPages)
	}
	images, err := Images(ctx, path, data)
	if err != nil {
		t.Fatal(err)
	}
	p := render(t, doc, Options{Images: images})
	checkIDsAndLinks(t, p)
	checkFootnoteLinks(t, p)
	checkOffline(t, p)
	checkSummary(t, p, doc) // #failed-pages is "2", the page-failed count 1
	checkRepairList(t, p, doc)
	checkKindFilter(t, p, doc)
	checkTooltips(t, p, doc)
	checkFigures(t, p, doc)

	failed := p.mustID(t, "failed-pages")
	if spans := find(failed, sel(atom.Span)); len(spans) != 1 || textOf(spans[0]) != "2" {
		t.Errorf("#failed-pages = %q, want one span reading 2", textOf(failed))
	} else if title, _ := attr(spans[0], "title"); title != doc.FailedPages[0].Err {
		t.Errorf("#failed-pages says %q on hover, want the error %q", title, doc.FailedPages[0].Err)
	}
	list := find(p.mustID(t, "summary"), sel(atom.Ul, "failed"))
	if len(list) != 1 || !strings.Contains(textOf(list[0]), "Page 2 could not be read: "+doc.FailedPages[0].Err) {
		t.Errorf("the summary does not explain page 2's failure")
	}
	entries := find(p.mustID(t, "repairs"), sel(atom.Li, "repair-entry"))
	if len(entries) == 0 || !hasClass(entries[0], "k-page-failed") || !hasClass(entries[0], "low") {
		t.Errorf("the page failure is not first in the list, marked for attention")
	}
	caption := find(p.mustID(t, "page-2"), sel(atom.Figcaption))
	if len(caption) != 1 || !strings.Contains(textOf(caption[0]), "could not be read") {
		t.Errorf("page 2's image is not captioned as unread")
	}
	for _, row := range checkRows(t, p, doc) {
		if pg, _ := attr(row, "data-page"); pg != "1" {
			t.Errorf("a row is on page %s; only page 1 was read", pg)
		}
	}
}

// TestReportWithoutOriginal renders a document cleaned without keeping
// its input: the result still shows, with a notice and empty input cells.
func TestReportWithoutOriginal(t *testing.T) {
	path := testutil.CorpusFile(t, "seed-001", seedFile(t, "seed-001"))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := clean.New(clean.Options{}).Bytes(context.Background(), path, data)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Original != nil {
		t.Fatal("the input was kept without KeepOriginal")
	}
	p := render(t, doc, Options{})
	checkIDsAndLinks(t, p)
	checkFootnoteLinks(t, p)
	checkSummary(t, p, doc)
	checkRepairList(t, p, doc)
	checkRefs(t, p, doc)
	checkTooltips(t, p, doc)
	rows := checkRows(t, p, doc)
	notice := false
	for _, n := range find(p.mustID(t, "text"), sel(atom.P, "notice")) {
		if strings.Contains(textOf(n), "not kept") {
			notice = true
		}
	}
	if !notice {
		t.Error("no notice that the input was not kept")
	}
	if p.byID["lead"] != nil {
		t.Error("a lead row without the input")
	}
	for i, r := range rows {
		if o := textOf(find(r, sel(atom.Div, "orig"))[0]); o != "" {
			t.Errorf("row %d has input %q without the input kept", i+1, o)
		}
		if c := textOf(find(r, sel(atom.Div, "cleaned"))[0]); !strings.Contains(c, doc.Paragraphs[i].Text[:min(20, len(doc.Paragraphs[i].Text))]) {
			t.Errorf("row %d does not show its paragraph: %q", i+1, c)
		}
	}
	h := findHighlights(t, p, doc)
	if frac := checkMarkers(t, h, doc, true); frac != 1 {
		t.Errorf("without the input, %.0f%% of markers highlighted", 100*frac)
	}
}

// checkListMatchesHighlights wants the list to say which repairs the page
// does not highlight: an entry without class unplaced must have a
// highlight or a box, and one with it none.
func checkListMatchesHighlights(t testing.TB, p *reviewPage, doc *pipeline.Document) {
	t.Helper()
	shown := map[string]bool{}
	for _, n := range find(p.root, func(n *html.Node) bool { return sel(0, "repair")(n) || sel(atom.Div, "box")(n) }) {
		s, _ := attr(n, "data-repair")
		shown[s] = true
	}
	for _, e := range find(p.mustID(t, "repairs"), sel(atom.Li, "repair-entry")) {
		s, _ := attr(e, "data-repair")
		i, _ := strconv.Atoi(s)
		r := doc.Log[i]
		if r.Kind == pipeline.RepairPageFailed {
			continue // shown by the summary and the page's caption
		}
		if unplaced := hasClass(e, "unplaced"); unplaced == shown[s] {
			t.Errorf("repair %d (%s %q → %q): listed as unplaced = %v, highlighted = %v", i, r.Kind, r.Before, r.After, unplaced, shown[s])
		}
	}
}

// TestReportListMatchesHighlights checks checkListMatchesHighlights on the
// corpus and on the two cases that show the fault: a highlight dropped for
// overlapping another is still counted as shown.
func TestReportListMatchesHighlights(t *testing.T) {
	t.Run("overlapping paragraph repairs", func(t *testing.T) {
		// Flattened text: the paragraph stage split the paragraph out, and
		// the numbering stage moved its number back to the start; the
		// numbering repair's highlight covers the whole paragraph, so the
		// split's is dropped.
		text := "1. Recognizes that broad cooperation is essential;"
		line := "Underlining the need, Recognizes that broad cooperation 1. is essential;"
		doc := &pipeline.Document{
			Source: "flat.txt", Kind: pipeline.KindFlat,
			Original: []pipeline.Page{{Number: 1, Lines: []pipeline.Line{{Text: line, Origin: 1}}}},
			Paragraphs: []pipeline.Paragraph{
				{Kind: pipeline.ParaPreambular, Text: "Underlining the need,", Page: 1, Line: 1},
				{Kind: pipeline.ParaOperative, Number: "1", Text: text, Page: 1, Line: 1},
			},
			Log: []pipeline.Repair{
				{Stage: "paragraphs", Kind: pipeline.RepairParagraph, Before: "", After: "Recognizes that broad cooperation is…",
					Reason: "paragraph split out of flattened text", Confidence: 0.85, Pos: pipeline.Position{Page: 1, Line: 1, Paragraph: 1}},
				{Stage: "numbering", Kind: pipeline.RepairNumbering, Before: "Recognizes that broad cooperation 1. is essential;", After: text,
					Reason: "operative number 1 displaced into its paragraph", Confidence: 0.9, Pos: pipeline.Position{Page: 1, Line: 1, Paragraph: 1, Start: 34, End: 37}},
			},
		}
		doc.Pages = doc.Original
		checkListMatchesHighlights(t, render(t, doc, Options{}), doc)
	})
	for _, c := range reportCases() {
		t.Run(c.name, func(t *testing.T) {
			doc, opts := c.doc(t)
			checkListMatchesHighlights(t, render(t, doc, opts), doc)
		})
	}
}

// TestReportInsertedLineCrossesOutNothing renders what the geometry stage
// does at the foot of a scanned page: it inserts a separator rule "where
// the footnote zone starts", recorded at the input line there, which it
// did not change; the furniture stage then removes that line, a page
// number. The line must be highlighted as the furniture it was.
func TestReportInsertedLineCrossesOutNothing(t *testing.T) {
	t.Run("by hand", func(t *testing.T) {
		body := "Decides to remain seized of the matter."
		doc := &pipeline.Document{
			Source: "scan.pdf", Kind: pipeline.KindScan,
			Original:   []pipeline.Page{{Number: 1, Lines: []pipeline.Line{{Text: body, Origin: 1}, {Text: "2/5", Origin: 2}}}},
			Paragraphs: []pipeline.Paragraph{{Kind: pipeline.ParaBody, Text: body, Page: 1, Line: 1}},
			Log: []pipeline.Repair{
				{Stage: "geometry", Kind: pipeline.RepairFootnote, Before: "", After: "__________",
					Reason: "smaller type at the foot of the page: the footnote zone starts here", Confidence: 0.8, Pos: pipeline.LinePos(1, 2, 0, 0)},
				{Stage: "furniture", Kind: pipeline.RepairFurniture, Before: "2/5", After: "",
					Reason: "removed page number", Confidence: 0.95, Pos: pipeline.LinePos(1, 2, 0, 3)},
			},
		}
		doc.Pages = []pipeline.Page{{Number: 1, Lines: doc.Original[0].Lines[:1]}}
		p := render(t, doc, Options{})
		checkRemovedLinesHighlighted(t, p, doc)
	})
	t.Run("res-73-7 scan", func(t *testing.T) {
		doc, images := scannedPDF(t)
		checkRemovedLinesHighlighted(t, render(t, doc, Options{Images: images}), doc)
	})
}

// checkRemovedLinesHighlighted wants every furniture repair that removed
// a whole input line, as read, highlighted on that line as furniture.
func checkRemovedLinesHighlighted(t *testing.T, p *reviewPage, doc *pipeline.Document) {
	t.Helper()
	lines := map[[2]int]string{}
	for _, pg := range doc.Original {
		for _, l := range pg.Lines {
			lines[[2]int{pg.Number, l.Origin}] = l.Text
		}
	}
	checked := 0
	for i, r := range doc.Log {
		if r.Kind != pipeline.RepairFurniture || r.After != "" || lines[[2]int{r.Pos.Page, r.Pos.Line}] != r.Before {
			continue
		}
		checked++
		title := fmt.Sprintf("page %d, line %d", r.Pos.Page, r.Pos.Line)
		var marks []string
		for _, ln := range find(p.mustID(t, "text"), withAttr(sel(atom.Span, "ln"), "title", title)) {
			for _, m := range find(ln, sel(atom.Mark, "repair")) {
				s, _ := attr(m, "data-repair")
				k, _ := attr(m, "data-kind")
				marks = append(marks, s+" "+k)
			}
		}
		if !slices.Contains(marks, fmt.Sprintf("%d furniture", i)) {
			t.Errorf("%s %q, removed as furniture by repair %d, is highlighted as %v", title, r.Before, i, marks)
		}
	}
	if checked == 0 {
		t.Fatal("no furniture repair removed a whole line as read")
	}
}

// TestReportGoldNotUTF8 gives a gold file in Latin-1, as an older tool may
// have saved it: the page must still be valid UTF-8, which it declares.
func TestReportGoldNotUTF8(t *testing.T) {
	doc, gold := goldCase(t)
	latin1 := bytes.Replace(gold, []byte("General Assembly"), []byte("G\xe9n\xe9ral Assembly"), 1)
	p := render(t, doc, Options{Gold: latin1})
	if !utf8.Valid(p.raw) {
		i := 0
		for i < len(p.raw) {
			r, n := utf8.DecodeRune(p.raw[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			i += n
		}
		t.Errorf("the page is not valid UTF-8 at byte %d: %q", i, p.raw[max(0, i-40):min(len(p.raw), i+10)])
	}
}

// BenchmarkWrite renders documents already cleaned: seed-001, and the
// repository's seeds run together twenty times, a document of some
// hundred pages' worth of paragraphs in one long page.
func BenchmarkWrite(b *testing.B) {
	b.Run("seed-001", func(b *testing.B) {
		doc, data := cleanFile(b, "seed-001", seedFile(b, "seed-001"))
		benchWrite(b, doc, len(data))
	})
	b.Run("seeds-x20", func(b *testing.B) {
		ins, err := filepath.Glob(filepath.Join(testutil.ModuleRoot(b), "testdata", "seeds", "*", "input.txt"))
		if err != nil || len(ins) == 0 {
			b.Fatalf("no seeds under testdata/seeds: %v", err)
		}
		var all bytes.Buffer
		for range 20 {
			for _, in := range ins {
				data, err := os.ReadFile(in)
				if err != nil {
					b.Fatal(err)
				}
				all.Write(data)
				all.WriteString("\n\n")
			}
		}
		doc := cleanBytes(b, "seeds-x20.txt", all.Bytes())
		benchWrite(b, doc, all.Len())
	})
}

func benchWrite(b *testing.B, doc *pipeline.Document, size int) {
	b.SetBytes(int64(size))
	b.ReportAllocs()
	var out bytes.Buffer
	for b.Loop() {
		out.Reset()
		if err := Write(&out, doc, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(doc.Paragraphs))*float64(b.N)/b.Elapsed().Seconds(), "paragraphs/s")
	b.ReportMetric(float64(out.Len()), "page-bytes")
}

// TestReportLineRepairHighlightsTheChange renders a scanned line two
// repairs touched: the geometry stage dropped an OCR fragment ("| ") and
// logged the whole line before and after, and read the raised "4" as a
// marker. Each must be highlighted on the line, and boxed; a highlight of
// the whole line hides the marker.
func TestReportLineRepairHighlightsTheChange(t *testing.T) {
	line := "1. | Welcomes the report of the Court for 2017/18;4"
	words := strings.Fields(line)
	var ws []pipeline.Word
	x := 100.0
	for _, w := range words {
		ws = append(ws, pipeline.Word{Text: w, Box: &pipeline.Box{X0: x, Y0: 500, X1: x + 10*float64(len(w)), Y1: 530}})
		x += 10*float64(len(w)) + 10
	}
	cleaned := "1. Welcomes the report of the Court for 2017/18;"
	doc := &pipeline.Document{
		Source: "scan.pdf", Kind: pipeline.KindScan,
		Original:   []pipeline.Page{{Number: 1, Width: 2480, Height: 3508, Lines: []pipeline.Line{{Text: line, Origin: 1, Words: ws}}}},
		Paragraphs: []pipeline.Paragraph{{Kind: pipeline.ParaOperative, Number: "1", Text: cleaned, Page: 1, Line: 1, Refs: []pipeline.Ref{{Offset: len(cleaned), Number: 4}}}},
		Log: []pipeline.Repair{
			{Stage: "geometry", Kind: pipeline.RepairJunk, Before: line, After: "1. Welcomes the report of the Court for 2017/18;4",
				Reason: "OCR fragments read with little confidence at the line's start", Confidence: 0.7, Pos: pipeline.LinePos(1, 1, 0, len(line))},
			{Stage: "geometry", Kind: pipeline.RepairMarker, Before: "2017/18; 4", After: "2017/18;⁴",
				Reason: "raised small glyphs: a superscript footnote marker", Confidence: 0.9, Pos: pipeline.LinePos(1, 1, 0, 0)},
		},
	}
	doc.Pages = doc.Original
	p := render(t, doc, Options{Images: []Image{{Page: 1, Width: 10, Height: 14, JPEG: tinyJPEG(t)}}})
	h := findHighlights(t, p, doc)
	for i, want := range []string{"|", "4"} {
		var got []string
		for _, n := range h.orig[i] {
			got = append(got, textOf(n))
		}
		if len(got) != 1 || strings.TrimSpace(got[0]) != want {
			t.Errorf("repair %d (%s) is highlighted on %q, want on %q", i, doc.Log[i].Kind, got, want)
		}
		if boxes := find(p.root, withAttr(sel(atom.Div, "box"), "data-repair", strconv.Itoa(i))); len(boxes) != 1 {
			t.Errorf("repair %d (%s) has %d boxes, want 1", i, doc.Log[i].Kind, len(boxes))
		}
	}
}

// tinyJPEG is a blank page image, for documents made by hand.
func tinyJPEG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 10, 14)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
