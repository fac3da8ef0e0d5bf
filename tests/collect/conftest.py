"""Fixtures for the collect tests: a local HTTP server with sample pages, a SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from collect_support import (
    BIG5_PAGE,
    ENGLISH_PAGE,
    GBK_PAGE,
    IRRELEVANT_PAGE,
    UTF8_PAGE,
    LocalServer,
    make_pdf,
)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A running local HTTP server; routes are added by each test."""
    srv = LocalServer()
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()


@pytest.fixture
def site(server: LocalServer) -> LocalServer:
    """The local server with UTF-8, GBK, Big5, English and irrelevant pages and a PDF."""
    server.add("/utf8.html", UTF8_PAGE, "text/html; charset=utf-8")
    server.add("/gbk.html", GBK_PAGE, "text/html")
    server.add("/big5.html", BIG5_PAGE, "text/html")
    server.add("/en.html", ENGLISH_PAGE, "text/html")
    server.add("/dental.html", IRRELEVANT_PAGE, "text/html")
    server.add(
        "/report.pdf",
        make_pdf(["Annual report", "In 2005 the hospital performed 2,000 kidney transplants.",
                  None]),
        "application/pdf",
    )
    server.add("/", "<html><body>"
               + "".join(f"<a href='/{p}'>{p}</a>" for p in
                         ("utf8.html", "gbk.html", "big5.html", "en.html", "dental.html",
                          "report.pdf"))
               + "</body></html>", "text/html")
    return server


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Any]:
    """An empty SQLite store in a temporary folder."""
    from txaudit.evidence import init_store

    store = init_store(tmp_path / "collect.db", load_bundled=False)
    try:
        yield store
    finally:
        store.close()
