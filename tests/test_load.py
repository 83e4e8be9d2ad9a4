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


def test_rejects_duplicate_keys_naming_both_lines(tmp_path):
    rule, line, column, message = rejection(tmp_path, "id: a\nname: 甲\nvisits: 1\nname: 乙\n")
    assert (rule, line, column) == ("L-duplicate-key", 4, 1)
    assert "“name”重复出现（第 2 行已有）" in message and "丢失" in message


def test_rejects_duplicate_keys_inside_lists(tmp_path):
    rule, line, _, _ = rejection(tmp_path, "materials:\n  - name: 甲\n    form: 原件\n    name: 乙\n")
    assert (rule, line) == ("L-duplicate-key", 4)


def test_rejects_gbk_and_names_the_encoding(tmp_path):
    content = "id: a\nname: 个体工商户设立登记\n".encode("gbk")
    rule, line, _, message = rejection(tmp_path, content)
    assert (rule, line) == ("L-encoding", 2)
    assert "不是 UTF-8" in message and "GBK" in message and "另存为" in message


def test_rejects_utf16(tmp_path):
    rule, _, _, message = rejection(tmp_path, GOOD.encode("utf-16"))
    assert rule == "L-encoding" and "UTF-16" in message


def test_rejects_tab_indentation(tmp_path):
    rule, line, column, message = rejection(tmp_path, "id: a\nresult:\n\tname: 证\n")
    assert (rule, line, column) == ("L-tab", 3, 1)
    assert "制表符" in message and "空格" in message


def test_rejects_python_tags(tmp_path):
    rule, line, _, message = rejection(tmp_path, "id: a\nname: !!python/object/apply:os.system [echo hi]\n")
    assert (rule, line) == ("L-tag", 2)
    assert "python/object/apply:os.system" in message


def test_rejects_custom_tags(tmp_path):
    rule, _, _, _ = rejection(tmp_path, "id: !include other.yaml\n")
    assert rule == "L-tag"


def test_rejects_alias_bombs(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    rule, _, _, message = rejection(tmp_path, "\n".join(lines) + "\n")
    assert rule == "L-alias-bomb" and "别名" in message


def test_rejects_files_over_one_mebibyte(tmp_path):
    content = "id: a\nsummary: " + "字" * (MAX_BYTES // 3 + 10) + "\n"
    rule, line, _, message = rejection(tmp_path, content)
    assert (rule, line) == ("L-too-large", 1) and "1 MiB" in message


def test_rejects_nesting_deeper_than_twenty(tmp_path):
    content = "a: " + "[" * 25 + "]" * 25 + "\n"
    rule, line, _, message = rejection(tmp_path, content)
    assert (rule, line) == ("L-too-deep", 1) and "20" in message


def test_survives_absurd_nesting_without_recursion(tmp_path):
    rule, _, _, _ = rejection(tmp_path, "[" * 200_000)
    assert rule in ("L-too-deep", "L-syntax")


def test_rejects_a_top_level_list(tmp_path):
    rule, line, _, message = rejection(tmp_path, "- id: a\n- id: b\n")
    assert (rule, line) == ("L-not-mapping", 1) and "顶层" in message


def test_rejects_a_top_level_scalar(tmp_path):
    assert rejection(tmp_path, "只是一句话\n")[0] == "L-not-mapping"


@pytest.mark.parametrize("content", ["", "   \n\n", "# 只有注释\n"])
def test_rejects_empty_files(tmp_path, content):
    rule, line, _, message = rejection(tmp_path, content)
    assert (rule, line) == ("L-empty", 1) and "为空" in message


def test_explains_a_colon_in_an_unquoted_value(tmp_path):
    rule, line, _, message = rejection(tmp_path, "id: a\nnote: 时间: 9:00\n")
    assert (rule, line) == ("L-syntax", 2) and "引号" in message


def test_explains_an_unclosed_quote(tmp_path):
    rule, _, _, message = rejection(tmp_path, 'id: a\nname: "没有闭合\nvisits: 1\n')
    assert rule == "L-syntax" and "YAML 格式错误" in message


def test_rejects_several_documents(tmp_path):
    rule, _, _, message = rejection(tmp_path, "id: a\n---\nid: b\n")
    assert rule == "L-syntax" and "---" in message


def test_rejects_merge_keys(tmp_path):
    assert rejection(tmp_path, "base: &b {x: 1}\nother:\n  <<: *b\n")[0] == "L-merge-key"


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
