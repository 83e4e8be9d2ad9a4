"""Check a loaded file against the JSON Schema and explain each problem in Chinese.

The schemas in schema/ are the contract; editors read them too. jsonschema finds the
problems, and this module turns each one into a Diagnostic that names the field by its
Chinese title, points at the exact line, and says how to fix it (the closest known key
for a typo, the allowed values for a bad enum, quotes for a phone number read as a number).
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from pathlib import Path

import jsonschema

from .diagnostics import ERROR, Diagnostic
from .load import Document

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
MATTER = "matter"
DEPARTMENT = "department"

TYPE_WORDS = {
    "string": "文本",
    "integer": "整数",
    "number": "数字",
    "array": "列表（每项以“- ”开头）",
    "object": "字段映射（“字段: 值”）",
    "boolean": "true 或 false",
    "null": "空",
}


@lru_cache(maxsize=None)
def schema(kind: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _validator(kind: str) -> jsonschema.Draft202012Validator:
    # Our schemas have no recursive $ref, so they can be inlined once; looking references up
    # on every value took 40% of the validation time of 1,000 matters.
    return jsonschema.Draft202012Validator(
        _inline(schema(kind), kind),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def _inline(node, kind: str):
    """A copy of `node` with every $ref replaced by its target (sibling keywords kept)."""
    if isinstance(node, list):
        return [_inline(item, kind) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target, target_kind = _resolve({"$ref": node["$ref"]}, kind)
        merged = {**_inline(target, target_kind), **{k: v for k, v in node.items() if k != "$ref"}}
        return _inline(merged, target_kind)
    return {key: (value if key in ("enum", "required") else _inline(value, kind))
            for key, value in node.items() if key != "$defs"}


def check(doc: Document, kind: str) -> list[Diagnostic]:
    """All schema problems in `doc`, one diagnostic each, in file order."""
    found: dict[tuple, Diagnostic] = {}
    for error in _validator(kind).iter_errors(doc.data):
        for diagnostic in _explain(error, doc, kind):
            # One message per field and rule is enough; a bad value often breaks two keywords.
            found.setdefault((diagnostic.line, diagnostic.column, diagnostic.rule), diagnostic)
    return sorted(found.values(), key=lambda d: (d.line, d.column, d.rule))


# --- titles ---------------------------------------------------------------------------

def _resolve(node: dict, kind: str) -> tuple[dict, str]:
    """Follow $ref (within a schema or into matter.schema.json) until a real subschema."""
    while "$ref" in node:
        ref = node["$ref"]
        target_file, _, pointer = ref.partition("#")
        if target_file:
            kind = target_file.removesuffix(".schema.json")
        target = schema(kind)
        for part in pointer.strip("/").split("/"):
            if part:
                target = target[part]
        node = target
    return node, kind


def subschema(kind: str, path: tuple) -> dict | None:
    """The schema describing the value at `path`, or None if the path leaves the schema."""
    node, kind = _resolve(schema(kind), kind)
    for part in path:
        if isinstance(part, int):
            node = node.get("items")
        else:
            node = node.get("properties", {}).get(part)
        if node is None:
            return None
        node, kind = _resolve(node, kind)
    return node


def annotation(node: dict, kind: str, word: str, default: str = "") -> str:
    """A property's `title` or `description`: its own, else that of the definition it refers to."""
    return node.get(word) or _resolve(node, kind)[0].get(word, default)


def field_title(kind: str, path: tuple) -> str:
    """Chinese path of a field, e.g. 申请材料 › 第 3 项 › 材料名称."""
    titles = []
    node, node_kind = _resolve(schema(kind), kind)
    for part in path:
        if isinstance(part, int):
            titles.append(f"第 {part + 1} 项")
            child = node.get("items") if node else None
        else:
            child = node.get("properties", {}).get(part) if node else None
            titles.append(annotation(child, node_kind, "title", part) if child else part)
        node, node_kind = _resolve(child, node_kind) if child else (None, node_kind)
    return " › ".join(titles)


def known_keys(kind: str, path: tuple) -> dict[str, str]:
    """Keys allowed in the mapping at `path`, with their Chinese titles."""
    node = subschema(kind, path) or {}
    return {key: annotation(child, kind, "title", key) for key, child in node.get("properties", {}).items()}


# --- explaining errors ----------------------------------------------------------------

