"""A feedback page that runs no script: one HTML page from a graded notebook.

The page is opened in the formgrader or from the Jupyter server, in the instructor's origin,
where script could call the server's API as the instructor. So nothing from a submission may
run there, and three layers see to it:

1. The notebook is rebuilt from what a page may show: code, markdown and raw cells (no cell or
   notebook metadata, so no widget state); outputs keep text, HTML (through `sanitise()`, below),
   markdown, LaTeX, PNG, JPEG and SVG; JavaScript, widget views and other types are dropped (their
   text/plain, if any, stays, else a note says what was dropped); image metadata keeps numeric
   sizes only; an execution count is a number or nothing.
2. nbconvert's lab template renders it, with every block that writes script emptied (require.js,
   MathJax, mermaid, widget managers and state) and raw cells shown as text; an SVG becomes an
   <img> with a data: URL, where it cannot run script. Then the whole rendered notebook passes
   bleach (nbconvert's own sanitiser library) with an allowlist of tags, attributes, CSS
   properties and URLs: script, iframes, objects, forms and inline SVG are shown as text, <style>
   elements dropped, event handlers and javascript: URLs dropped, an <img> keeps only a data:image
   URL. Markdown never embeds a local file, and a missing attachment is an empty image.
3. The head starts with a Content-Security-Policy that forbids all script, remote or inline,
   and any load but data: images and fonts. The finished page is checked once more with the
   standard library's parser; a page that fails the check, or a notebook nbconvert cannot render,
   gets a plain page that says so (the record is kept either way).

The course's grader writes its pages with `page()`. nbgrader's *Generate Feedback* renders
nbgrader's own feedback template instead (autograder/authoring/formgrader_guard.py), through the same
layers: `safe_notebook()` before rendering (the cells keep the nbgrader fields that template
reads), then `secured_page()`, which keeps the template's styles, puts the policy first in the
head, passes the whole body through `sanitise()` and makes the last check.

The formgrader's *Manual Grading* page cannot forbid script (it runs its own), so what it shows of
a submission is made safe piece by piece with the same functions: the grader writes the autograded
notebooks' outputs through `show_outputs_safely()` (layer 1, the cells' ids, metadata and sources
untouched), and the formgrader renders them again through it and renders markdown with
`markdown_html()` then `sanitise()` (autograder/authoring/formgrader_guard.py).

nbconvert's `sanitize_html` option is not used: it leaves widget views' inline script, the
widget state and the CDN script tags in the page, and its allowlist shows tables' <th> and
headings as text.
"""

import base64
import binascii
import html
import re
from html.parser import HTMLParser

import bleach
from bleach.css_sanitizer import CSSSanitizer
from bs4 import BeautifulSoup
from jinja2 import DictLoader, pass_context
from bleach.html5lib_shim import Filter
from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; script-src 'none'; "
       "object-src 'none'; base-uri 'none'; form-action 'none'")

SHOWN_TYPES = ["text/plain", "text/html", "text/markdown", "text/latex", "image/png", "image/jpeg", "image/svg+xml"]
BASE64_TYPES = {"image/png", "image/jpeg"}
DROPPED_NOTES = {"application/javascript": "JavaScript output", "text/javascript": "JavaScript output",
                 "application/vnd.jupyter.widget-view+json": "widget"}

TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
        "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
        "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strike",
        "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul",
        "var"}
COMMON_ATTRIBUTES = {"class", "id", "title", "lang", "dir", "style", "align", "data-mime-type", "data-type"}
ATTRIBUTES = {"a": {"href", "name"}, "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan", "valign"},
              "th": {"colspan", "rowspan", "valign", "scope"}, "table": {"border", "cellpadding", "cellspacing"},
              "ol": {"start", "type"}, "col": {"span"}, "colgroup": {"span"}}
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)
_STYLE_TAG = re.compile(r"<style", re.IGNORECASE)   # bleach shows any other as text
_LAYOUT = re.compile(r"</?(html|body|main)\b[^>]*>", re.IGNORECASE)   # a template's page layout, in <body>
IMAGE_URL = re.compile(r"data:image/(png|jpeg|gif|webp|svg\+xml);base64,[a-z0-9+/=]*")

