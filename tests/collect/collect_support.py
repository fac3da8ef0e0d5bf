"""Helpers shared by the collect tests (imported by name: tests/collect is on sys.path).

Sample pages in several encodings, hand-built PDFs and a decompression bomb, a local
HTTP server, and a function that reads a path with the collect readers.
"""

from __future__ import annotations

import threading
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from txaudit.collect import Limits, Prefilter, ReadOptions, plan_units, read_unit
from txaudit.collect.warc import Item

DATA = Path(__file__).parent / "data"
WARC_CORPUS = DATA / "warc"

#: A page in UTF-8 about kidney transplants (claims the extractor should find).
UTF8_PAGE = (
    "<html><head><meta charset='utf-8'><title>肾移植中心</title></head><body>"
    "<div class='nav'>首页 | 科室介绍 | 联系我们</div>"
    "<p>本院肾移植中心成立于1998年，至今已完成肾移植手术3000余例，2005年完成肾移植218例。</p>"
    "<p>移植病区现有床位60张。</p></body></html>"
)

#: Declared GB2312 but containing 镕 (U+9555), which only GBK/GB18030 can encode:
#: strict GB2312 decoding fails, so the reader must widen to GB18030.
GBK_TEXT = "朱镕基视察本院器官移植中心，该中心2004年完成肝移植120例。"
GBK_PAGE = (
    "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'>"
    f"<title>器官移植</title></head><body><p>{GBK_TEXT}</p></body></html>"
).encode("gb18030")

BIG5_TEXT = "本院腎臟移植中心累計完成腎移植手術逾千例。"
BIG5_PAGE = (f"<html><head><meta charset='big5'></head><body><p>{BIG5_TEXT}</p></body></html>"
             ).encode("big5")

IRRELEVANT_PAGE = "<html><body><p>Opening hours of the dental clinic: 8:00-17:00.</p></body></html>"

ENGLISH_PAGE = (
    "<html><head><title>Transplant centre</title></head><body>"
    "<p>The hospital performed 2,000 kidney transplants in 2005.</p></body></html>"
)


def _pdf_escape(text: str) -> bytes:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")


def make_pdf(pages: list[str | bytes | None], *, compress: bool = True) -> bytes:
    """A small valid PDF with one page per entry, written by hand (Helvetica text).

    A ``str`` page shows that text; ``None`` gives a page with no text at all (as a
    scanned page would be); ``bytes`` are used as the page's already-deflated
    content stream (for decompression-bomb tests).
    """
    objects: list[bytes] = []
    page_ids = []
    font_id = 3
    objects.append(b"")  # 1: catalog, filled below
    objects.append(b"")  # 2: pages
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for page in pages:
        if isinstance(page, bytes):
            stream, filt = page, b" /Filter /FlateDecode"
        else:
            content = b"" if page is None else (
                b"BT /F1 12 Tf 72 720 Td (" + _pdf_escape(page) + b") Tj ET")
            stream, filt = (zlib.compress(content), b" /Filter /FlateDecode") if compress \
                else (content, b"")
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(stream), filt) + stream
                       + b"\nendstream")
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (content_id, font_id)
        )
        page_ids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def deflate_bomb(inflated_bytes: int) -> bytes:
    """A zlib stream of ``inflated_bytes`` spaces: about 1,000 times smaller than its output."""
    packer = zlib.compressobj(9)
    block = b" " * (1 << 20)
    parts = []
    remaining = inflated_bytes
    while remaining > 0:
        n = min(remaining, len(block))
        parts.append(packer.compress(block[:n]))
        remaining -= n
    parts.append(packer.flush())
    return b"".join(parts)


@dataclass
class Route:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class LocalServer:
    """An HTTP server on 127.0.0.1 in a thread, serving fixed routes (plus a CDX endpoint)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                server.requests.append(self.path)
                route = server.routes.get(self.path)
                if route is None:
                    route = server.routes.get(self.path.split("?")[0])
                if route is None:
                    route = Route(404, b"not found", {"Content-Type": "text/plain"})
                self.send_response(route.status)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, format: str, *args: Any) -> None:
                del format, args

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def add(self, path: str, body: bytes | str, content_type: str, status: int = 200,
            **headers: str) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(status, data, {"Content-Type": content_type, **headers})
        return self.base + path




def read_all(path: Path, *, prefilter: Prefilter | None = None,
             limits: Limits | None = None) -> list[Item]:
    """Every item the readers produce for ``path`` (prefilter off unless given)."""
    options = ReadOptions(prefilter or Prefilter.disabled(), limits or Limits())
    return [item for unit in plan_units([path]) for item in read_unit(unit, options)]
