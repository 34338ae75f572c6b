package serve

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"

	"github.com/emend/emend/pipeline"
)

// handlePage is GET /: an upload page, self-contained (inline style and
// script, nothing fetched). Without script it is a plain form; with it,
// a file dropped on the zone is put in the form and sent. Either way the
// browser posts to /v1/clean?format=html and shows the report it answers.
//
// The ids upload, file, submit and drop are a contract: browser tests
// drive the page by them.
func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	var b bytes.Buffer
	err := uploadPage.Execute(&b, map[string]string{
		"Version":   pipeline.Version,
		"MaxBody":   byteSize(s.opts.MaxBody),
		"MaxPages":  strconv.Itoa(s.opts.MaxPages),
		"MaxPixels": megapixels(int64(s.opts.MaxPixels)),
		"Timeout":   s.opts.Timeout.String(),
	})
	if err != nil {
		http.Error(w, "emend: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(b.Bytes())
}

var uploadPage = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>emend: clean a UN document</title>
<style>
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; background: #f6f7f9; margin: 0; }
main { max-width: 42rem; margin: 3rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
p.lead { margin-top: 0; color: #444; }
#drop { display: block; border: 2px dashed #8a94a6; border-radius: 12px; background: #fff; padding: 2.5rem 1.5rem;
  text-align: center; cursor: pointer; transition: background .15s, border-color .15s; }
#drop.over { background: #e8f0fe; border-color: #1a56db; }
#drop strong { display: block; font-size: 1.15rem; margin-bottom: .5rem; }
#file { margin-top: .75rem; max-width: 100%; }
#submit { margin-top: 1rem; font: inherit; padding: .55rem 1.6rem; border: 0; border-radius: 8px; background: #1a56db; color: #fff; cursor: pointer; }
#submit[disabled] { background: #8a94a6; cursor: progress; }
#status { min-height: 1.5em; color: #1a56db; }
.limits, .api { font-size: .9rem; color: #555; }
code { background: #eceef2; padding: .1em .3em; border-radius: 4px; }
</style>
</head>
<body>
<main>
<h1>emend</h1>
<p class="lead">Clean a scanned or badly extracted UN document: footnotes paired with their markers, page furniture
removed, hyphenation undone, paragraphs rebuilt, and every repair shown in a review report.</p>
<form id="upload" method="post" action="/v1/clean?format=html" enctype="multipart/form-data">
<label id="drop" for="file">
<strong>Drop a document here</strong>
or choose a PDF, a page image (PNG, JPEG, TIFF) or a text extraction:<br>
<input type="file" name="file" id="file" required>
</label>
<button type="submit" id="submit">Clean</button>
<p id="status" role="status" aria-live="polite"></p>
</form>
<p class="limits">Up to {{.MaxBody}} and {{.MaxPages}} pages of at most {{.MaxPixels}} each; a document has {{.Timeout}}.
Scanned pages take a few seconds each to read.</p>
<p class="api">From a script: <code>curl -F file=@scan.pdf 'http://HOST/v1/clean?format=json'</code>
(formats <code>md</code>, <code>text</code>, <code>json</code>, <code>html</code>). emend {{.Version}}.</p>
</main>
<script>
(function () {
  var form = document.getElementById('upload');
  var input = document.getElementById('file');
  var drop = document.getElementById('drop');
  var button = document.getElementById('submit');
  var status = document.getElementById('status');

  function working() {
    var f = input.files && input.files[0];
    status.textContent = 'Cleaning ' + (f ? f.name : 'the document') + '\u2026';
    button.disabled = true;
  }
  form.addEventListener('submit', working);
  // Coming back to the page from the report: ready again.
  window.addEventListener('pageshow', function () { button.disabled = false; status.textContent = ''; });

  // A file dropped beside the zone would make the browser open it instead.
  window.addEventListener('dragover', function (e) { e.preventDefault(); });
  window.addEventListener('drop', function (e) { e.preventDefault(); });
  ['dragenter', 'dragover'].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add('over'); });
  });
  ['dragleave', 'dragend'].forEach(function (t) {
    drop.addEventListener(t, function () { drop.classList.remove('over'); });
  });
  drop.addEventListener('drop', function (e) {
    e.preventDefault();
    drop.classList.remove('over');
    var files = e.dataTransfer && e.dataTransfer.files;
    if (!files || files.length === 0) { return; }
    try {
      // One document per request: keep the first file dropped.
      var dt = new DataTransfer();
      dt.items.add(files[0]);
      input.files = dt.files;
    } catch (err) {
      input.files = files;
    }
    working();
    form.submit();
  });
}());
</script>
</body>
</html>
`))