def _explain(error: jsonschema.ValidationError, doc: Document, kind: str) -> list[Diagnostic]:
    path = tuple(error.absolute_path)
    keyword = error.validator

    def at(span_path: tuple, rule: str, message: str, field_path: tuple = path, key: bool = False) -> Diagnostic:
        span = doc.key_span(span_path) if key else doc.span(span_path)
        return Diagnostic(doc.display, span.line, span.column, ERROR, rule, field_title(kind, field_path), message)

    if keyword == "additionalProperties":
        allowed = known_keys(kind, path)
        return [
            at(path + (key,), "S-unknown-key", _unknown_key_message(key, allowed), path, key=True)
            for key in error.instance
            if key not in allowed
        ]
    if keyword == "required":
        missing = [key for key in error.validator_value if key not in error.instance]
        titles = known_keys(kind, path)
        return [
            at(path, "S-required", f"缺少必填字段“{key}”（{titles.get(key, key)}）。", path + (key,), key=True)
            for key in missing
        ]
    if keyword == "type":
        return [at(path, "S-type", _type_message(error, doc.plain.get(path)))]
    if keyword == "enum":
        return [at(path, "S-enum", _enum_message(error.instance, error.validator_value))]
    if keyword == "format":
        return [at(path, "S-format", f"“{error.instance}”不是有效日期，应写成 YYYY-MM-DD，如 2026-03-01。")]
    if keyword == "pattern":
        hint = error.schema.get("errorMessage", "格式不正确")
        rule = "S-url" if "http" in hint else "S-pattern"
        shown = error.instance if len(error.instance) <= 60 else error.instance[:57] + "…"
        message = f"{hint}。" if not error.instance.strip() else f"“{shown}”：{hint}。"
        return [at(path, rule, message)]
    if keyword == "minItems":
        count = error.validator_value
        return [at(path, "S-min-items", "至少要填写一项。" if count == 1 else f"至少要填写 {count} 项。")]
    if keyword == "uniqueItems":
        return [at(path, "S-unique", "列表中有重复的项，请删除重复的那一项。")]
    if keyword in ("minimum", "exclusiveMinimum"):
        return [at(path, "S-range", f"不能小于 {error.validator_value}。")]
    if keyword == "maxLength":
        return [at(path, "S-too-long", f"不能超过 {error.validator_value} 个字符。")]
    return [at(path, "S-invalid", f"不符合要求（{keyword}）。")]


def _unknown_key_message(key: str, allowed: dict[str, str]) -> str:
    guess = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
    if not guess:
        # Someone may have typed the Chinese title instead of the key.
        by_title = {title: name for name, title in allowed.items()}
        guess = [by_title[t] for t in difflib.get_close_matches(key, list(by_title), n=1, cutoff=0.5)]
    if guess:
        return f"未知字段“{key}”，是不是“{guess[0]}”（{allowed[guess[0]]}）？"
    listing = "、".join(f"{name}（{title}）" for name, title in allowed.items())
    return f"未知字段“{key}”。这里可以填写的字段有：{listing}。"


def _type_message(error: jsonschema.ValidationError, plain: str | None) -> str:
    expected = error.validator_value
    expected = expected if isinstance(expected, list) else [expected]
    wanted = "或".join(TYPE_WORDS.get(t, t) for t in expected)
    value = error.instance
    if value is None:
        return f"没有填写内容（冒号后为空），应为{wanted}。"
    if "string" in expected and plain is not None:
        return f"应为{wanted}，但“{plain}”被 YAML 读成了{_kind_of(value)}。请给它加上引号，如 \"{plain}\"。"
    if "array" in expected and isinstance(value, (str, int, float)):
        return f"应为{wanted}。即使只有一项，也要写成列表：换行后以“- ”开头。"
    return f"应为{wanted}，实际是{_kind_of(value)}。"


def _kind_of(value) -> str:
    if isinstance(value, bool):
        return "是/否（布尔值）"
    if isinstance(value, (int, float)):
        return "数字"
    if isinstance(value, str):
        return "文本"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "字段映射"
    return "空值"


def _enum_message(value, allowed: list) -> str:
    choices = "、".join(str(a) for a in allowed)
    guess = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1, cutoff=0.3)
    suggestion = f"是不是“{guess[0]}”？" if guess else ""
    return f"“{value}”不是有效的取值。{suggestion}可选：{choices}。"
