package input

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/emend/emend/pipeline"
)

var mdDefinition = regexp.MustCompile(`^\[\^(\d+)\]:\s*(.*)$`)

// ReadMarkdown reads emend's own Markdown back: paragraphs are blocks
// separated by blank lines, "[^N]: text" lines are definitions. References
// stay in the text as [^N] for the marker stage to take up, so that cleaning
// emend's output again changes nothing.
func ReadMarkdown(doc *pipeline.Document, text string) {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	line := 0
	for _, block := range regexp.MustCompile(`\n[ \t]*\n`).Split(text, -1) {
		var body []string
		start := line + 1
		for _, ln := range strings.Split(block, "\n") {
			line++
			t := strings.TrimSpace(ln)
			if m := mdDefinition.FindStringSubmatch(t); m != nil {
				n, _ := strconv.Atoi(m[1])
				doc.Footnotes = append(doc.Footnotes, pipeline.Footnote{Number: n, Text: strings.Join(strings.Fields(m[2]), " ")})
				continue
			}
			if t != "" {
				body = append(body, t)
			}
		}
		line++ // the blank line the split consumed
		if p := strings.Join(body, " "); p != "" {
			doc.Paragraphs = append(doc.Paragraphs, pipeline.Paragraph{Text: p, Page: 1, Line: start})
		}
	}
}
