package stages

import (
	"regexp"
	"strings"

	"github.com/emend/emend/pipeline"
)

// ODSTags strips the markup of legacy ODS text exports: [DU1]-style marks
// and <<ODS NAME>>value<<ODS NAME>> tags, whose values become metadata.
// ODS exports dump the page furniture of the original (mastheads, rules,
// page numbers, job numbers) after the tags; that trailer is removed here
// too, since after the last tag nothing belongs to the body.
type ODSTags struct{}

var _ pipeline.Stage = (*ODSTags)(nil)

func (*ODSTags) Name() string { return "ods" }

var (
	odsPair = regexp.MustCompile(`<<ODS ([A-Z ]+?)(\d*)>>(.*?)<<ODS [A-Z ]+?\d*>>`)
	odsLone = regexp.MustCompile(`<<ODS [A-Z ]+?\d*>>`)
	duMark  = regexp.MustCompile(`\[DU\d+\]`)
	// N0650523E: the ODS job number is the printed job number with a
	// language letter on each side.
	odsJob = regexp.MustCompile(`^[A-Z]?(\d{2})(\d{5})([A-Z]?)$`)
)

func (s *ODSTags) Apply(doc *pipeline.Document) error {
	if doc.Kind != pipeline.KindODS {
		return nil
	}
	lastTag := -1 // index in flattened (page, line) order of the last tagged line
	idx := 0
	for pi := range doc.Pages {
		page := &doc.Pages[pi]
		for li := range page.Lines {
			ln := &page.Lines[li]
			before := ln.Text
			tagged := false
			// Removing one tag can close another around it
			// ("<<ODS A<<ODS B>>>>"): repeat until nothing changes. Every
			// pattern needs "<<ODS " or "[DU", which removing a match
			// cannot bring about where neither stood.
			hasMarkup := strings.Contains(ln.Text, "<<ODS ") || strings.Contains(ln.Text, "[DU")
			for round := 0; hasMarkup && round < 8; round++ {
				was := ln.Text
				ln.Text = odsPair.ReplaceAllStringFunc(ln.Text, func(m string) string {
					sub := odsPair.FindStringSubmatch(m)
					s.meta(doc, strings.TrimSpace(sub[1]), strings.TrimSpace(sub[3]))
					tagged = true
					return ""
				})
				if odsLone.MatchString(ln.Text) {
					ln.Text = odsLone.ReplaceAllString(ln.Text, "")
					tagged = true
				}
				ln.Text = duMark.ReplaceAllString(ln.Text, "")
				if ln.Text == was {
					break
				}
			}
			ln.Text = strings.TrimSpace(ln.Text)
			if ln.Text != before {
				doc.Record(pipeline.Repair{
					Stage: s.Name(), Kind: pipeline.RepairTag, Before: before, After: ln.Text,
					Reason: "removed ODS export markup", Confidence: 1,
					Pos: pipeline.LinePos(page.Number, ln.Origin, 0, len(before)),
				})
			}
			if tagged {
				lastTag = idx
			}
			idx++
		}
	}
	// Drop emptied lines, and everything after the last tag: the trailer.
	// Tags that stand before the body (some exports put them first) have
	// no trailer after them.
	if lastTag >= 0 && lastTag < idx/2 {
		lastTag = -1
	}
	idx = 0
	for pi := range doc.Pages {
		page := &doc.Pages[pi]
		kept := page.Lines[:0]
		for _, ln := range page.Lines {
			trailer := lastTag >= 0 && idx > lastTag
			idx++
			if trailer {
				doc.Record(pipeline.Repair{
					Stage: s.Name(), Kind: pipeline.RepairFurniture, Before: ln.Text,
					Reason: "page furniture dumped after the ODS tags", Confidence: 0.95,
					Pos: pipeline.LinePos(page.Number, ln.Origin, 0, len(ln.Text)),
				})
				s.trailerMeta(doc, ln.Text)
				continue
			}
			if ln.Text == "" {
				continue
			}
			kept = append(kept, ln)
		}
		page.Lines = kept
	}
	return nil
}

func (s *ODSTags) meta(doc *pipeline.Document, name, value string) {
	if value == "" {
		return
	}
	switch name {
	case "JOB NO":
		if m := odsJob.FindStringSubmatch(value); m != nil {
			doc.Meta.JobNumber = m[1] + "-" + m[2]
			if m[3] != "" {
				doc.Meta.Language = m[3]
			}
		} else {
			doc.Meta.JobNumber = value
		}
	case "DOC SYMBOL":
		if doc.Meta.Symbol == "" {
			doc.Meta.Symbol = value
		}
		doc.Meta.Symbols = append(doc.Meta.Symbols, value)
	}
}

// trailerMeta reads what it can of the masthead dumped in the trailer,
// where the export ran its fields together ("8 March 2007Sixty-first session").
func (s *ODSTags) trailerMeta(doc *pipeline.Document, text string) {
	// A field already set stays, so its pattern need not run.
	if d, ok := mastDistribution(text); ok && doc.Meta.Distribution == "" {
		doc.Meta.Distribution = d
	}
	if doc.Meta.Date == "" {
		if m := mastDateInline.FindStringSubmatch(text); m != nil {
			doc.Meta.Date = m[1]
		}
	}
	if doc.Meta.Session == "" {
		if m := mastSessionInline.FindStringSubmatch(text); m != nil {
			doc.Meta.Session = m[1]
		}
	}
	if item, ok := mastAgendaItem(text); ok && doc.Meta.AgendaItem == "" {
		doc.Meta.AgendaItem = item
	}
	for _, body := range bodyNames {
		if strings.Contains(text, body) && doc.Meta.Body == "" {
			doc.Meta.Body = body
		}
	}
}