TEMPLATE = r"""
{%- extends 'index.html.j2' -%}
{%- block header -%}
<!DOCTYPE html>
<html lang="en">
<head>
<meta http-equiv="Content-Security-Policy" content="{{ resources.feedback_csp | escape_html }}">
<meta name="referrer" content="no-referrer">
{{ self.html_head() }}
</head>
{%- endblock header -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block body_loop -%}{{ super() | feedback_sanitise }}{%- endblock body_loop -%}
{#- The lab template passes each highlighted cell through nbconvert's own bleach too: the whole body is
    sanitised above, so once is enough (it halves the page's rendering time). -#}
{% block input scoped %}
<div class="jp-CodeMirrorEditor jp-Editor jp-InputArea-editor" data-type="inline">
     <div class="cm-editor cm-s-jupyter">
{{ cell.source | highlight_code(metadata=cell.metadata) }}
     </div>
</div>
{%- endblock input %}
{%- block rawcell scoped -%}
<div class="jp-Cell jp-RawCell jp-Notebook-cell">
<div class="jp-Cell-inputWrapper"><div class="jp-InputArea jp-Cell-inputArea">
<div class="jp-InputPrompt jp-InputArea-prompt"></div>
<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain">
<pre>{{ cell.source | escape_html }}</pre>
</div></div></div></div>
{%- endblock rawcell -%}
{%- block data_javascript scoped -%}{%- endblock data_javascript -%}
{%- block data_widget_view scoped -%}{%- endblock data_widget_view -%}
{%- block data_mermaid scoped -%}
<pre>{{ output.data['text/vnd.mermaid'] | escape_html }}</pre>
{%- endblock data_mermaid -%}
{%- block footer -%}
</html>
{%- endblock footer -%}
"""


def page(notebook, title):
    """The HTML of a page showing the notebook (an nbformat node, left unchanged), titled `title`."""
    exporter = PageExporter(extra_loaders=[DictLoader({"feedback.html.j2": TEMPLATE})],
                            template_file="feedback.html.j2", exclude_anchor_links=True,
                            filters={"feedback_sanitise": sanitise})
    try:
        rendered, _ = exporter.from_notebook_node(safe_notebook(notebook),
                                                  resources={"metadata": {"name": title}, "feedback_csp": CSP})
    except Exception as error:   # whatever a notebook holds, its record keeps a page
        return plain_page(title, f"nbconvert could not render it: {type(error).__name__}")
    return checked(rendered, title)


def secured_page(rendered, title):
    """A page that another template rendered (nbgrader's feedback template), made safe like `page()`'s:
    the head keeps only that template's <style> elements, after the policy, and everything in
    <body> passes `sanitise()` (the template's <html>, <body> and <main> tags in it are dropped first)."""
    opening = _BODY.search(rendered)
    if opening is None:
        return plain_page(title, "the template wrote no <body>")
    head, body = rendered[:opening.start()], rendered[opening.end():]
    styles = _STYLE.findall(head)
    secured = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n{policy_meta()}\n<meta charset="utf-8">\n'
               f"<title>{html.escape(title)}</title>\n" + "".join(f"<style>{css}</style>\n" for css in styles)
               + f"</head>\n<body>\n{sanitise(_LAYOUT.sub('', body))}\n</body>\n</html>\n")
    return checked(secured, title)


def checked(rendered, title):
    """The page, if `problems()` finds nothing in it; else a plain page that says why."""
    found = problems(rendered)
    return rendered if not found else plain_page(title, f"it did not pass the last check: {'; '.join(found[:5])}")


class _Attachments(dict):
    """A markdown cell's attachments, where one it does not have is an empty image (nbconvert would raise)."""

    def __contains__(self, name):
        return True

    def __missing__(self, name):
        return {"image/png": ""}


class PageExporter(HTMLExporter):
    """nbconvert's HTML exporter, whose markdown never fails on a missing attachment nor reads a local file,
    and which leaves out the exporter's last pass over the page."""

    @pass_context
    def markdown2html(self, context, source):
        return markdown_html(self, context, source)

    def from_notebook_node(self, nb, resources=None, **kw):
        """HTMLExporter.from_notebook_node, but for its last pass: it parses the whole page again with
        BeautifulSoup to give images without alt text a default one and the cells' parts a tabindex, which
        takes as long as the rest of the rendering. The page's sanitiser does both as it goes (_Accessible)."""
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self,
                                                 resources=resources)
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


def markdown_html(exporter, context, source):
    """Markdown as the HTML exporter `exporter` renders it in a template's `context` (the cell's attachments),
    except that a missing attachment is an empty image and no local file is read. The HTML is not sanitised."""
    attachments = _Attachments(context.get("cell", {}).get("attachments", {}))
    renderer = IPythonRenderer(escape=False, attachments=attachments, embed_images=False, path="",
                               anchor_link_text=exporter.anchor_link_text,
                               exclude_anchor_links=exporter.exclude_anchor_links, **exporter.lexer_options)
    return MarkdownWithMath(renderer=renderer).render(source)


