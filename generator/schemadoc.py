"""`guide schema-doc`: the field-by-field cheat sheet in CONTRIBUTING.md, from schema/.

The cheat sheet sits between two markers in CONTRIBUTING.md and is rewritten from the
schemas, so it cannot drift from what the validator enforces.
"""

from __future__ import annotations

from . import schema

START = "<!-- schema-doc:start（以下由 guide schema-doc 生成，请勿手工修改） -->"
END = "<!-- schema-doc:end -->"


def _object_at(kind: str, path: tuple) -> tuple[dict, tuple]:
    """The object schema at `path`, looking through a list to its items."""
    node = schema.subschema(kind, path) or {}
    if node.get("type") == "array":
        path = path + (0,)
        node = schema.subschema(kind, path) or {}
    return node, path


def _type_words(kind: str, path: tuple) -> str:
    node = schema.subschema(kind, path)
    if "enum" in node:
        return "可选：" + "、".join(str(v) for v in node["enum"])
    if node.get("type") == "array":
        item = schema.subschema(kind, path + (0,))
        if "enum" in item:
            return "列表，每项可选：" + "、".join(item["enum"])
        return "列表，每项含下表字段" if item.get("type") == "object" else "列表（每项一段文字）"
    if node.get("type") == "object":
        return "含下表字段"
    if node.get("format") == "date":
        return "日期 YYYY-MM-DD"
    if node.get("pattern", "").startswith("^https?"):
        return "网址 http(s)://…"
    return {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false"}.get(node.get("type"), "文字")


def _table(kind: str, path: tuple, heading: str, level: int) -> list[str]:
    node, path = _object_at(kind, path)
    required = set(node.get("required", []))
    rows, nested = [], []
    for key, raw in node.get("properties", {}).items():
        title = schema.annotation(raw, kind, "title", key)
        description = schema.annotation(raw, kind, "description").replace("|", "\\|")
        rows.append(f"| `{key}` | {title} | {'是' if key in required else ''} | {_type_words(kind, path + (key,))} | {description} |")
        inner, _ = _object_at(kind, path + (key,))
        if "properties" in inner:
            nested.append((path + (key,), title))
    lines = [f"{'#' * level} {heading}", "", "| 字段 | 中文名 | 必填 | 填写方式 | 说明 |", "|---|---|---|---|---|", *rows, ""]
    for child_path, title in nested:
        keys = ".".join(str(p) for p in child_path if not isinstance(p, int))
        lines += _table(kind, child_path, f"{title}（`{keys}`）", level + 1)
    return lines


def cheat_sheet() -> str:
    lines = ["## 字段速查表", "",
             "事项文件 `matters/<部门代码>/<事项标识>.yaml` 的全部字段。“必填”为空的字段可以不写。", ""]
    lines += _table(schema.MATTER, (), "事项文件", 3)
    lines += ["部门文件 `matters/<部门代码>/_department.yaml`：", ""]
    lines += _table(schema.DEPARTMENT, (), "部门文件", 3)
    return "\n".join(lines).rstrip() + "\n"


def updated(document: str) -> str:
    """`document` with the text between the markers replaced by a fresh cheat sheet."""
    if START not in document or END not in document:
        raise ValueError("CONTRIBUTING.md 中缺少 schema-doc 标记")
    head, rest = document.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n\n{cheat_sheet()}\n{END}{tail}"
