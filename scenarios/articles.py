"""The source articles that the scenario library quotes: who published them, what and when.

Scenario ``sources`` name an article by its file (``003_cb3be27c97f79b91.txt``); the articles
themselves are not shipped (they are the project's source set, ``shared/seeds/``). What is
shipped is ``_sources.yaml``, the index of those files: for each its outlet, title and date (as
the source set records them), and a digest of every quote that was verified against the
article's text. So everywhere a source is shown it can be named properly::

    >>> describe_article("000_ad685fa40efd0d6c.txt")
    'Al-Monitor, “Intel: Turkey says S-400 stance unchanged despite US pressure”, March 2020'
    >>> describe_article("002_b58e59203b67adca.txt")
    '“US again warns Turkey on Russian missiles at NATO”, April 2018 (outlet not named)'

and a quote can be checked on any machine: a quote that is edited no longer has a verified
digest. The digests are written, from the articles, by ``python -m negsim.scenarios.articles
--write SEEDS_FOLDER``, which refuses any quote that is not verbatim in its article; the tests
verify them against the articles again wherever the articles are present.

The digest of a quote is the first 16 hex digits of the SHA-256 of its normalised text (runs of
white space as one space, no leading or trailing space); an article's digest is that of its
whole normalised text, so a different copy of an article is noticed.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import yaml

__all__ = [
    "Article",
    "article",
    "articles",
    "describe_article",
    "digest",
    "library_quotes",
    "normalised",
    "verified_index",
    "write_digests",
]

INDEX = "_sources.yaml"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


@dataclass(frozen=True)
class Article:
    """One source article: its file name, title, outlet and date (``YYYY`` or ``YYYY-MM``).

    ``outlet`` is ``None`` when the article does not name it. ``quotes`` holds the digests of
    the quotes verified against the article, ``text_digest`` the digest of the article itself.
    """

    file: str
    title: str
    outlet: str | None
    date: str | None
    url: str | None
    text_digest: str
    quotes: frozenset[str]

    @property
    def when(self) -> str:
        """``November 2025``, ``2018``, or ``""``."""
        if not self.date:
            return ""
        year, _, month = self.date.partition("-")
        return f"{_MONTHS[int(month) - 1]} {year}" if month else year

    def describe(self) -> str:
        """Outlet, title and date in one line, as sources are cited."""
        parts = [f"{self.outlet}, " if self.outlet else "", f"\u201c{self.title}\u201d"]
        if self.when:
            parts.append(f", {self.when}")
        if not self.outlet:
            parts.append(" (outlet not named)")
        if self.url:
            parts.append(f", {self.url}")
        return "".join(parts)


def normalised(text: str) -> str:
    """White space as in a quote's comparison with its article: runs as one space, trimmed."""
    return re.sub(r"\s+", " ", text).strip()


def digest(text: str) -> str:
    """The digest of a quote (or an article): 16 hex digits of SHA-256 of the normalised text."""
    return hashlib.sha256(normalised(text).encode("utf-8")).hexdigest()[:16]


@functools.cache
def articles() -> Mapping[str, Article]:
    """Every article of the shipped index, by file name."""
    raw = yaml.safe_load(files(__package__ or "negsim.scenarios").joinpath(INDEX).read_text(
        encoding="utf-8"))
    return {
        entry["file"]: Article(
            file=entry["file"],
            title=entry["title"],
            outlet=entry.get("outlet"),
            date=entry.get("date"),
            url=entry.get("url"),
            text_digest=entry["text_digest"],
            quotes=frozenset(entry.get("quotes") or ()),
        )
        for entry in raw["articles"]
    }


def article(file: str | None) -> Article | None:
    """The article of a source's ``file``, or ``None`` for a file the index does not know."""
    return articles().get(file) if file else None


def describe_article(file: str | None) -> str:
    """How to name a source file when it is shown: outlet, title and date, or the file name."""
    found = article(file)
    if found is None:
        return file or ""
    return found.describe()


# -- keeping the index in step with the library and the articles ----------------------------------


def _quoted(node: object) -> Iterator[Mapping[str, str]]:
    if isinstance(node, dict):
        if "quote" in node and "file" in node:
            yield node
        for value in node.values():
            yield from _quoted(value)
    elif isinstance(node, list):
        for value in node:
            yield from _quoted(value)


def library_quotes() -> dict[str, set[str]]:
    """The normalised quotes of the built-in scenario files, by article file."""
    found: dict[str, set[str]] = {}
    root = files(__package__ or "negsim.scenarios")
    stack = [root]
    while stack:
        folder = stack.pop()
        for entry in folder.iterdir():
            if entry.name.startswith((".", "_")):
                continue
            if entry.is_dir():
                stack.append(entry)
            elif entry.name.endswith((".yaml", ".yml")):
                for source in _quoted(yaml.safe_load(entry.read_text(encoding="utf-8"))):
                    found.setdefault(source["file"], set()).add(normalised(source["quote"]))
    return found


def verified_index(seeds: Path) -> tuple[dict[str, tuple[str, list[str]]], list[str]]:
    """From the articles in ``seeds``: each cited file's text digest and sorted quote digests,
    and a problem line for every quote that is not verbatim in its article."""
    result: dict[str, tuple[str, list[str]]] = {}
    problems = []
    for file, quotes in sorted(library_quotes().items()):
        path = seeds / file
        if not path.is_file():
            problems.append(f"{file}: no such article in {seeds}")
            continue
        text = normalised(path.read_text(encoding="utf-8"))
        for quote in sorted(quotes):
            if quote not in text:
                problems.append(f"{file}: not verbatim in the article: {quote!r}")
        result[file] = (digest(text), sorted(digest(q) for q in quotes if q in text))
    return result, problems


def write_digests(seeds: Path, path: Path | None = None) -> int:
    """Rewrite the digests of ``_sources.yaml`` (or ``path``) from the articles in ``seeds``;
    titles, outlets and dates stay. Returns 2, writing nothing, if a quote is not verbatim."""
    path = path or Path(__file__).with_name(INDEX)
    index, problems = verified_index(seeds)
    if problems:
        sys.stderr.write("\n".join(problems) + "\n")
        return 2
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    file = None
    skipping = False
    for line in lines:
        match = re.match(r"  - file: (\S+)$", line)
        if match:
            file = match.group(1)
        if skipping and line.startswith("      - "):
            continue
        skipping = False
        if file in index and line.startswith("    text_digest: "):
            out.append(f"    text_digest: {index[file][0]}")
            continue
        if file in index and line.startswith("    quotes:"):
            out.append("    quotes:")
            out.extend(f"      - {d}" for d in index[file][1])
            skipping = True
            continue
        out.append(line)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "--write":
        sys.stderr.write("usage: python -m negsim.scenarios.articles --write SEEDS_FOLDER\n")
        sys.exit(2)
    sys.exit(write_digests(Path(sys.argv[2])))