def safe_notebook(notebook, cell_metadata=None):
    """A copy of the notebook with only what a feedback page may show (see the module's notes).

    A copied cell has no metadata, or what `cell_metadata(cell)` makes of the original's."""
    cells = []
    for cell in notebook.get("cells", []):
        copy = _safe_cell(cell)
        if copy is not None:
            copy.metadata = cell_metadata(cell) if cell_metadata else {}
            cells.append(copy)
    return new_notebook(cells=cells, metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}})


def _safe_cell(cell):
    source = _text(cell.get("source", ""))
    kind = cell.get("cell_type")
    if kind == "markdown":
        copy = new_markdown_cell(source)
        attachments = _attachments(cell.get("attachments"))
        if attachments:
            copy.attachments = attachments
    elif kind == "code":
        copy = new_code_cell(source)
        show_outputs_safely(cell, copy)
    elif kind == "raw":
        copy = new_raw_cell(source)
    else:
        return None
    return copy


def show_outputs_safely(cell, into=None):
    """A code cell's outputs, as a page may show them, and its execution count (a number or None), set on
    `into` (by default the cell itself, whose id, metadata and source are left as they are).

    An output keeps the types a page shows (see the module's notes) and its text/html passes `sanitise()`,
    so that the cell holds no script even where the whole page is not sanitised (the autograded notebooks,
    which the formgrader's Manual Grading shows: autograder/authoring/formgrader_guard.py)."""
    into = cell if into is None else into
    into.outputs = [output for output in map(_output, _list(cell.get("outputs"))) if output]
    count = cell.get("execution_count")
    into.execution_count = count if isinstance(count, int) and not isinstance(count, bool) else None
    return into


def _list(value):
    return value if isinstance(value, list) else []


def _text(value):
    if isinstance(value, list):
        value = "".join(part for part in value if isinstance(part, str))
    return value if isinstance(value, str) else ""


def _output(output):
    if not isinstance(output, dict):
        return None
    kind = output.get("output_type")
    if kind == "stream":
        return new_output("stream", name="stderr" if output.get("name") == "stderr" else "stdout",
                          text=_text(output.get("text", "")))
    if kind == "error":
        return new_output("error", ename=_text(output.get("ename", "")), evalue=_text(output.get("evalue", "")),
                          traceback=[line for line in _list(output.get("traceback")) if isinstance(line, str)])
    if kind not in ("display_data", "execute_result"):
        return None
    given = output.get("data") if isinstance(output.get("data"), dict) else {}
    data = {mime: _text(given[mime]) for mime in SHOWN_TYPES if mime in given and _text(given[mime])}
    for mime in BASE64_TYPES & set(data):
        if not _is_base64(data[mime]):
            del data[mime]
    if "text/html" in data:
        data["text/html"] = sanitise(data["text/html"])
    dropped = [note for mime, note in DROPPED_NOTES.items() if mime in given]
    if dropped and set(data) <= {"text/plain"}:
        plain = data.get("text/plain", "")
        data["text/plain"] = f"[a {dropped[0]}: not shown in the feedback page]" + (
            "" if plain.startswith("<IPython.core.display.") else f" {plain}" if plain else "")
    if not data:
        return None
    metadata = {mime: sizes for mime in BASE64_TYPES & set(data) if (sizes := _sizes(output.get("metadata"), mime))}
    if kind == "execute_result":
        return new_output(kind, data=data, metadata=metadata, execution_count=None)
    return new_output(kind, data=data, metadata=metadata)


def _is_base64(text):
    try:
        base64.b64decode("".join(text.split()), validate=True)
        return True
    except (binascii.Error, ValueError):
        return False


def _sizes(metadata, mime):
    """An image's width and height, when they are positive numbers."""
    if not isinstance(metadata, dict):
        return {}
    given = {**metadata, **(metadata.get(mime) if isinstance(metadata.get(mime), dict) else {})}
    return {key: given[key] for key in ("width", "height")
            if isinstance(given.get(key), (int, float)) and not isinstance(given[key], bool) and given[key] > 0}


def _attachments(attachments):
    """A markdown cell's image attachments (shown through data: URLs)."""
    if not isinstance(attachments, dict):
        return {}
    kept = {}
    for name, bundle in attachments.items():
        if isinstance(name, str) and isinstance(bundle, dict):
            images = {mime: _text(data) for mime, data in bundle.items()
                      if mime in ("image/png", "image/jpeg", "image/gif") and _is_base64(_text(data))}
            if images:
                kept[name] = images
    return kept


