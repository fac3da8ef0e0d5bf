"""Benchmark collection throughput against zcat and a straightforward warcio script.

Generates a gzipped WARC (one gzip member per record, as crawlers write them) of
mixed HTML pages, 1% of them about transplants (Chinese and English), then times:

* ``zcat FILE > /dev/null``: decompression alone, the bound no reader can beat;
* a straightforward script (warcio + lxml HTML parsing + a regex), what a
  researcher would write first;
* the collect library reading and prefiltering every record (none kept);
* the collect library with text and claim extraction, results discarded
  (1 and 2 workers): the collection pipeline without the store;
* ``txaudit collect FILE`` with claim extraction into a fresh SQLite store,
  with one worker and with ``--workers 2`` (includes interpreter start-up).

"MB/s per core" is compressed input MB per CPU-second summed over all processes
of a run, which stays meaningful when other jobs share the cores; wall-clock
MB/s and the wall-clock speed-up of 2 workers are printed too. Each timing is
repeated and the median printed, with ratios against zcat and against the
straightforward script measured in the same run. A second, smaller WARC whose
pages are all about transplants gives extraction speed in pages per second.

Usage: python benchmarks/bench_collect.py [--quick] [--size-mb N] [--repeat K]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

NAIVE_SCRIPT = r'''
import re, sys
import lxml.html
from warcio.archiveiterator import ArchiveIterator

pattern = re.compile(
    r"(肾|肝|心|肺)?移植[^。]{0,30}?(\d[\d,]*)\s*(例|台)"
    r"|(\d[\d,]*)\s+(kidney|liver|heart)? ?transplants", re.I)
hits = 0
with open(sys.argv[1], "rb") as f:
    for record in ArchiveIterator(f):
        if record.rec_type != "response":
            continue
        body = record.content_stream().read()
        try:
            text = lxml.html.fromstring(body).text_content()
        except Exception:
            continue
        hits += len(pattern.findall(text))
print(hits)
'''

WORDS_EN = ("the hospital department clinic patients service outpatient quality care "
            "medical doctors nurses research education emergency surgery pharmacy "
            "laboratory imaging appointment insurance visit health community training").split()
WORDS_ZH = list("医院科室门诊患者服务质量护理医生护士研究教育急诊手术药房检验影像预约"
                "保险健康社区培训本院始建于年占地面积平方米建筑开放病床职工人其中高级职称博士硕士")

TRANSPLANT_ZH = ("本院器官移植中心成立于{y0}年，至今已累计完成肾移植手术{n1}余例，"
                 "{y1}年完成肝移植{n2}例，移植病区现有床位{b}张，床位使用率达{p}%。")
TRANSPLANT_EN = ("The transplant centre has performed more than {n1} kidney transplants since "
                 "{y0}. In {y1} it performed {n2} liver transplants and has {b} transplant beds.")


def _paragraph(rng: random.Random, zh: bool) -> str:
    if zh:
        return "".join(rng.choice(WORDS_ZH) for _ in range(rng.randint(80, 300))) + "。"
    return " ".join(rng.choice(WORDS_EN) for _ in range(rng.randint(40, 160))) + "."


def _page(rng: random.Random, paragraphs: list[str], i: int, transplant: bool) -> bytes:
    zh = i % 3 != 0
    body = [f"<p>{rng.choice(paragraphs)} {i}</p>" for _ in range(rng.randint(8, 40))]
    if transplant:
        template = TRANSPLANT_ZH if zh else TRANSPLANT_EN
        body.insert(len(body) // 2, "<p>" + template.format(
            y0=rng.randint(1978, 2000), y1=rng.randint(2001, 2015), n1=rng.randint(500, 9000),
            n2=rng.randint(20, 900), b=rng.randint(20, 200), p=rng.randint(80, 140)) + "</p>")
    nav = "".join(f"<li><a href='/section/{k}'>section {k}</a></li>" for k in range(20))
    html = (f"<!DOCTYPE html><html><head><meta charset='{'gbk' if zh and i % 2 else 'utf-8'}'>"
            f"<title>page {i}</title></head><body><ul class='nav'>{nav}</ul>"
            f"<div class='content'>{''.join(body)}</div><div class='footer'>footer {i}</div>"
            "</body></html>")
    return html.encode("gb18030" if zh and i % 2 else "utf-8")


def _record(url: str, body: bytes) -> bytes:
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n"
            % len(body)) + body
    date = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
            f"WARC-Date: {date}\r\nWARC-Target-URI: {url}\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def _request(url: str) -> bytes:
    req = f"GET {url.split('/', 3)[-1]} HTTP/1.1\r\nHost: bench.example\r\n\r\n".encode()
    head = (f"WARC/1.0\r\nWARC-Type: request\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
            f"WARC-Target-URI: {url}\r\nContent-Type: application/http; msgtype=request\r\n"
            f"Content-Length: {len(req)}\r\n\r\n").encode()
    return head + req + b"\r\n\r\n"


def generate(path: Path, size_bytes: int, *, transplant_share: float, seed: int = 1) -> int:
    """Write a per-record gzip WARC of about ``size_bytes``; returns the number of pages."""
    rng = random.Random(seed)
    paragraphs = [_paragraph(rng, zh=k % 3 != 0) for k in range(600)]
    pages = 0
    with path.open("wb") as f:
        while f.tell() < size_bytes:
            url = f"http://bench.example/p/{pages}.html"
            transplant = rng.random() < transplant_share
            f.write(gzip.compress(_record(url, _page(rng, paragraphs, pages, transplant)), 6))
            f.write(gzip.compress(_request(url), 6))
            pages += 1
    return pages


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _time(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (all processes) and stdout of ``cmd``."""
    cpu, start = _cpu(), time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, check=False)
    elapsed, used = time.perf_counter() - start, _cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr.decode()[-2000:]}")
    return elapsed, used, done.stdout.decode()


