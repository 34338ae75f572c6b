package browser

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
)

// elementKey is the property under which WebDriver names an element in
// JSON, fixed by the standard.
const elementKey = "element-6066-11e4-a52e-4f735466cecf"

// Element is a DOM element of the page it was found on. Once that page is
// gone, its commands fail with code "stale element reference".
type Element struct {
	b  *Browser
	id string
}

// MarshalJSON writes the element as WebDriver's element reference, so
// that it can be an argument of ExecuteScript or an action's origin.
func (e *Element) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{elementKey: e.id})
}

// cmd sends a command about e: path is relative to /session/ID/element/ID.
func (e *Element) cmd(method, path string, body, result any) error {
	return e.b.cmd(method, "/element/"+url.PathEscape(e.id)+path, body, result)
}

type elementRef map[string]string

func (b *Browser) element(ref elementRef) (*Element, error) {
	id := ref[elementKey]
	if id == "" {
		return nil, errors.New("browser: driver answered without an element reference")
	}
	return &Element{b: b, id: id}, nil
}

// findElement looks for css under the element whose path prefix is from
// ("" for the whole document).
func (b *Browser) findElement(from, css string) (*Element, error) {
	var ref elementRef
	if err := b.cmd(http.MethodPost, from+"/element", map[string]string{"using": "css selector", "value": css}, &ref); err != nil {
		return nil, err
	}
	return b.element(ref)
}

func (b *Browser) findElements(from, css string) ([]*Element, error) {
	var refs []elementRef
	if err := b.cmd(http.MethodPost, from+"/elements", map[string]string{"using": "css selector", "value": css}, &refs); err != nil {
		return nil, err
	}
	els := make([]*Element, 0, len(refs))
	for _, r := range refs {
		el, err := b.element(r)
		if err != nil {
			return nil, err
		}
		els = append(els, el)
	}
	return els, nil
}

// FindElement is the first descendant of e matching the CSS selector.
func (e *Element) FindElement(css string) (*Element, error) {
	return e.b.findElement("/element/"+url.PathEscape(e.id), css)
}

// FindElements are the descendants of e matching the CSS selector.
func (e *Element) FindElements(css string) ([]*Element, error) {
	return e.b.findElements("/element/"+url.PathEscape(e.id), css)
}

// Click scrolls e into view and clicks its centre. It fails with code
// "element click intercepted" when another element covers that point, and
// "element not interactable" when e is hidden.
func (e *Element) Click() error {
	return e.cmd(http.MethodPost, "/click", nil, nil)
}

// SendKeys types text into e. For an <input type="file">, text is the
// absolute path of the file to choose.
func (e *Element) SendKeys(text string) error {
	return e.cmd(http.MethodPost, "/value", map[string]string{"text": text}, nil)
}

// Text is e's rendered text, as innerText gives it: hidden parts left out.
func (e *Element) Text() (string, error) {
	var s string
	err := e.cmd(http.MethodGet, "/text", nil, &s)
	return s, err
}

// TagName is e's element name, in lower case for HTML.
func (e *Element) TagName() (string, error) {
	var s string
	err := e.cmd(http.MethodGet, "/name", nil, &s)
	return s, err
}

// Attribute is the value of e's attribute name; ok is false when e has no
// such attribute.
func (e *Element) Attribute(name string) (value string, ok bool, err error) {
	var s *string
	if err := e.cmd(http.MethodGet, "/attribute/"+url.PathEscape(name), nil, &s); err != nil {
		return "", false, err
	}
	if s == nil {
		return "", false, nil
	}
	return *s, true, nil
}

// Property decodes e's DOM property name (such as "naturalWidth" or
// "checked") into result.
func (e *Element) Property(name string, result any) error {
	return e.cmd(http.MethodGet, "/property/"+url.PathEscape(name), nil, result)
}

// CSSValue is the computed value of e's CSS property. Colours come as
// rgba(): "background-color" → "rgba(255, 235, 59, 1)", and a transparent
// one as "rgba(0, 0, 0, 0)".
func (e *Element) CSSValue(property string) (string, error) {
	var s string
	err := e.cmd(http.MethodGet, "/css/"+url.PathEscape(property), nil, &s)
	return s, err
}

// IsDisplayed reports whether e is rendered: not display:none or
// visibility:hidden itself or through an ancestor, and not of zero size.
func (e *Element) IsDisplayed() (bool, error) {
	var ok bool
	err := e.cmd(http.MethodGet, "/displayed", nil, &ok)
	return ok, err
}

// Screenshot is a PNG of e's bounding box, scrolled into view first.
func (e *Element) Screenshot() ([]byte, error) {
	var s string
	if err := e.cmd(http.MethodGet, "/screenshot", nil, &s); err != nil {
		return nil, err
	}
	return decodePNG(s)
}