def _normalised_url(value):
    """A URL as bleach compares it: no whitespace, control or non-ASCII characters, lower case."""
    value = re.sub(r"[`\000-\040\177-\240\s]+", "", html.unescape(value))
    return re.sub(r"[^\x00-\x7f]", "", value).lower()


def _allowed_attribute(tag, name, value):
    if name in COMMON_ATTRIBUTES or name in ATTRIBUTES.get(tag, ()):
        if tag == "img" and name == "src":
            return bool(IMAGE_URL.fullmatch(_normalised_url(value)))
        if name == "href":   # bleach then allows http, https, mailto and relative URLs only
            return not _normalised_url(value).startswith("data:")
        return True
    return False


class _Accessible(Filter):
    """What nbconvert's HTML exporter adds in its last pass (see PageExporter): a default alt text for an
    image without one, and a tabindex for a cell's input and outputs. Run after the sanitiser's own filter."""

    FOCUSABLE = {"jp-Cell-inputWrapper", "jp-OutputArea-output"}

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag"):
                attributes = token["data"]
                if token["name"] == "img" and (None, "alt") not in attributes:
                    attributes[(None, "alt")] = "No description has been provided for this image"
                classes = set(attributes.get((None, "class"), "").split())
                if token["name"] == "div" and classes & self.FOCUSABLE:
                    attributes[(None, "tabindex")] = "0"
            yield token


_CLEANER = bleach.Cleaner(tags=TAGS, attributes=_allowed_attribute, protocols={"http", "https", "mailto", "data"},
                          strip=False, strip_comments=True, css_sanitizer=CSSSanitizer(), filters=[_Accessible])


def sanitise(fragment):
    """An HTML fragment with only allowlisted tags, attributes, CSS and URLs; other tags shown as text.

    <style> elements go first, with their rules (a pandas table brings one): shown as text they
    would only clutter the page, and kept they could restyle all of it."""
    fragment = str(fragment)
    if _STYLE_TAG.search(fragment):   # parsing the whole page for them takes longer than the cleaning
        soup = BeautifulSoup(fragment, "html.parser")
        for style in soup.find_all("style"):
            style.decompose()
        fragment = str(soup)
    return _CLEANER.clean(fragment)


class _Inspector(HTMLParser):
    FORBIDDEN = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "link",
                 "svg", "math", "portal", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.in_head, self.head_elements = [], False, []

    def handle_starttag(self, tag, attrs):
        if self.in_head:
            self.head_elements.append((tag, dict(attrs)))
        if tag == "head":
            self.in_head = True
        if tag in self.FORBIDDEN or (tag in ("meta", "style") and not self.in_head):
            self.found.append(f"a <{tag}> element")
        if tag == "meta" and dict(attrs).get("http-equiv", "").lower() == "refresh":
            self.found.append("a refreshing <meta>")
        for name, value in attrs:
            url = _normalised_url(value or "")
            if name.startswith("on"):
                self.found.append(f"an {name} attribute on <{tag}>")
            elif url.startswith(("javascript:", "vbscript:")) or (name == "src" and not IMAGE_URL.fullmatch(url)):
                self.found.append(f"a {name} URL on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def problems(page_html):
    """What in a page could run script or load anything: [] for a page that is safe to show."""
    inspector = _Inspector()
    inspector.feed(page_html)
    inspector.close()
    first = inspector.head_elements[0] if inspector.head_elements else ("", {})
    if first[0] != "meta" or first[1].get("http-equiv", "").lower() != "content-security-policy" \
            or first[1].get("content") != CSP:
        inspector.found.append("no Content-Security-Policy first in <head>")
    return list(dict.fromkeys(inspector.found))


def policy_meta():
    """The first elements of a page's head: the policy, and no referrer sent for a link followed (the feedback
    pages' and the class report's)."""
    return (f'<meta http-equiv="Content-Security-Policy" content="{html.escape(CSP)}">\n'
            '<meta name="referrer" content="no-referrer">')


def plain_page(title, why):
    """The page shown instead of a notebook that cannot be shown safely, and why."""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n{policy_meta()}\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n</head>\n"
            f"<body>\n<h1>{html.escape(title)}</h1>\n<p>This notebook cannot be shown safely in a page "
            f"({html.escape(why)}); open the graded notebook instead.</p>\n</body>\n</html>\n")
