"""Read one YAML file safely and remember where every value came from.

PyYAML alone is not enough for hand-written government data: it silently keeps the last
of two duplicate keys (data loss), accepts Python tags, expands alias bombs, and reports
problems in English with 0-based positions. This module composes the YAML into nodes
with libyaml, then builds plain Python values itself so that it can check every one of
those things and keep the line and column of every key and value.

Anything wrong with a file raises LoadError with a Chinese message; nothing else escapes.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .diagnostics import ERROR, Diagnostic, LoadError

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 20
# A real matter has a few hundred values; this only stops alias bombs ("billion laughs").
MAX_VALUES = 100_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_CJK = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
_FOLD_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}


@dataclass(frozen=True)
class Span:
    """Where a value starts in its file; line and column count from 1."""

    line: int
    column: int


@dataclass
class Document:
    """The values of one YAML file plus the position of each of them.

    Paths are tuples of keys and list indexes, e.g. ("materials", 2, "name").
    `spans` holds where each value starts, `key_spans` where the key naming it starts,
    and `plain` the source text of unquoted scalars (to explain YAML's surprises,
    such as a phone number read as an integer).
    """

    path: Path
    display: str
    data: dict
    spans: dict[tuple, Span] = field(default_factory=dict)
    key_spans: dict[tuple, Span] = field(default_factory=dict)
    plain: dict[tuple, str] = field(default_factory=dict)

    def span(self, path: tuple) -> Span:
        """Position of the value at `path`, or of its nearest ancestor that exists."""
        path = tuple(path)
        while path not in self.spans and path:
            path = path[:-1]
        return self.spans.get(path, Span(1, 1))

    def key_span(self, path: tuple) -> Span:
        """Position of the key naming `path`, falling back to the value's position."""
        return self.key_spans.get(tuple(path)) or self.span(path)


