"""Benchmark of claim extraction: pages/s and MB/s, with baselines measured in the same run.

Two kinds of generated pages (fixed seed, so every run reads the same text):

* ``transplant``: every page is about transplants: sentences from the shipped labelled
  set (Chinese and English) mixed with generated transplant sentences and hospital
  boilerplate, about 6 KB each;
* ``general``: hospital pages with no transplant term at all (departments, visits,
  addresses), the bulk of a general crawl; here the page-level keyword gate decides.

Three extractors run over the same pages:

* ``txaudit``: :func:`txaudit.extract.extract_claims` as shipped;
* ``no-gate``: the same rules with the page and sentence keyword gates switched off
  (every sentence is masked and scanned for numbers), to show what the gates buy;
* ``naive``: what a researcher might write first: split sentences, find every number,
  look for indicator keywords within 20 characters, parse the number; no gate, no
  precompiled combined patterns.

Each figure is the median of several runs (``--runs``) of CPU time, so pages/s and MB/s
are per core. Run:
``python benchmarks/bench_extract.py [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import time
from collections.abc import Callable
from importlib import resources
from typing import Any

from txaudit.extract import extract_claims, parse_number
from txaudit.extract.claims import _sentence_claims
from txaudit.extract.evaluation import LABELLED_RESOURCE
from txaudit.extract.text import Sentence, normalise, split_sentences

SEED = 20151201

_BOILERPLATE_ZH = [
    "医院始建于1952年，是一所集医疗、教学、科研为一体的三级甲等综合医院。",
    "联系电话：0371-66295110，地址：郑州市建设东路1号，邮编450052。",
    "医院年门诊量达120万人次，年出院病人5万余人次。",
    "心内科现有床位120张，CCU床位20张，年完成介入手术3000余台。",
    "医院现有在职职工1800余人，其中高级职称300余人。",
    "医院占地面积12万平方米，建筑面积30万平方米。",
    "欢迎广大患者前来就诊，门诊时间为周一至周五上午8点至下午5点。",
    "儿科病房设有床位60张，新生儿病房床位30张。",
]
_BOILERPLATE_EN = [
    "The hospital was founded in 1952 and is a Grade 3A general hospital.",
    "For appointments, call +86 371 6629 5110 between 8 am and 5 pm.",
    "The hospital receives 1.2 million outpatient visits a year.",
    "The cardiology department has 120 beds and performs 3,000 procedures a year.",
    "The hospital employs 1,800 staff, of whom 300 hold senior titles.",
    "Visiting hours are from 2 pm to 8 pm every day.",
    "The pediatric ward has 40 beds and the neonatal ward 30.",
]
_ORGANS_ZH = ["肾", "肝", "心脏", "肺"]
_ORGANS_EN = ["kidney", "liver", "heart", "lung"]


def _generated_transplant_sentence(rng: random.Random) -> str:
    n = rng.randint(10, 5000)
    year = rng.randint(1995, 2015)
    if rng.random() < 0.5:
        organ = rng.choice(_ORGANS_ZH)
        return rng.choice(
            [
                f"{year}年，我院共完成{organ}移植{n}例。",
                f"自{year}年以来，中心累计完成{organ}移植{n}余例。",
                f"{organ}移植病房开放床位{n % 120 + 10}张，床位使用率超过{n % 60 + 90}%。",
                f"{organ}移植的费用约为人民币{n % 50 + 5}万元。",
            ]
        )
    organ = rng.choice(_ORGANS_EN)
    return rng.choice(
        [
            f"In {year}, the hospital carried out {n:,} {organ} transplants.",
            f"Since {year}, the center has performed more than {n:,} {organ} transplants.",
            f"The {organ} transplant ward has {n % 120 + 10} beds.",
            f"A {organ} transplant costs about {n * 100:,} yuan.",
        ]
    )


def make_pages(count: int, *, transplant: bool, rng: random.Random) -> list[str]:
    """``count`` generated pages, each about 6 KB of UTF-8."""
    path = resources.files("txaudit.extract").joinpath(LABELLED_RESOURCE)
    with path.open(encoding="utf-8") as handle:
        labelled = [json.loads(line)["text"] for line in handle if line.strip()]
    pages = []
    for _ in range(count):
        parts: list[str] = []
        size = 0
        while size < 6000:
            if transplant and rng.random() < 0.5:
                sentence = (
                    rng.choice(labelled)
                    if rng.random() < 0.6
                    else _generated_transplant_sentence(rng)
                )
            else:
                sentence = rng.choice(_BOILERPLATE_ZH + _BOILERPLATE_EN)
            if not transplant and ("移植" in sentence or "transplant" in sentence.lower()):
                continue
            parts.append(sentence)
            size += len(sentence.encode("utf-8")) + 1
        pages.append("\n".join(parts))
    return pages


def extract_without_gates(text: str) -> list[Any]:
    """The shipped rules with the page and sentence gates off (every sentence scanned)."""
    claims: list[Any] = []
    for sentence in split_sentences(text):
        norm = Sentence(sentence.start, sentence.end, normalise(sentence.text))
        claims.extend(_sentence_claims(text, norm, None, None, False, None, None))
    return claims


_NAIVE_NUMBER = r"[0-9][0-9,.]*|[一二两三四五六七八九十百千万亿]+"
_NAIVE_KEYWORDS = {
    "transplants": ["移植", "transplant"],
    "beds": ["床位", "床", "bed"],
    "occupancy": ["使用率", "occupancy"],
    "stay": ["住院日", "length of stay"],
    "waiting": ["等待", "wait"],
    "price": ["费用", "cost", "price"],
    "revenue": ["收入", "revenue"],
    "surgeons": ["医师", "surgeon", "doctor"],
    "staff": ["护士", "staff", "nurse"],
}


def naive_extract(text: str) -> list[tuple[str, Any]]:
    """A first attempt: every number, keywords within 20 characters, parse it."""
    found = []
    for sentence in re.split(r"[。！？!?\n]|\. ", text):
        for match in re.finditer(_NAIVE_NUMBER, sentence):
            window = sentence[max(0, match.start() - 20) : match.end() + 20].lower()
            for name, words in _NAIVE_KEYWORDS.items():
                if any(word in window for word in words):
                    try:
                        found.append((name, parse_number(match.group().strip(",."))))
                    except Exception:  # noqa: BLE001 - a naive script skips what it cannot read
                        pass
                    break
    return found


def _time(function: Callable[[str], Any], pages: list[str], runs: int) -> float:
    # CPU time of this process: the figures are per core, and stay comparable when
    # other work shares the machine (wall time would count their share too)
    timings = []
    for _ in range(runs):
        start = time.process_time()
        for page in pages:
            function(page)
        timings.append(time.process_time() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer pages and runs")
    parser.add_argument("--pages", type=int, default=None)
    parser.add_argument("--runs", type=int, default=None)
    args = parser.parse_args()
    count = args.pages or (40 if args.quick else 200)
    runs = args.runs or (3 if args.quick else 5)
    rng = random.Random(SEED)
    corpora = {
        "transplant": make_pages(count, transplant=True, rng=rng),
        "general": make_pages(count, transplant=False, rng=rng),
    }
    extractors: dict[str, Callable[[str], Any]] = {
        "txaudit": extract_claims,
        "no-gate": extract_without_gates,
        "naive": naive_extract,
    }
    print(f"{count} pages per corpus, median CPU time of {runs} runs (per core)")
    print(f"{'corpus':<11} {'extractor':<9} {'pages/s':>10} {'MB/s':>8} {'vs naive':>9} claims")
    for corpus, pages in corpora.items():
        megabytes = sum(len(p.encode("utf-8")) for p in pages) / 1e6
        seconds = {name: _time(fn, pages, runs) for name, fn in extractors.items()}
        for name, fn in extractors.items():
            sample = pages[:50]
            found = sum(len(fn(page)) for page in sample)
            rate = count / seconds[name]
            ratio = seconds["naive"] / seconds[name]
            print(
                f"{corpus:<11} {name:<9} {rate:>10.0f} {megabytes / seconds[name]:>8.2f} "
                f"{ratio:>8.2f}x {found} in first {len(sample)} pages"
            )


if __name__ == "__main__":
    main()
