"""Schema problems are explained in Chinese, at the right line, naming the field by its title."""

from __future__ import annotations

import json

import jsonschema
import pytest

from generator import schema
from tests.conftest import REPO, dump, matter, rules_of


@pytest.mark.parametrize("name", ["matter", "department"])
def test_schemas_are_valid_2020_12_with_chinese_titles_everywhere(name):
    document = json.loads((REPO / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(document)

    def walk(node, where):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                assert node.get("additionalProperties") is False, where
            for key, child in node.get("properties", {}).items():
                assert child.get("title") and child.get("description"), f"{where}.{key} 缺少中文标题或说明"
                assert any("\u4e00" <= ch <= "\u9fff" for ch in child["title"]), f"{where}.{key}"
            for key, child in node.items():
                walk(child, f"{where}.{key}")
        elif isinstance(node, list):
            for i, child in enumerate(node):
                walk(child, f"{where}[{i}]")

    walk(document, name)


def test_enums_match_the_contract():
    s = schema.schema("matter")
    assert s["properties"]["type"]["enum"] == ["行政许可", "行政确认", "行政给付", "行政奖励", "行政裁决",
                                               "行政征收", "行政备案", "其他行政权力", "公共服务"]
    assert s["properties"]["audience"]["items"]["enum"] == ["自然人", "企业法人", "事业法人", "社会组织法人",
                                                            "非法人企业", "行政机关", "其他组织"]
    assert s["properties"]["level"]["enum"] == ["国家级", "省级", "市级", "县级", "镇(乡、街道)级", "分级管理"]
    material = s["properties"]["materials"]["items"]["properties"]
    assert material["form"]["enum"] == ["原件", "复印件", "原件和复印件", "原件或复印件", "电子文件"]
    assert material["necessity"]["enum"] == ["必要", "非必要", "容缺后补", "免提交"]
    assert material["source"]["enum"] == ["申请人自备", "政府部门核发", "其他"]
    assert s["properties"]["channels"]["items"]["properties"]["type"]["enum"] == [
        "窗口办理", "网上办理", "快递申请", "自助终端", "移动端"]
    assert s["properties"]["result"]["properties"]["type"]["enum"] == ["证照", "批文", "其他", "无"]
    assert s["$defs"]["contact"]["properties"]["type"]["enum"] == ["电话", "窗口", "网站", "邮箱", "信函"]
    assert s["properties"]["status"]["enum"] == ["在用", "暂停", "取消"]


def test_field_titles_follow_the_path():
    assert schema.field_title("matter", ("time_limit", "promised")) == "办理时限 › 承诺办结时限"
    assert schema.field_title("matter", ("materials", 2, "name")) == "申请材料 › 第 3 项 › 材料名称"
    assert schema.field_title("matter", ("locations", 0, "phone")) == "办理地点 › 第 1 项 › 联系电话"
    assert schema.field_title("department", ("complaint", 0, "value")) == "监督投诉方式 › 第 1 项 › 号码/地址"


def only(result, rule):
    found = [d for d in result.diagnostics if d.rule == rule]
    assert found, f"没有 {rule}：{[d.text() for d in result.diagnostics]}"
    return found[0]


def test_unknown_key_suggests_the_closest_known_key(demo):
    data = matter()
    data["matrials"] = data.pop("materials")
    demo.matter(data)
    d = only(demo.check(), "S-unknown-key")
    assert "未知字段“matrials”，是不是“materials”（申请材料）？" in d.message
    assert d.is_error and d.column == 1
    assert d.line == dump(data).splitlines().index("matrials:") + 1


def test_unknown_key_nested_suggests_within_its_mapping(demo):
    demo.matter(time_limit={"case_type": "承诺件", "promissed": {"value": 1, "unit": "工作日"},
                            "promised": {"value": 1, "unit": "工作日"}})
    assert "是不是“promised”（承诺办结时限）" in only(demo.check(), "S-unknown-key").message


def test_unknown_key_written_as_its_chinese_title(demo):
    data = matter()
    data["申请材料"] = []
    demo.matter(data)
    assert "是不是“materials”" in only(demo.check(), "S-unknown-key").message


def test_missing_required_field_is_named_in_chinese(demo):
    data = matter()
    del data["updated"]
    demo.matter(data)
    d = only(demo.check(), "S-required")
    assert "缺少必填字段“updated”（更新日期）" in d.message and d.field == "更新日期"


def test_bad_enum_lists_the_choices_and_a_guess(demo):
    demo.matter(type="行政许")
    d = only(demo.check(), "S-enum")
    assert "“行政许”不是有效的取值" in d.message and "是不是“行政许可”" in d.message
    assert d.field == "事项类型"


def test_bad_date_is_an_error(demo):
    demo.matter(updated="2026-02-30")
    d = only(demo.check(), "S-format")
    assert "不是有效日期" in d.message and d.field == "更新日期"


def test_phone_number_read_as_a_number_gets_a_quoting_hint(demo):
    demo.write("demo/demo-matter.yaml", dump(matter()) + "consult:\n  - type: 电话\n    value: 12345\n")
    d = only(demo.check(), "S-type")
    assert "请给它加上引号" in d.message and '"12345"' in d.message
    assert d.field == "咨询方式 › 第 1 项 › 号码/地址"


def test_wrong_type_for_a_list(demo):
    demo.matter(conditions="只有一条")
    assert "即使只有一项，也要写成列表" in only(demo.check(), "S-type").message


def test_empty_value_after_colon(demo):
    demo.write("demo/demo-matter.yaml", dump(matter()).replace("summary: 需要办理示范事项的人来这里办。", "summary:"))
    assert "冒号后为空" in only(demo.check(), "S-type").message


def test_blank_text_is_rejected(demo):
    demo.matter(summary="   ")
    assert "不能为空" in only(demo.check(), "S-pattern").message


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.com/x", "www.example.com", "http:// x"])
def test_urls_must_be_http_or_https(demo, url):
    demo.matter(channels=[{"type": "网上办理", "url": url}])
    d = only(demo.check(), "S-url")
    assert "http:// 或 https://" in d.message and d.is_error


def test_https_urls_pass(demo):
    demo.matter(channels=[{"type": "网上办理", "url": "https://zwfw.example/x?a=1"}])
    assert "S-url" not in rules_of(demo.check())


def test_bad_id_pattern(demo):
    data = matter(id="Demo_Matter")
    demo.write("demo/Demo_Matter.yaml", dump(data))
    assert "只能由小写字母、数字和连字符组成" in only(demo.check(), "S-pattern").message


def test_negative_visits(demo):
    demo.matter(visits=-1)
    assert "不能小于 0" in only(demo.check(), "S-range").message


def test_empty_required_list(demo):
    demo.matter(conditions=[])
    assert "至少要填写一项" in only(demo.check(), "S-min-items").message


def test_department_file_is_checked_against_its_schema(folder):
    folder.department(name=None, nmae="示范局")
    result = folder.check()
    assert {"S-unknown-key", "S-required"} <= rules_of(result)