def display_path(path: Path) -> str:
    """The path as the user should see it: relative to the working folder when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_file(path: Path) -> Document:
    """Read and parse one file. Raises LoadError with a Chinese message on any problem."""
    display = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            _fail(display, 1, 1, "L-too-large", f"文件过大（{size / 1024 / 1024:.1f} MiB），单个文件不能超过 1 MiB。请检查是否误粘贴了大段内容。")
        raw = path.read_bytes()
    except OSError as exc:
        _fail(display, 1, 1, "L-unreadable", f"无法读取文件：{exc.strerror or exc}")
    return load_bytes(raw, path, display)


def load_bytes(raw: bytes, path: Path, display: str | None = None) -> Document:
    """Parse the bytes of a file (already read). Raises LoadError on any problem."""
    display = display or display_path(path)
    if len(raw) > MAX_BYTES:
        _fail(display, 1, 1, "L-too-large", f"文件过大（{len(raw) / 1024 / 1024:.1f} MiB），单个文件不能超过 1 MiB。")
    text = _decode(raw, display)
    _reject_tab_indentation(text, display)
    root = _compose(text, display)
    if root is None:
        _fail(display, 1, 1, "L-empty", "文件为空。请按模板填写事项内容，或用 guide new 生成模板。")
    if not isinstance(root, yaml.MappingNode):
        line, col = _pos(root)
        _fail(display, line, col, "L-not-mapping", "文件顶层必须是“字段: 值”的形式（YAML 映射），不能是列表或单个值。")
    doc = Document(path=path, display=display, data={})
    try:
        doc.data = _Builder(doc).build(root)
    except RecursionError:
        _fail(display, 1, 1, "L-too-deep", f"嵌套层数过多（超过 {MAX_DEPTH} 层）。")
    return doc


def _fail(display: str, line: int, column: int, rule: str, message: str):
    raise LoadError(Diagnostic(display, line, column, ERROR, rule, "", message))


def _pos(node_or_mark) -> tuple[int, int]:
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    return mark.line + 1, mark.column + 1


# --- decoding -------------------------------------------------------------------------

def _decode(raw: bytes, display: str) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]  # Windows Notepad writes one; harmless
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        _fail(display, 1, 1, "L-encoding", "文件是 UTF-16 编码。请用编辑器“另存为”，编码选择“UTF-8”后再提交。")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        _fail(display, line, column, "L-encoding",
              f"文件不是 UTF-8 编码（看起来是 {_guess_encoding(raw)}）。"
              "请用编辑器“另存为”，编码选择“UTF-8”后再提交；记事本中选“UTF-8”，VS Code 中点右下角编码选“通过编码保存 → UTF-8”。")
    if "\x00" in text:
        _fail(display, 1, 1, "L-encoding", "文件中含有空字符（NUL），不是文本文件。")
    return text


def _guess_encoding(raw: bytes) -> str:
    try:
        raw.decode("gb18030")
        return "GBK/GB18030（简体中文 Windows 的默认编码）"
    except UnicodeDecodeError:
        pass
    try:
        raw.decode("big5")
        return "Big5（繁体中文）"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    return best.encoding.upper() if best else "未知编码"


# --- syntax ---------------------------------------------------------------------------

_INDENT = re.compile(r"^[ \t]*")


def _reject_tab_indentation(text: str, display: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        indent = _INDENT.match(line).group()
        if "\t" in indent:
            _fail(display, number, indent.index("\t") + 1, "L-tab",
                  "使用了制表符（Tab）缩进。YAML 只能用空格缩进，请把 Tab 换成空格（建议每级 2 个空格）。")


_SYNTAX_HINTS = [
    ("mapping values are not allowed", "此处不能出现冒号“:”。如果值里本身含有英文冒号，请给整个值加上引号。"),
    ("could not find expected ':'", "缺少冒号“:”，或上一行的引号没有闭合。"),
    ("did not find expected key", "缩进不一致，或列表项与字段混在同一层。请检查本行和上一行的缩进。"),
    ("expected <block end>", "缩进不一致。同一层的字段必须左对齐。"),
    ("did not find expected '-' indicator", "列表项的缩进不一致，同一列表的“-”必须左对齐。"),
    ("found undefined alias", "引用了未定义的锚点（*名称）。"),
    ("found character '\\t'", "含有制表符（Tab）。YAML 只能用空格缩进。"),
    ("found unexpected end of stream", "文件意外结束，可能有引号或括号没有闭合。"),
    ("found unknown escape character", "双引号中的反斜杠“\\”转义无效；如需反斜杠请写成“\\\\”，或改用单引号。"),
    ("expected a single document", "文件只能包含一个 YAML 文档，请删除多余的“---”分隔线。"),
    ("found duplicate anchor", "锚点名称重复。"),
    ("while scanning an alias", "“*”开头的内容被当作锚点引用。如果是普通文字，请加上引号。"),
    ("while scanning an anchor", "“&”开头的内容被当作锚点。如果是普通文字，请加上引号。"),
    ("while scanning a tag", "“!”开头的内容被当作标签。如果是普通文字，请加上引号。"),
    ("found character '@'", "值不能以“@”或“`”开头。请给整个值加上引号。"),
    ("found character '`'", "值不能以“@”或“`”开头。请给整个值加上引号。"),
    ("while scanning a quoted scalar", "引号没有闭合。"),
    ("while parsing a flow", "方括号或花括号没有闭合，或其中的逗号有误。如果是普通文字，请加上引号。"),
]


def _syntax_message(exc: yaml.YAMLError) -> str:
    problem = f"{getattr(exc, 'context', '') or ''} {getattr(exc, 'problem', '') or ''}"
    for needle, hint in _SYNTAX_HINTS:
        if needle in problem:
            return f"YAML 格式错误：{hint}"
    return f"YAML 格式错误（{(getattr(exc, 'problem', None) or str(exc)).strip()}）。请检查本行的缩进、冒号和引号。"


def _compose(text: str, display: str) -> yaml.Node | None:
    """Parse to a node graph, checking nesting depth from the event stream first.

    The depth check runs on libyaml's events, which need no recursion, so a file of
    thousands of nested brackets is rejected before anything recursive touches it.
    """
    try:
        depth = 0
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    line, col = _pos(event.start_mark)
                    _fail(display, line, col, "L-too-deep",
                          f"嵌套层数过多（超过 {MAX_DEPTH} 层）。事项文件通常不超过 5 层，请检查缩进或括号。")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark else (1, 1)
        _fail(display, line, col, "L-syntax", _syntax_message(exc))
    except yaml.YAMLError as exc:
        _fail(display, 1, 1, "L-syntax", _syntax_message(exc))


# --- building values ------------------------------------------------------------------

class _Builder:
    """Turns composed nodes into dicts, lists and scalars, recording positions."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.count = 0
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node):
        return self._value(node, (), 1)

    def _value(self, node: yaml.Node, path: tuple, depth: int):
        self.count += 1
        if self.count > MAX_VALUES:
            self._fail(node, "L-alias-bomb",
                       f"展开后的值超过 {MAX_VALUES} 个，疑似滥用锚点和别名（&/*）。请直接写出内容，不要使用别名。")
        if depth > MAX_DEPTH:
            self._fail(node, "L-too-deep", f"嵌套层数过多（超过 {MAX_DEPTH} 层）。")
        self.doc.spans[path] = Span(*_pos(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                self._bad_tag(node)
            return [self._value(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: tuple, depth: int) -> dict:
        if node.tag != _TAG + "map":
            self._bad_tag(node)
        result: dict = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail(key_node, "L-bad-key", "字段名必须是简单的文字，不能是列表或映射。")
            if key_node.tag == _TAG + "merge":
                self._fail(key_node, "L-merge-key", "不支持合并键“<<”。请直接写出每个字段。")
            # Keys are taken as written: `no:` or `1:` stay text instead of becoming false or 1.
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in first_seen:
                self._fail(key_node, "L-duplicate-key",
                           f"字段“{key}”重复出现（第 {first_seen[key]} 行已有）。YAML 只会保留最后一个，"
                           "前面的内容会丢失。请删除或合并其中一个。")
            first_seen[key] = line
            self.doc.key_spans[path + (key,)] = Span(*_pos(key_node))
            result[key] = self._value(value_node, path + (key,), depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode, path: tuple):
        if node.tag not in _SCALAR_TAGS:
            self._bad_tag(node)
        if not node.style:  # plain (unquoted); libyaml says '' where PyYAML says None
            self.doc.plain[path] = node.value
        if node.style == ">":
            # A folded block joins its lines with spaces, which is wrong between Chinese characters.
            return _FOLD_BETWEEN_CJK.sub("", node.value)
        if node.tag == _TAG + "timestamp":
            # Dates stay as written so the schema can check them and report a bad one clearly.
            return node.value
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, TypeError, OverflowError, yaml.YAMLError):
            return node.value

    def _bad_tag(self, node: yaml.Node):
        self._fail(node, "L-tag", f"不允许使用 YAML 标签“{node.tag}”。事项文件只能包含文字、数字、日期、列表和字段。")

    def _fail(self, node: yaml.Node, rule: str, message: str):
        line, col = _pos(node)
        _fail(self.doc.display, line, col, rule, message)
