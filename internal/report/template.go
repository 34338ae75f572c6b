package report

// pageTemplate is the report page. Its element ids and classes are what
// the script, the browser test and users' own tooling rely on:
//
//	#summary [data-kind=K] .count    repairs of kind K
//	#kind-filter                     the filter: all, low, or a kind
//	#text .row                       one paragraph: .orig (input) and .cleaned
//	.repair[data-kind]               a highlighted repair, data-before/after/reason/conf
//	a.fnref[href=#fn-N]#fnref-N-K    the K-th reference to footnote N
//	#footnotes li#fn-N a.fnback      a definition and its links back
//	#repairs li.repair-entry         the list of every repair
//	figure.page img, .box[data-kind] a page image and a repaired word's box
//	#evaluation                      the comparison with a gold text
const pageTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="emend {{.Version}}">
<title>emend review: {{.Title}}</title>
<style>{{.CSS}}</style>
</head>
<body class="{{if .Figures}}with-pages{{end}}" data-filter="all">
<header id="summary">
  <h1><span class="brand">emend review</span> {{.Source}}</h1>
  <dl class="facts">
    <div><dt>Input</dt><dd>{{.Kind}}</dd></div>
    <div><dt>Pages</dt><dd id="page-count">{{.Pages}}</dd></div>
    <div><dt>Failed pages</dt><dd id="failed-pages">{{if .Failed}}{{range $i, $f := .Failed}}{{if $i}}, {{end}}<span title="{{$f.Err}}">{{$f.Page}}</span>{{end}}{{else}}none{{end}}</dd></div>
    <div><dt>Paragraphs</dt><dd>{{len .Rows}}</dd></div>
    <div><dt>Footnotes</dt><dd>{{len .Notes}}</dd></div>
    <div><dt>Repairs</dt><dd id="repair-total">{{.Total}}</dd></div>
    {{range .Meta}}<div><dt>{{index . 0}}</dt><dd>{{index . 1}}</dd></div>{{end}}
    <div><dt>emend</dt><dd>{{.Version}}</dd></div>
  </dl>
  {{with .Failed}}<ul class="failed">{{range .}}<li>Page {{.Page}} could not be read: {{.Err}}</li>{{end}}</ul>{{end}}
  <table class="counts">
    <thead><tr><th>Kind</th><th>Repairs</th><th>Low confidence</th></tr></thead>
    <tbody>
    {{range .Counts}}<tr data-kind="{{.Kind}}"><th><span class="swatch k-{{.Kind}}"></span>{{.Kind}}</th><td class="count">{{.N}}</td><td class="low-count">{{.Low}}</td></tr>
    {{end}}</tbody>
  </table>
  <div class="controls">
    <label for="kind-filter">Show</label>
    <select id="kind-filter">
      <option value="all">every repair ({{.Total}})</option>
      <option value="low">needs attention ({{.Low}})</option>
      {{range .Counts}}<option value="{{.Kind}}">{{.Kind}} ({{.N}})</option>
      {{end}}
    </select>
    <span id="filter-status" aria-live="polite"></span>
    {{if .Low}}<button type="button" id="next-low" title="Show the next repair under 80% confidence (key n)">Next to check ▸</button>
    <p class="attention">{{.Low}} repair{{if gt .Low 1}}s{{end}} below {{printf "%.0f" 80.0}}% confidence {{if gt .Low 1}}are{{else}}is{{end}} marked <span class="low-sign">!</span> and listed first.</p>{{end}}
  </div>
</header>
{{with .Eval}}
<section id="evaluation">
  <h2>Against the gold text</h2>
  <table class="figures">
    <tr><th>CER</th><td id="eval-cer">{{.CER}}</td><th>WER</th><td id="eval-wer">{{.WER}}</td>
    <th>Marker precision</th><td id="eval-markp">{{.MarkP}}</td><th>Marker recall</th><td id="eval-markr">{{.MarkR}}</td>
    <th>Paragraph F1</th><td id="eval-paraf1">{{.ParaF1}}</td><th>Footnotes</th><td id="eval-notes">{{.NoteHit}}/{{.NoteGold}}</td></tr>
  </table>
  {{if .Misses}}<h3>What the gold has that the output lacks</h3>
  <ul class="misses">{{range .Misses}}<li data-kind="{{.Kind}}"><b>{{.Kind}}</b> near “{{.Near}}”: want {{.Want}}, got {{.Got}}</li>{{end}}</ul>{{end}}
  <h3>Remaining differences ({{.Errors}} word{{if ne .Errors 1}}s{{end}}): <del>gold</del> <ins>emend</ins></h3>
  <div class="diff">{{.Diff}}</div>