def _chunk_bytes(warc: Path) -> int:
    """Byte range per task: an eighth of the file (at least 1 MiB), so 2 workers share it."""
    return max(1 << 20, warc.stat().st_size // 8)


def _collect_cmd(warc: Path, db: Path, workers: int) -> list[str]:
    return [sys.executable, "-m", "txaudit", "collect", str(warc), "--db", str(db),
            "--no-checkpoint", "--no-progress", "--json", "--workers", str(workers),
            "--chunk-mb", f"{_chunk_bytes(warc) / (1 << 20):.3f}", "--actor", "bench"]


class NullSink:
    """Discards results: measures reading, filtering, text and extraction without the store."""

    def write(self, result: object) -> tuple[int, int]:
        return 0, 0

    def flush(self) -> int:
        return 0


def _in_process(warc: Path, workers: int, **options: object) -> tuple[float, float, str]:
    """Wall and CPU seconds of the library collecting ``warc`` into a discarding sink."""
    from txaudit.collect import CollectOptions, collect

    cpu, start = _cpu(), time.perf_counter()
    summary = collect([warc], NullSink(), CollectOptions(
        workers=workers, chunk_bytes=_chunk_bytes(warc), **options))  # type: ignore[arg-type]
    return time.perf_counter() - start, _cpu() - cpu, json.dumps(summary.as_dict())


def _fresh_store(folder: Path, name: str) -> Path:
    from txaudit.evidence import init_store

    db = folder / f"{name}-{uuid.uuid4().hex[:6]}.db"
    init_store(db, load_bundled=False).close()
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=1024.0,
                        help="Compressed size of the mixed WARC (default 1024 MB).")
    parser.add_argument("--quick", action="store_true", help="64 MB, one repeat.")
    parser.add_argument("--repeat", type=int, default=3, help="Timings per measurement.")
    parser.add_argument("--transplant-pages", type=int, default=1000,
                        help="Pages in the all-transplant WARC for pages/s.")
    parser.add_argument("--keep", type=Path, default=None, help="Folder to keep files in.")
    args = parser.parse_args()
    if args.quick:
        args.size_mb, args.repeat, args.transplant_pages = 64.0, 1, 300

    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-collect-"))
    folder.mkdir(parents=True, exist_ok=True)
    warc = folder / "mixed.warc.gz"
    started = time.perf_counter()
    pages = generate(warc, int(args.size_mb * 1e6), transplant_share=0.01)
    mb = warc.stat().st_size / 1e6
    print(f"generated {warc} ({mb:.0f} MB, {pages} pages, 1% about transplants) "
          f"in {time.perf_counter() - started:.0f} s")
    script = folder / "naive.py"
    script.write_text(NAIVE_SCRIPT, encoding="utf-8")

    from txaudit.collect import Prefilter

    nothing = Prefilter.from_terms(["\u2603\u2603 no page has this"])
    runs: dict[str, object] = {
        "zcat > /dev/null": lambda: _time(["sh", "-c", f"zcat '{warc}' > /dev/null"]),
        "warcio + lxml + regex": lambda: _time([sys.executable, str(script), str(warc)]),
        "read + prefilter scan": lambda: _in_process(warc, 1, extract=False, prefilter=nothing),
        "collect, no store writes": lambda: _in_process(warc, 1),
        "  same, 2 workers": lambda: _in_process(warc, 2),
        "txaudit collect (CLI)": lambda: _time(_collect_cmd(warc, _fresh_store(folder, "w1"), 1)),
        "  same, --workers 2": lambda: _time(_collect_cmd(warc, _fresh_store(folder, "w2"), 2)),
    }
    walls: dict[str, list[float]] = {k: [] for k in runs}
    cpus: dict[str, list[float]] = {k: [] for k in runs}
    outputs: dict[str, str] = {}
    for _ in range(args.repeat):
        for name, run in runs.items():
            wall, cpu, out = run()  # type: ignore[operator]
            walls[name].append(wall)
            cpus[name].append(cpu)
            outputs[name] = out

    wall = {k: statistics.median(v) for k, v in walls.items()}
    cpu = {k: statistics.median(v) for k, v in cpus.items()}
    per_cpu = {k: mb / v for k, v in cpu.items()}
    base, naive = per_cpu["zcat > /dev/null"], per_cpu["warcio + lxml + regex"]
    print(f"\ncores: {os.cpu_count()}, load average now {os.getloadavg()[0]:.1f}; "
          f"repeats: {args.repeat} (medians)")
    print("MB/s per core = compressed MB per CPU-second of all processes (robust on a shared "
          "machine);\nCLI rows include interpreter and CLI start-up and the SQLite store writes.")
    print(f"{'reader':<28}{'wall s':>8}{'MB/s':>8}{'CPU s':>8}{'MB/s/core':>11}"
          f"{'x zcat':>8}{'x naive':>9}")
    for name in runs:
        print(f"{name:<28}{wall[name]:>8.2f}{mb / wall[name]:>8.1f}{cpu[name]:>8.2f}"
              f"{per_cpu[name]:>11.1f}{per_cpu[name] / base:>8.2f}{per_cpu[name] / naive:>9.2f}")
    print(f"speed-up (wall) with 2 workers: library "
          f"{wall['collect, no store writes'] / wall['  same, 2 workers']:.2f}x, CLI "
          f"{wall['txaudit collect (CLI)'] / wall['  same, --workers 2']:.2f}x")
    print("collect summary (CLI, 1 worker):", outputs["txaudit collect (CLI)"].strip())

    all_tx = folder / "transplant.warc.gz"
    rng_pages = args.transplant_pages
    _write_all_transplant(all_tx, rng_pages)
    tx_times = []
    tx_summary: dict[str, object] = {}
    for _ in range(args.repeat):
        seconds, _, out = _time(_collect_cmd(all_tx, _fresh_store(folder, "tx"), 1))
        tx_times.append(seconds)
        tx_summary = json.loads(out)
    nostore = statistics.median(
        _in_process(all_tx, 1)[0] for _ in range(args.repeat))
    print(f"\nall-transplant pages: {rng_pages} pages, median {statistics.median(tx_times):.2f} s "
          f"= {rng_pages / statistics.median(tx_times):.0f} pages/s (collect + extract + store), "
          f"claims found {tx_summary.get('claims_found')}; without store writes "
          f"{rng_pages / nostore:.0f} pages/s")


def _write_all_transplant(path: Path, pages: int) -> None:
    rng = random.Random(2)
    paragraphs = [_paragraph(rng, zh=k % 3 != 0) for k in range(200)]
    with path.open("wb") as f:
        for i in range(pages):
            url = f"http://bench.example/t/{i}.html"
            f.write(gzip.compress(_record(url, _page(rng, paragraphs, i, True)), 6))


if __name__ == "__main__":
    main()
