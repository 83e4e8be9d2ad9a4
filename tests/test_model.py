"""The normalised model: defaults, inheritance, digest."""

from __future__ import annotations

from generator.model import DEFAULT_LITIGATION_MONTHS, DEFAULT_REVIEW_DAYS


def build(folder, **changes):
    folder.matter(**changes)
    result = folder.check()
    assert not result.errors, [d.text() for d in result.errors]
    return result.catalog.matters[changes.get("id", "demo-matter")]


def test_defaults_are_filled_in(demo):
    m = build(demo)
    material = m.materials[0]
    assert (material.copies, material.necessity, material.source) == (1, "必要", "申请人自备")
    assert m.status == "在用" and m.active
    assert m.remedies.review_days == DEFAULT_REVIEW_DAYS
    assert m.remedies.litigation_months == DEFAULT_LITIGATION_MONTHS
    assert m.free and not m.online


def test_department_defaults_are_inherited_and_own_values_win(demo):
    m = build(demo)
    assert m.locations[0].name == "示范区政务服务中心"
    assert {"locations", "consult", "complaint", "remedies"} <= m.inherited
    own = [{"name": "东城派出所", "address": "示例市示范区东城路 28 号"}]
    m = build(demo, locations=own)
    assert [loc.name for loc in m.locations] == ["东城派出所"] and "locations" not in m.inherited


def test_empty_list_overrides_the_department(demo):
    m = build(demo, consult=[])
    assert m.consult == ()


def test_department_remedies_are_inherited(folder):
    folder.department(remedies={"review_body": "示例市示范区人民政府"})
    folder.matter()
    m = folder.check().catalog.matters["demo-matter"]
    assert m.remedies.review_body == "示例市示范区人民政府" and m.remedies.review_days == 60


def test_materials_for_a_scenario(demo):
    m = build(demo, scenarios=[{"id": "a", "name": "本人"}, {"id": "b", "name": "委托"}],
              materials=[{"name": "身份证", "form": "原件"},
                         {"name": "委托书", "form": "原件", "scenarios": ["b"]}])
    assert [x.name for x in m.materials_for("a")] == ["身份证"]
    assert [x.name for x in m.materials_for("b")] == ["身份证", "委托书"]


def test_digest_changes_with_content_only(demo, tmp_path):
    first = build(demo).digest
    assert len(first) == 10
    # reformatting (quotes, key order) gives the same digest
    text = (demo.root / "demo/demo-matter.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    demo.write("demo/demo-matter.yaml", "\n".join(reversed(lines[:2])) + "\n" + "\n".join(lines[2:]) + "\n")
    assert demo.check().catalog.matters["demo-matter"].digest == first
    assert build(demo, name="另一个名称").digest != first


def test_content_is_plain_json_ready_data(demo):
    content = build(demo).content()
    assert content["department"] == "demo"
    assert content["updated"] == "2026-10-01"
    assert content["materials"][0]["name"] == "居民身份证"
    assert "source" not in content


def test_where_to_get_a_material(demo):
    m = build(demo, materials=[
        {"name": "户口簿", "form": "原件", "source": "政府部门核发", "issuer": "派出所"},
        {"name": "出生医学证明", "form": "原件", "source": "其他", "issuer": "助产机构"},
        {"name": "申请书", "form": "原件"},
    ])
    assert [x.where_to_get for x in m.materials] == ["政府部门核发（派出所）", "其他（助产机构）", "申请人自备"]



def test_post_is_remote_but_not_online(demo):
    m = build(demo, channels=[{"type": "窗口办理"}, {"type": "快递申请"}])
    assert m.remote and not m.online
    m = build(demo, channels=[{"type": "移动端"}])
    assert m.remote and m.online
