package stages

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/internal/input"
	"github.com/emend/emend/pipeline"
)

// normalizeSpec: the normalizer is the first stage and depends on none.
var normalizeSpec = lineStageSpec{
	stage: func(*dictionaries.Set) pipeline.Stage { return &Normalizer{} },
	kinds: []pipeline.RepairKind{pipeline.RepairNormalize, pipeline.RepairJunk},
}

func TestNormalizerGolden(t *testing.T) { runTxtarCases(t, "normalize", normalizeSpec) }

func TestNormalizerKeepsContent(t *testing.T) { checkContentSurvives(t, normalizeSpec) }

func TestNormalizeString(t *testing.T) {
	tests := []struct {
		name, reason string
		in, want     string
	}{
		{"fi ligature", "typeset PDFs set \"fi\" as one glyph; a word with it is not in any word list",
			"\uFB01nancial assistance", "financial assistance"},
		{"ffi ligature", "\"efficient\" is set with the three-letter ligature",
			"e\uFB03cient and e\uFB00ective", "efficient and effective"},
		{"fl and ffl ligatures", "\"conflict\" and \"baffled\" carry the fl and ffl glyphs",
			"post-con\uFB02ict ba\uFB04ed", "post-conflict baffled"},
		{"no-break space inside a reference", "\"Article 12\" is tied with U+00A0 so that the number does not wrap",
			"under Article\u00A012 of the Covenant", "under Article 12 of the Covenant"},
		{"narrow no-break space in a symbol", "S/RES/2334 (2016) is printed with U+202F before the year",
			"resolution S/RES/2334\u202F(2016)", "resolution S/RES/2334 (2016)"},
		{"thin and ideographic spaces", "odd spaces become plain ones; runs are kept because layout text needs its column gaps",
			"A/HRC/RES/34/1\u2009\u3000\u2009Distr.: General", "A/HRC/RES/34/1   Distr.: General"},
		{"soft hyphen", "U+00AD marks where a word may break; it is not part of the word",
			"non-governmental organi\u00ADzations", "non-governmental organizations"},
		{"zero-width characters", "U+200B, U+200C, U+200D, U+2060 and a BOM in mid-line come from copy and paste and split words invisibly",
			"Secre\u200Btary-\u200CGeneral\u200D and the \u2060Council\uFEFF", "Secretary-General and the Council"},
		{"non-breaking hyphen", "U+2011 keeps \"Secretary-General\" on one line; the word has an ordinary hyphen",
			"the Secretary\u2011General and A/72/123\u2011S/2017/567", "the Secretary-General and A/72/123-S/2017/567"},
		{"unicode hyphen", "U+2010 is the hyphen some fonts map \"-\" to",
			"capacity\u2010building", "capacity-building"},
		{"en dash kept", "the en dash in \"Add.1–3\" and in date ranges is real punctuation",
			"E/CN.4/2006/62 and Add.1–3, 1 August 2012–31 July 2013", "E/CN.4/2006/62 and Add.1–3, 1 August 2012–31 July 2013"},
		{"curly quotes kept", "UN text uses typographic quotes and apostrophes",
			"entitled “Trafficking in persons: global patterns”, the Court’s", "entitled “Trafficking in persons: global patterns”, the Court’s"},
		{"stray backslash before a capital", "Tesseract reads a speck before an operative verb as a backslash",
			`\Welcomes the report`, "Welcomes the report"},
		{"stray backslash before a word mid-line", "the speck can stand before any word",
			`and \Requests the Secretary-General`, "and Requests the Secretary-General"},
		{"control characters", "BEL, ESC, DEL and C1 controls come from broken encodings and mean nothing",
			"Decides\x07 to\x1b remain\x7f seized\u0085 of the matter", "Decides to remain seized of the matter"},
		{"replacement character", "U+FFFD stands for a byte the decoder could not read; nothing can be made of it",
			"Chair\uFFFDperson", "Chairperson"},
		{"private-use glyph", "symbol fonts put bullets in the private use area",
			"\uF0B7 Promote the rule of law", "Promote the rule of law"},
		{"decomposed accents composed", "NFC: \"Côte d’Ivoire\" arrives as o plus U+0302 from some PDFs",
			"Co\u0302te d’Ivoire and Te\u0301le\u0301com", "Côte d’Ivoire and Télécom"},
		{"superscript digits kept", "NFKC would flatten them; they are footnote markers the marker stage needs",
			"Organized Crime¹ and the Protocol²", "Organized Crime¹ and the Protocol²"},
		{"OCR marker glyphs kept", "Tesseract reads superscript digits as ™ and ®; the marker stage reads them back",
			"Organized Crime™ and the Protocol®", "Organized Crime™ and the Protocol®"},
		{"tab after an operative number", "ODS exports separate the number from the text with a tab",
			"1.\tDecides to remain seized of the matter", "1. Decides to remain seized of the matter"},
		{"plain text unchanged", "a clean line must come out byte for byte",
			"Recalling its resolution 72/3 of 30 October 2017,", "Recalling its resolution 72/3 of 30 October 2017,"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NormalizeString(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("NormalizeString(%q): %s\n(-want +got):\n%s", tt.in, tt.reason, diff)
			}
		})
	}
}

