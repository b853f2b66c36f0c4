"""Reading a page the grader wrote as the standard library's HTML parser reads it: what could run script,
and the tables it shows."""

import re
from html.parser import HTMLParser

POLICY = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; script-src 'none'; "
          "object-src 'none'; base-uri 'none'; form-action 'none'")
FRAMES = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "base", "form",
          "link", "noscript", "template"}

class Page(HTMLParser):
    """A page as the standard library's parser reads it: its elements and its text in <body>, each
    with the number of the notebook cell it is in (0 before the first)."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.elements, self.head, self.texts, self._where, self._cell = [], [], [], None, 0
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and "jp-Cell" in (attrs.get("class") or "").split():
            self._cell += 1
        self.elements.append((tag, attrs, self._cell))
        if self._where == "head":
            self.head.append((tag, attrs))
        if tag in ("head", "body"):
            self._where = tag

    def handle_endtag(self, tag):
        if tag in ("head", "body"):
            self._where = None

    def handle_data(self, data):
        if self._where == "body":
            self.texts.append((data, self._cell))

    @property
    def text(self):
        return "".join(data for data, _ in self.texts)

    def find(self, tag, cell=None):
        return [attrs for name, attrs, at in self.elements if name == tag and cell in (None, at)]

    def cell_showing(self, text):
        """The number of the first cell whose text holds `text`."""
        cells = {}
        for data, cell in self.texts:
            cells[cell] = cells.get(cell, "") + data
        return next(cell for cell, shown in sorted(cells.items()) if text in shown)


class Tables(HTMLParser):
    """The page's tables as the browser reads them: rows of cell texts, the header row first."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tables, self._cell = [], None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.tables[-1][-1].append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def starting(self, *headers):
        """The rows (header left out) of every table whose header row starts with `headers`."""
        return [table[1:] for table in self.tables if tuple(table[0][:len(headers)]) == headers]


def unsafe(page):
    """What in a parsed page could run script or load something: a list of findings, [] when none."""
    found = [f"<{tag}>" for tag, _, _ in page.elements if tag in FRAMES]
    for tag, attrs, _ in page.elements:
        for name, value in attrs.items():
            url = re.sub(r"[\x00-\x20\x7f-\xa0]+", "", value or "").lower()
            if name.startswith("on"):
                found.append(f"{name}= on <{tag}>")
            if "javascript:" in url or "vbscript:" in url:
                found.append(f"a script URL in {name}= of <{tag}>")
            if name == "src" and not url.startswith("data:image/"):
                found.append(f"src={value!r} on <{tag}>")
            if name == "href" and url.startswith("data:"):
                found.append(f"a data: link on <{tag}>")
    return found


def has_the_policy_first(page):
    tag, attrs = page.head[0]
    return tag == "meta" and attrs.get("http-equiv", "").lower() == "content-security-policy" \
        and attrs.get("content") == POLICY