</section>
{{end}}
<div id="layout">
{{if .Figures}}
<aside id="pages" aria-label="Page images">
  {{range .Figures}}<figure class="page" id="page-{{.Page}}" data-page="{{.Page}}">
    <figcaption>Page {{.Page}}{{if .Failed}} — could not be read: {{.Failed}}{{end}}</figcaption>
    {{if .ImageErr}}<p class="notice">The page image could not be rendered: {{.ImageErr}}</p>{{else}}<div class="sheet"><img src="{{.Src}}" width="{{.Width}}" height="{{.Height}}" alt="Page {{.Page}} as scanned">
    {{range .Boxes}}<div class="box k-{{.Kind}}{{if .Low}} low{{end}}" id="b-{{.Repair}}" data-repair="{{.Repair}}" {{.Attrs}} style="left:{{.Left}};top:{{.Top}};width:{{.Width}};height:{{.Height}}"></div>{{end}}
    </div>{{end}}
  </figure>
  {{end}}
  {{if .ImagesCut}}<p class="notice">Only the first pages are shown as images.</p>{{end}}
</aside>
{{end}}
<main id="text">
  <div class="row head"><div class="orig">Input as read</div><div class="cleaned">Cleaned</div></div>
  {{if not .KeptOriginal}}<p class="notice">The input was not kept for this report; only the result is shown.</p>{{end}}
  {{if .Lead}}<div class="row lead" id="lead"><div class="orig">{{.Lead}}</div><div class="cleaned"><p class="removed-note">Before the first paragraph: removed as furniture or taken into the metadata.</p></div></div>{{end}}
  {{range .Rows}}<div class="row" id="{{.ID}}" data-page="{{.Page}}"><div class="orig">{{.Orig}}</div><div class="cleaned"><p class="para pk-{{.Kind}}"><span class="pkind" title="paragraph kind">{{.Kind}}</span>{{.Clean}}</p></div></div>
  {{end}}
  {{if .Trail}}<div class="row trail" id="trail"><div class="orig">{{.Trail}}</div><div class="cleaned"><p class="removed-note">After the last paragraph: footnotes, and furniture removed.</p></div></div>{{end}}
  {{if .Notes}}<h2 class="notes-head">Footnotes</h2>
  <ol id="footnotes">
  {{range .Notes}}<li class="row note{{if .Missing}} missing{{end}}" id="fn-{{.Number}}"><div class="orig">{{.Orig}}</div><div class="cleaned"><p><span class="fnnum">{{.Number}}</span> {{if .Missing}}<span class="missing">No definition of footnote {{.Number}} was found in the input.</span>{{else}}{{.Text}}{{end}}{{range $k, $id := .Backs}} <a class="fnback" href="#{{$id}}" title="back to reference {{inc $k}}">↩{{if $k}}{{inc $k}}{{end}}</a>{{end}}{{if .Unused}} <span class="unused">(no reference found)</span>{{end}}</p></div></li>
  {{end}}
  </ol>{{end}}
</main>
<section id="repairs" aria-label="Every repair">
  <h2>Repairs</h2>
  <ol>
  {{range .Repairs}}<li class="repair-entry k-{{.Kind}}{{if .Low}} low{{end}}{{if not .Shown}} unplaced{{end}}" data-kind="{{.Kind}}" data-repair="{{.Index}}"{{if .Target}} data-target="{{.Target}}"{{end}}>
    <div class="entry-head"><span class="swatch k-{{.Kind}}"></span><b>{{.Kind}}</b> <span class="conf">{{.Conf}}</span>{{if .Low}} <span class="low-sign" title="low confidence: check this">!</span>{{end}} <span class="where">{{.Where}}</span></div>
    <div class="change"><del>{{.Before}}</del> → <ins>{{.After}}</ins></div>
    <div class="reason">{{.Reason}} <span class="stage">({{.Stage}})</span>{{if not .Shown}} <span class="unplaced-note">not highlighted in the text</span>{{end}}</div>
  </li>
  {{end}}
  </ol>
</section>
</div>
<div id="tooltip" role="tooltip" hidden></div>
<script>{{.JS}}</script>
</body>
</html>
`