// TestNormalizerLog checks what the stage logs for one line: the kind of
// repair, or none for a change of white space only.
func TestNormalizerLog(t *testing.T) {
	tests := []struct {
		name, reason string
		line         string
		want         string
		kind         pipeline.RepairKind // "" when nothing may be logged
	}{
		{"ligature logged as normalization", "a reader sees \"ﬁ\" become \"fi\"",
			"\uFB01nancial", "financial", pipeline.RepairNormalize},
		{"backslash logged as junk", "the backslash is OCR debris, not a character variant",
			`\Decides to remain seized`, "Decides to remain seized", pipeline.RepairJunk},
		{"no-break space not logged", "a space is a space to a reader",
			"Article\u00A012", "Article 12", ""},
		{"tab not logged", "a tab is white space",
			"2.\tRequests", "2. Requests", ""},
		{"soft hyphen logged", "the word's letters change",
			"organi\u00ADzation", "organization", pipeline.RepairNormalize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := input.Read("t.txt", []byte("The General Assembly,\n"+tt.line+"\n"), pipeline.KindPDFText)
			if err != nil {
				t.Fatal(err)
			}
			if err := (&Normalizer{}).Apply(doc); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, doc.Pages[0].Lines[1].Text); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, diff)
			}
			var kinds []pipeline.RepairKind
			for _, r := range doc.Log {
				kinds = append(kinds, r.Kind)
				if r.Pos.Page != 1 || r.Pos.Line != 2 {
					t.Errorf("repair at page %d line %d, want page 1 line 2", r.Pos.Page, r.Pos.Line)
				}
				if r.Before != tt.line || r.After != tt.want {
					t.Errorf("repair %q => %q, want %q => %q", r.Before, r.After, tt.line, tt.want)
				}
			}
			var want []pipeline.RepairKind
			if tt.kind != "" {
				want = []pipeline.RepairKind{tt.kind}
			}
			if diff := cmp.Diff(want, kinds); diff != "" {
				t.Errorf("logged kinds: %s\n(-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

// TestNormalizeStringMatchesStage checks that the exported helper other
// stages use agrees with the stage, line for line.
func TestNormalizeStringMatchesStage(t *testing.T) {
	lines := []string{"e\uFB03cient", `\Urges States`, "a\u00A0b\u00ADc", "  x\u200B  ", "Co\u0302te"}
	doc, err := input.Read("t.txt", []byte(strings.Join(lines, "\n")), pipeline.KindPDFText)
	if err != nil {
		t.Fatal(err)
	}
	if err := (&Normalizer{}).Apply(doc); err != nil {
		t.Fatal(err)
	}
	for i, ln := range doc.Pages[0].Lines {
		if want := NormalizeString(lines[i]); ln.Text != want {
			t.Errorf("line %d: stage gave %q, NormalizeString gave %q", i+1, ln.Text, want)
		}
	}
}

func FuzzNormalizer(f *testing.F) {
	addLineStageFuzzSeeds(f)
	f.Add([]byte("e\uFB03cient\u00A0\u00AD\u200B\u2011\\Welcomes\x07\uF0B7Co\u0302te"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		fuzzLineStage(t, normalizeSpec, data, kind)
	})
}

// FuzzAlreadyNormal checks the shortcut that skips the transform: a line
// it passes must be one the transform returns unchanged.
func FuzzAlreadyNormal(f *testing.F) {
	for _, s := range []string{"Recalling its resolution 61/180,", "the Secretary-General’s “report” – café", "ﬁnance", "a\u00a0b", "x\u00ad", "e\u0301", "\\Welcomes", " lead", "\xff", "Crime¹ and ™"} {
		f.Add(s)
	}
	f.Add(" \u0085\u00a0 indented\u2028 ")
	f.Add("\u2000\u0301x\t")
	// Runs of eight ASCII bytes and more, which the shortcut steps over
	// eight at a time, with what ends them at each place in a run.
	f.Add("Recalling also its resolution\\ 61/180 of the General Assembly")
	f.Add("abcdefgh\x7fijklmnop café e\u0301 ﬁnance")
	f.Add("abcdefghijklmno“p” – and the\x01 rest of the line")
	f.Fuzz(func(t *testing.T, s string) {
		if alreadyNormal(s) {
			if got := NormalizeString(s); got != s {
				t.Errorf("alreadyNormal(%q) but the transform gives %q", s, got)
			}
		}
		// The trimming shortcut: a line whose trimmed text passes is the
		// transform's result once trimmed.
		if core := strings.TrimSpace(s); plainASCII(core) || alreadyNormal(core) {
			if got := NormalizeString(s); got != core {
				t.Errorf("%q trims to %q, which passes, but the transform gives %q", s, core, got)
			}
		}
	})
}
