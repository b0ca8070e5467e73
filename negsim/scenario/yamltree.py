"""YAML text to plain data, remembering where every key and value came from.

The scenario loader needs three things that ``yaml.safe_load`` does not give: the line and
column of every key and value (for error messages), refusal of hostile input before it costs
time or memory, and plain data that a schema can check. So this module reads the parser's
event stream itself (libyaml's when available) and builds dicts, lists and scalars directly;
no YAML constructor ever runs, so no tag can create an object.

The limits are negsim's own, whatever the YAML library does. libyaml looks ahead over a
line of opening brackets before it reports any of them (and refuses nesting beyond its own
limit there, in its own words), so when the fast parser fails the text is read again by the
pure-Python parser with the nesting limit built into its scanner: a file nested too deeply is
refused with negsim's message at the first bracket too many, with or without libyaml and
whether or not the library has a limit of its own.

Scalars follow the YAML 1.2 core schema: ``true``/``false`` are booleans, ``null``/``~``/empty
are null, decimal integers and floats are numbers, everything else is text (so ``no``, ``on``
and ``2025-11`` stay text, unlike YAML 1.1). Mapping keys are always text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

__all__ = [
    "MAX_ALIAS_EXPANSION",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NUMBER_DIGITS",
    "Mark",
    "Marks",
    "Path",
    "Scalar",
    "Tree",
    "TreeProblem",
    "read_tree",
]

#: Largest scenario file read, in bytes (a large library scenario is about 30 kB).
MAX_FILE_BYTES = 1_000_000
#: Deepest nesting of mappings and lists (a five-player matrix needs eight levels).
MAX_DEPTH = 40
#: Most values a document may hold once aliases are expanded: stops "billion laughs" bombs.
MAX_ALIAS_EXPANSION = 100_000
#: Longest run of digits in a number; longer ones are refused before conversion.
MAX_NUMBER_DIGITS = 40

Path = tuple[str | int, ...]

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "!",  # the non-specific tag of a quoted scalar
}
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


@dataclass(frozen=True)
class Mark:
    """A position in a file: 1-based line and column."""

    file: str
    line: int
    column: int


@dataclass(frozen=True)
class Scalar:
    """Where a text value stands in its file, to find any character of it again.

    ``source`` is the whole file's text (shared, not copied); ``start`` and ``end`` are the
    parser's 0-based ``(line, column)`` of the value; ``style`` is YAML's (``""`` plain, ``'``
    or ``"`` quoted, ``|`` literal, ``>`` folded).
    """

    file: str
    source: str
    value: str
    start: tuple[int, int]
    end: tuple[int, int]
    style: str

    def position(self, offset: int) -> Mark | None:
        """The file position of ``value[offset]``, or ``None`` when it cannot be told.

        A folded or multi-line value is joined by the parser (line breaks become spaces or
        newlines, indentation goes); every other character stands in the file in the same
        order, so each is found by searching forward from the previous one. Escapes of
        double-quoted text may break that; then the answer is ``None`` rather than a guess.
        """
        if not 0 <= offset < len(self.value):
            return None
        begin = _index(self.source, *self.start)
        end = _index(self.source, *self.end)
        if self.style in ("|", ">"):
            newline = self.source.find("\n", begin, end)
            if newline < 0:
                return None
            begin = newline + 1  # the content starts below the indicator line
        elif self.style in ("'", '"'):
            begin += 1
        p = begin
        for i, char in enumerate(self.value[: offset + 1]):
            if char.isspace():
                continue
            q = self.source.find(char, p, end)
            if q < 0:
                return None
            if i == offset:
                return _mark_at(self.file, self.source, q)
            p = q + 1
        # The offset points at blank space: the next character that is not blank.
        while p < end and self.source[p].isspace():
            p += 1
        return _mark_at(self.file, self.source, p) if p < end else None


def _index(source: str, line: int, column: int) -> int:
    """Index in ``source`` of a 0-based line and column."""
    start = 0
    for _ in range(line):
        start = source.find("\n", start) + 1
        if start == 0:
            return len(source)
    return start + column


def _mark_at(file: str, source: str, index: int) -> Mark:
    line = source.count("\n", 0, index) + 1
    column = index - (source.rfind("\n", 0, index) + 1) + 1
    return Mark(file, line, column)


@dataclass
class Marks:
    """Where each value (and each mapping key) of a document starts.

    ``values[path]`` is the position of the value at ``path``; ``keys[path]`` the position of
    the key that introduces it. Values inside an expanded alias have no entry of their own;
    :meth:`value` then falls back to the nearest enclosing value. ``scalars[path]`` records
    each text value's place, so that :meth:`position` can point at any character of it (a
    mistake inside a payoff expression written over several lines).
    """

    values: dict[Path, Mark] = field(default_factory=dict)
    keys: dict[Path, Mark] = field(default_factory=dict)
    scalars: dict[Path, Scalar] = field(default_factory=dict)

    def value(self, path: Path) -> Mark | None:
        for end in range(len(path), -1, -1):
            mark = self.values.get(path[:end])
            if mark is not None:
                return mark
        return None

    def key(self, path: Path) -> Mark | None:
        return self.keys.get(path) or self.value(path)

    def position(self, path: Path, offset: int) -> Mark | None:
        """Where character ``offset`` of the text value at ``path`` is in its file."""
        scalar = self.scalars.get(path)
        return scalar.position(offset) if scalar is not None else None

    def update(self, other: Marks) -> None:
        self.values.update(other.values)
        self.keys.update(other.keys)
        self.scalars.update(other.scalars)


@dataclass(frozen=True)
class TreeProblem:
    """A problem found while reading YAML: where, and what."""

    message: str
    mark: Mark | None
    path: Path = ()


@dataclass
class Tree:
    """One YAML document as plain data plus the positions of its parts."""

    data: object
    marks: Marks
    file: str


class _Refused(Exception):
    """Stop reading: the rest of the document cannot be trusted or would cost too much."""


def read_tree(text: str, file: str) -> tuple[Tree | None, list[TreeProblem]]:
    """Parse one YAML document; on problems return ``None`` and every problem found."""
    if len(text) > MAX_FILE_BYTES:
        return None, [
            TreeProblem(f"file too large ({len(text)} characters; at most {MAX_FILE_BYTES})", None)
        ]
    tree, problems, failed = _read(text, file, _FAST_LOADER)
    if failed and _FAST_LOADER is not _GUARDED_LOADER:
        # The fast parser may have refused the text for a reason of its own (its own nesting
        # limit, met while it looked ahead): read it again with negsim's limits in the scanner.
        # If the careful reading also finds the YAML broken, the first message stands.
        again, again_problems, again_failed = _read(text, file, _GUARDED_LOADER)
        if not again_failed:
            return again, again_problems
    return tree, problems


def _read(text: str, file: str, loader: type) -> tuple[Tree | None, list[TreeProblem], bool]:
    """One reading; the flag says the parser itself found the YAML invalid."""
    problems: list[TreeProblem] = []
    builder = _Builder(file, problems, text)
    try:
        data = builder.build(iter(yaml.parse(text, Loader=loader)))
    except _Refused:
        return None, problems, False
    except _TooDeep as exc:
        problems.append(TreeProblem(_TOO_DEEP, _mark(file, exc.mark)))
        return None, problems, False
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _mark(file, mark) if mark is not None else None
        problems.append(TreeProblem(f"not valid YAML: {exc.problem or exc.context}", where))
        return None, problems, True
    except yaml.YAMLError as exc:
        problems.append(TreeProblem(f"not valid YAML: {exc}", None))
        return None, problems, True
    if problems:
        return None, problems, False
    return Tree(data, builder.marks, file), [], False


_TOO_DEEP = f"nested too deeply (at most {MAX_DEPTH} levels)"


class _TooDeep(Exception):
    """Raised by the guarded scanner at the opening of one level too many."""

    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__(_TOO_DEEP)
        self.mark = mark


class _GuardedLoader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML has no types
    """PyYAML's pure-Python parser with negsim's nesting limit inside its scanner.

    The scanner looks ahead over opening brackets before the parser reports any of them, so
    the limit has to stand where a level opens: at ``[`` or ``{`` (``flow_level``) and where a
    block mapping or list begins (``indents``).
    """

    def _open_levels(self) -> int:
        return int(self.flow_level) + len(self.indents)

    def fetch_flow_collection_start(self, TokenClass: type) -> None:  # noqa: N803 (PyYAML's name)
        if self._open_levels() >= MAX_DEPTH:
            raise _TooDeep(self.get_mark())
        super().fetch_flow_collection_start(TokenClass)

    def add_indent(self, column: int) -> bool:
        if self.indent < column and self._open_levels() >= MAX_DEPTH:
            raise _TooDeep(self.get_mark())
        return bool(super().add_indent(column))


# The guarded scanner relies on these two methods of PyYAML's scanner: a release without them
# should fail here, loudly, rather than lose the limit silently.
if not all(callable(getattr(yaml.SafeLoader, name, None))
           for name in ("fetch_flow_collection_start", "add_indent")):
    raise ImportError("this PyYAML's scanner lacks fetch_flow_collection_start or add_indent")

_GUARDED_LOADER: type = _GuardedLoader
_FAST_LOADER: type = getattr(yaml, "CSafeLoader", _GuardedLoader)


def _mark(file: str, mark: yaml.Mark) -> Mark:
    return Mark(file, mark.line + 1, mark.column + 1)


class _Builder:
    """Builds plain data from parser events, enforcing the limits as it goes."""

    def __init__(self, file: str, problems: list[TreeProblem], source: str) -> None:
        self.file = file
        self.source = source
        self.problems = problems
        self.marks = Marks()
        self.anchors: dict[str, tuple[object, int]] = {}
        self.open_anchors: set[str] = set()
        self.count = 0

    def fail(self, message: str, event: yaml.Event, path: Path) -> None:
        self.problems.append(TreeProblem(message, _mark(self.file, event.start_mark), path))

    def build(self, events: Iterator[yaml.Event]) -> object:
        documents = 0
        data: object = None
        # One stack frame per open collection: [container, path, anchor, size, pending key,
        # duplicate]; a pending key of None means the next scalar of a mapping is a key.
        stack: list[list] = []
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.fail("a scenario file holds one YAML document, found a second", event, ())
                    raise _Refused
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent,
                                  yaml.DocumentEndEvent)):
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                container, _path, anchor, size, _k, _ke = stack.pop()
                if anchor is not None:
                    self.open_anchors.discard(anchor)
                    self.anchors[anchor] = (container, size)
                if stack:
                    stack[-1][3] += size
                    self._attach(stack, container, event)
                else:
                    data = container
                continue
            # A key of a mapping?
            if stack and isinstance(stack[-1][0], dict) and stack[-1][4] is None:
                if not isinstance(event, yaml.ScalarEvent):
                    self.fail("mapping keys must be plain text", event, stack[-1][1])
                    raise _Refused
                frame = stack[-1]
                key = event.value
                key_path = (*frame[1], key)
                if key in frame[0]:
                    first = self.marks.keys.get(key_path)
                    where = f" (first at line {first.line})" if first else ""
                    self.fail(f"duplicate key {key!r}{where}", event, frame[1])
                    frame[5] = True
                else:
                    self.marks.keys[key_path] = _mark(self.file, event.start_mark)
                frame[4] = key
                continue
            path = self._path_of_next(stack)
            if isinstance(event, yaml.AliasEvent):
                value, size = self._alias(event, path)
                self._count(size, event, path)
                self.marks.values[path] = _mark(self.file, event.start_mark)
                if stack:
                    stack[-1][3] += size
                    self._attach(stack, value, event)
                else:
                    data = value
                continue
            self._check_tag(event, path)
            self._count(1, event, path)
            self.marks.values[path] = _mark(self.file, event.start_mark)
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    self.fail(_TOO_DEEP, event, ())
                    raise _Refused
                container: dict | list = {} if isinstance(event, yaml.MappingStartEvent) else []
                if event.anchor is not None:
                    self.open_anchors.add(event.anchor)
                stack.append([container, path, event.anchor, 1, None, False])
                continue
            value = self._scalar(event, path)
            if isinstance(value, str):
                self.marks.scalars[path] = Scalar(
                    self.file, self.source, value, (event.start_mark.line, event.start_mark.column),
                    (event.end_mark.line, event.end_mark.column), event.style or "",
                )
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, 1)
            if stack:
                stack[-1][3] += 1
                self._attach(stack, value, event)
            else:
                data = value
        return data

    def _path_of_next(self, stack: list[list]) -> Path:
        if not stack:
            return ()
        container, path, *_rest = stack[-1]
        if isinstance(container, dict):
            return (*path, stack[-1][4])
        return (*path, len(container))

    def _attach(self, stack: list[list], value: object, event: yaml.Event) -> None:
        frame = stack[-1]
        if isinstance(frame[0], dict):
            if not frame[5]:
                frame[0][frame[4]] = value
            frame[4] = None
            frame[5] = False
        else:
            frame[0].append(value)

    def _alias(self, event: yaml.AliasEvent, path: Path) -> tuple[object, int]:
        if event.anchor in self.open_anchors:
            self.fail(f"alias *{event.anchor} refers to a value that contains it", event, path)
            raise _Refused
        if event.anchor not in self.anchors:
            self.fail(f"unknown alias *{event.anchor}", event, path)
            raise _Refused
        # The value is shared, not copied: expansion costs nothing until someone walks it,
        # and the count below stops documents that would be too large once walked.
        return self.anchors[event.anchor]

    def _count(self, size: int, event: yaml.Event, path: Path) -> None:
        self.count += size
        if self.count > MAX_ALIAS_EXPANSION:
            self.fail(
                f"too many values once aliases are expanded (more than {MAX_ALIAS_EXPANSION})",
                event,
                path,
            )
            raise _Refused

    def _check_tag(self, event: yaml.Event, path: Path) -> None:
        tag = getattr(event, "tag", None)
        if tag is None or tag in _ALLOWED_TAGS:
            return
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        self.fail(f"YAML tag {shown!r} is not allowed (scenario files hold plain data)", event,
                  path)
        raise _Refused

    def _scalar(self, event: yaml.ScalarEvent, path: Path) -> object:
        text = event.value
        tag = event.tag
        plain = event.implicit[0] and event.style in (None, "")
        if tag == "tag:yaml.org,2002:str" or (tag is None and not plain) or tag == "!":
            return text
        if tag is None or tag == "tag:yaml.org,2002:null":
            if _NULL.match(text):
                return None
        if tag is None or tag == "tag:yaml.org,2002:bool":
            if text in _BOOL:
                return _BOOL[text]
        if tag is None or tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            if _INT.match(text) or _FLOAT.match(text):
                digits = sum(c.isdigit() for c in text.split("e")[0].split("E")[0])
                if digits > MAX_NUMBER_DIGITS:
                    self.fail(f"number too large ({digits} digits)", event, path)
                    return None
                if _INT.match(text) and tag != "tag:yaml.org,2002:float":
                    return int(text)
                return float(text)
            if _INF.match(text):
                return float("-inf") if text.startswith("-") else float("inf")
            if _NAN.match(text):
                return float("nan")
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.fail(f"{text!r} is not a valid {shown} value", event, path)
            return None
        return text

