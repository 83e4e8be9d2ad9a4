"""Every way the loader rejects a file: the message, the line and the exit code."""

from __future__ import annotations

import codecs

import pytest

from generator.cli import main
from generator.diagnostics import LoadError
from generator.load import MAX_BYTES, load_bytes, load_file

GOOD = "id: demo-matter\nname: 示范事项\n"


def load_text(tmp_path, content: str | bytes, name: str = "x.yaml"):
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return load_file(path)


def rejection(tmp_path, content) -> tuple[str, int, int, str]:
    with pytest.raises(LoadError) as info:
        load_text(tmp_path, content)
    (d,) = info.value.diagnostics
    return d.rule, d.line, d.column, d.message


def test_keeps_line_and_column_of_every_value_and_key(tmp_path):
    doc = load_text(tmp_path, "id: a\nmaterials:\n  - name: 身份证\n    form: 原件\n")
    assert doc.data == {"id": "a", "materials": [{"name": "身份证", "form": "原件"}]}
    assert (doc.span(("materials", 0, "form")).line, doc.span(("materials", 0, "form")).column) == (4, 11)
    assert doc.key_span(("materials", 0, "form")).column == 5
    # A path that does not exist falls back to its nearest ancestor.
    assert doc.span(("materials", 0, "copies")).line == 3


def test_accepts_utf8_bom(tmp_path):
    doc = load_text(tmp_path, codecs.BOM_UTF8 + GOOD.encode("utf-8"))
    assert doc.data["name"] == "示范事项"


def test_dates_stay_as_written_so_the_schema_can_check_them(tmp_path):
    doc = load_text(tmp_path, "updated: 2026-02-30\nother: 2026-01-05\n")
    assert doc.data == {"updated": "2026-02-30", "other": "2026-01-05"}


def test_keys_are_taken_as_written(tmp_path):
    assert load_text(tmp_path, "no: 1\n'on': 2\n").data == {"no": 1, "on": 2}


def alias_bomb() -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    return "\n".join(lines) + "\n"


# content, rule, line and column where the test pins them (None: not pinned), words the message must say
REJECTIONS = {
    "duplicate keys, naming both lines": (
        "id: a\nname: 甲\nvisits: 1\nname: 乙\n", "L-duplicate-key", 4, 1, ["“name”重复出现（第 2 行已有）", "丢失"]),
    "duplicate keys inside lists": (
        "materials:\n  - name: 甲\n    form: 原件\n    name: 乙\n", "L-duplicate-key", 4, None, []),
    "GBK, naming the encoding": (
        "id: a\nname: 个体工商户设立登记\n".encode("gbk"), "L-encoding", 2, None, ["不是 UTF-8", "GBK", "另存为"]),
    "UTF-16": (GOOD.encode("utf-16"), "L-encoding", None, None, ["UTF-16"]),
    "tab indentation": ("id: a\nresult:\n\tname: 证\n", "L-tab", 3, 1, ["制表符", "空格"]),
    "Python tags": (
        "id: a\nname: !!python/object/apply:os.system [echo hi]\n", "L-tag", 2, None, ["python/object/apply:os.system"]),
    "custom tags": ("id: !include other.yaml\n", "L-tag", None, None, []),
    "alias bombs": (alias_bomb(), "L-alias-bomb", None, None, ["别名"]),
    "files over one mebibyte": (
        "id: a\nsummary: " + "字" * (MAX_BYTES // 3 + 10) + "\n", "L-too-large", 1, None, ["1 MiB"]),
    "nesting deeper than twenty": ("a: " + "[" * 25 + "]" * 25 + "\n", "L-too-deep", 1, None, ["20"]),
    "a top-level list": ("- id: a\n- id: b\n", "L-not-mapping", 1, None, ["顶层"]),
    "a top-level scalar": ("只是一句话\n", "L-not-mapping", None, None, []),
    "an empty file": ("", "L-empty", 1, None, ["为空"]),
    "a file of blank lines": ("   \n\n", "L-empty", 1, None, ["为空"]),
    "a file of comments only": ("# 只有注释\n", "L-empty", 1, None, ["为空"]),
    "a colon in an unquoted value": ("id: a\nnote: 时间: 9:00\n", "L-syntax", 2, None, ["引号"]),
    "an unclosed quote": ('id: a\nname: "没有闭合\nvisits: 1\n', "L-syntax", None, None, ["YAML 格式错误"]),
    "several documents": ("id: a\n---\nid: b\n", "L-syntax", None, None, ["---"]),
    "merge keys": ("base: &b {x: 1}\nother:\n  <<: *b\n", "L-merge-key", None, None, []),
}


@pytest.mark.parametrize("content, rule, line, column, words", REJECTIONS.values(), ids=REJECTIONS.keys())
def test_rejects(tmp_path, content, rule, line, column, words):
    found_rule, found_line, found_column, message = rejection(tmp_path, content)
    assert found_rule == rule
    assert line is None or found_line == line
    assert column is None or found_column == column
    for word in words:
        assert word in message


def test_survives_absurd_nesting_without_recursion(tmp_path):
    rule, _, _, _ = rejection(tmp_path, "[" * 200_000)
    assert rule in ("L-too-deep", "L-syntax")


def test_load_bytes_never_needs_a_file(tmp_path):
    doc = load_bytes(GOOD.encode(), tmp_path / "x.yaml", "x.yaml")
    assert doc.display == "x.yaml"


# --- through the command line: file:line in Chinese, exit code 1, no traceback ---------

@pytest.mark.parametrize("content, rule, line", [
    ("id: a\nname: 甲\nname: 乙\n", "L-duplicate-key", 3),
    ("id: a\nname: 登记\n".encode("gbk"), "L-encoding", 2),
    ("id: a\nresult:\n\tname: 证\n", "L-tab", 3),
    ("id: !!python/name:os.system\n", "L-tag", 1),
    ("", "L-empty", 1),
    ("- a\n", "L-not-mapping", 1),
    ("a: " + "[" * 21 + "]" * 21 + "\n", "L-too-deep", 1),
])
def test_cli_reports_loader_errors_with_file_and_line(demo, capsys, content, rule, line):
    demo.write("demo/broken.yaml", content)
    code = main(["validate"])
    out = capsys.readouterr()
    assert code == 1
    assert f"matters/demo/broken.yaml:{line}:" in out.out
    assert f"错误 [{rule}]" in out.out
    assert "Traceback" not in out.out + out.err
    assert "1 个错误" in out.out


def test_folded_blocks_do_not_put_spaces_between_chinese_characters(tmp_path):
    doc = load_text(tmp_path, "summary: >-\n  先办理登记，\n  领取营业执照后 ABC\n  def 经营。\nname: 政务服务中心 二楼\n")
    assert doc.data["summary"] == "先办理登记，领取营业执照后 ABC def 经营。"
    assert doc.data["name"] == "政务服务中心 二楼"  # a space the clerk typed stays
