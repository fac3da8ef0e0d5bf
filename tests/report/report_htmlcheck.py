"""A small HTML inspector for the report tests (standard library parser only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    section: str | None  # id of the enclosing <section>, if any
    parents: list[str] = field(default_factory=list)  # ids of enclosing elements


class ReportParser(HTMLParser):
    """Collects every element with its attributes, its section and enclosing ids."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "col", "source", "wbr", "area", "base"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.stack: list[tuple[str, str | None]] = []
        self.text_by_section: dict[str, list[str]] = {}
        self.styles: list[str] = []
        self._in_style = False

    def _section(self) -> str | None:
        for tag, ident in reversed(self.stack):
            if tag == "section":
                return ident
        return None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        parents = [i for _, i in self.stack if i]
        self.elements.append(Element(tag, a, self._section(), parents))
        if tag == "style":
            self._in_style = True
        if tag not in self.VOID and not tag.endswith("/"):
            self.stack.append((tag, a.get("id")))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        self.elements.append(Element(tag, a, self._section(), [i for _, i in self.stack if i]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)
        sec = self._section()
        if sec:
            self.text_by_section.setdefault(sec, []).append(data)

    # -- queries ---------------------------------------------------------------------
    def ids(self) -> list[str]:
        return [e.attrs["id"] for e in self.elements if "id" in e.attrs]

    def find(self, tag: str, **attrs: str) -> list[Element]:
        out = []
        for e in self.elements:
            if e.tag != tag:
                continue
            if all(_has(e.attrs.get(k.rstrip("_"), ""), v, k) for k, v in attrs.items()):
                out.append(e)
        return out

    def text(self, section: str) -> str:
        return " ".join("".join(self.text_by_section.get(section, [])).split())


def _has(actual: str, wanted: str, key: str) -> bool:
    if key.startswith("class"):
        return wanted in actual.split()
    return actual == wanted


def parse(html: str) -> ReportParser:
    p = ReportParser()
    p.feed(html)
    p.close()
    return p
