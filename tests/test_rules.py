"""Every cross-field rule has a failing and a passing case."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.diagnostics import ERROR, WARNING
from generator.rules import CATALOG_RULES, MATTER_RULES
from tests.conftest import matter, rules_of

WORKING = "工作日"
CALENDAR = "自然日"


def limit(promised, legal=None, case_type="承诺件", unit=WORKING, legal_unit=None):
    data = {"case_type": case_type, "promised": {"value": promised, "unit": unit}}
    if legal is not None:
        data["legal"] = {"value": legal, "unit": legal_unit or unit}
    return data


FEE = {"name": "证件工本费", "standard": "每证 20 元", "amount": 20}
ONLINE = [{"type": "网上办理", "url": "https://zwfw.example/x"}]
WINDOW = [{"type": "窗口办理"}]

# rule id: (changes that break it, changes that satisfy it)
CASES = {
    "R-promised-exceeds-legal": [
        (dict(time_limit=limit(20, 15)), dict(time_limit=limit(15, 15))),
        (dict(time_limit=limit(20, 15, unit=WORKING, legal_unit=CALENDAR)), dict(time_limit=limit(10, 15, legal_unit=CALENDAR))),
        # calendar days promised against working days: cannot be judged exactly, so no error
        (None, dict(time_limit=limit(20, 15, unit=CALENDAR, legal_unit=WORKING))),
        (None, dict(time_limit=limit(5))),
    ],
    "R-fee-without-basis": [
        (dict(fees=[FEE]), dict(fees=[dict(FEE, basis="发改价格〔2003〕2322号")])),
    ],
    "R-zero-visit-without-remote-channel": [
        (dict(visits=0, channels=WINDOW), dict(visits=0, channels=WINDOW + ONLINE)),
        (None, dict(visits=0, channels=[{"type": "快递申请"}])),
        (None, dict(visits=0, channels=[{"type": "移动端"}])),
        (dict(visits=0, channels=[{"type": "自助终端"}]), None),
    ],
    "R-updated-in-future": [
        (dict(updated="2026-11-02"), dict(updated="2026-11-01")),
    ],
    "R-unknown-scenario": [
        (dict(materials=[{"name": "委托书", "form": "原件", "scenarios": ["weituo"]}]),
         dict(scenarios=[{"id": "weituo", "name": "委托办理"}],
              materials=[{"name": "委托书", "form": "原件", "scenarios": ["weituo"]}])),
    ],
    "R-instant-not-zero": [
        (dict(time_limit=limit(1, case_type="即办件")), dict(time_limit=limit(0, case_type="即办件"))),
    ],
    "R-steps-exceed-promised": [
        (dict(process=[{"name": "受理", "days": 3}, {"name": "决定", "days": 3}]),
         dict(process=[{"name": "受理", "days": 2}, {"name": "决定", "days": 3}])),
        (None, dict(process=[{"name": "受理"}])),
    ],
    "R-visit-without-reason": [
        (dict(visits=2, visit_reason=None), dict(visits=2, visit_reason="须本人签字")),
        (None, dict(visits=0, visit_reason=None, channels=ONLINE)),
    ],
    "R-basis-without-article": [
        (dict(legal_basis=[{"law": "《婚姻登记条例》"}]), dict(legal_basis=[{"law": "《婚姻登记条例》", "article": "第四条"}])),
    ],
    "R-duplicate-material": [
        (dict(materials=[{"name": "居民身份证", "form": "原件"}, {"name": "居民 身份证", "form": "复印件"}]),
         dict(materials=[{"name": "居民身份证", "form": "原件"}, {"name": "居民户口簿", "form": "原件"}])),
        # the same material in two scenarios that never meet is not a duplicate
        (None, dict(scenarios=[{"id": "a", "name": "本人"}, {"id": "b", "name": "委托"}],
                    materials=[{"name": "身份证", "form": "原件", "scenarios": ["a"]},
                               {"name": "身份证", "form": "复印件", "scenarios": ["b"]}])),
    ],
    "R-issued-without-issuer": [
        (dict(materials=[{"name": "户口簿", "form": "原件", "source": "政府部门核发"}]),
         dict(materials=[{"name": "户口簿", "form": "原件", "source": "政府部门核发", "issuer": "派出所"}])),
    ],
    "R-vague-text": [
        (dict(conditions=["年满十八周岁", "法律、法规规定的其他条件"]), dict(conditions=["年满十八周岁"])),
        (dict(visit_reason="详见窗口"), dict(visit_reason="须本人签字")),
        (dict(result={"name": "登记证明", "type": "证照", "delivery": "无"}),
         dict(result={"name": "登记证明", "type": "证照", "delivery": "窗口领取"})),
    ],
    "R-review-overdue": [
        (dict(review_by="2026-10-31"), dict(review_by="2026-11-01")),
    ],
    "R-permit-without-faq": [
        (dict(type="行政许可"), dict(type="行政许可", faq=[{"q": "要多久？", "a": "5 个工作日。"}])),
        (None, dict(type="行政确认")),
    ],
    "R-consult-equals-complaint-phone": [
        (dict(consult=[{"type": "电话", "value": "0000-6000 0001"}], complaint=[{"type": "电话", "value": "0000-60000001"}]),
         dict(consult=[{"type": "电话", "value": "0000-60000001"}], complaint=[{"type": "电话", "value": "12345"}])),
    ],
}


def apply(changes: dict) -> dict:
    data = matter()
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


@pytest.mark.parametrize("rule_id, broken, fixed", [
    (rule_id, broken, fixed) for rule_id, pairs in CASES.items() for broken, fixed in pairs
])
def test_rule(demo, rule_id, broken, fixed):
    if broken is not None:
        demo.matter(apply(broken))
        result = demo.check()
        assert rule_id in rules_of(result), [d.text() for d in result.diagnostics]
    if fixed is not None:
        demo.matter(apply(fixed))
        result = demo.check()
        assert rule_id not in rules_of(result), [d.text() for d in result.diagnostics]


def test_every_matter_rule_is_covered_here_or_below():
    covered = set(CASES) | {"R-no-complaint-channel", "R-id-filename", "R-department-directory"}
    assert {r.id for r in MATTER_RULES} == covered


def test_rule_ids_are_stable_and_unique():
    ids = [r.id for r in MATTER_RULES + CATALOG_RULES]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("R-") and i == i.lower().replace("r-", "R-", 1) for i in ids)


def test_promised_exceeds_legal_message_matches_the_contract(demo):
    demo.matter(time_limit=limit(20, 15))
    (d,) = [d for d in demo.check().diagnostics if d.rule == "R-promised-exceeds-legal"]
    assert d.severity == ERROR
    assert d.text().endswith("错误 [R-promised-exceeds-legal] 办理时限 › 承诺办结时限（20 个工作日）超过法定办结时限（15 个工作日）")
    assert d.file == "matters/demo/demo-matter.yaml"


def test_severities_follow_the_contract():
    severity = {r.id: r.severity for r in MATTER_RULES + CATALOG_RULES}
    errors = {"R-promised-exceeds-legal", "R-fee-without-basis", "R-zero-visit-without-remote-channel",
              "R-no-complaint-channel", "R-updated-in-future", "R-id-filename", "R-department-directory",
              "R-duplicate-id", "R-unknown-reference", "R-prerequisite-cycle", "R-unknown-scenario"}
    for rule_id, level in severity.items():
        assert level == (ERROR if rule_id in errors else WARNING), rule_id


# --- rules that need the department or other files ------------------------------------

def test_complaint_channel_is_inherited_from_the_department(demo):
    assert "R-no-complaint-channel" not in rules_of(demo.check())
    matter_ = demo.check().catalog.matters["demo-matter"]
    assert matter_.complaint[0].value == "12345" and "complaint" in matter_.inherited


def test_no_complaint_channel_anywhere_is_an_error(folder):
    folder.department(complaint=None)
    folder.matter()
    assert "R-no-complaint-channel" in rules_of(folder.check())
    folder.matter(complaint=[{"type": "电话", "value": "12345"}])
    assert "R-no-complaint-channel" not in rules_of(folder.check())


def test_consult_phone_compared_after_inheriting(folder):
    folder.department(complaint=[{"type": "电话", "value": "0000-60000001"}])
    folder.matter()
    assert "R-consult-equals-complaint-phone" in rules_of(folder.check())


def test_id_must_equal_file_name(demo):
    demo.write("demo/other-name.yaml", (demo.root / "demo/demo-matter.yaml").read_text(encoding="utf-8"))
    (demo.root / "demo/demo-matter.yaml").unlink()
    d = [d for d in demo.check().diagnostics if d.rule == "R-id-filename"][0]
    assert "other-name.yaml" in d.message and d.is_error
    demo.matter(id="other-name")
    assert "R-id-filename" not in rules_of(demo.check())


def test_department_must_equal_directory(demo):
    demo.department("other")
    demo.write("other/demo-matter.yaml", (demo.root / "demo/demo-matter.yaml").read_text(encoding="utf-8"))
    (demo.root / "demo/demo-matter.yaml").unlink()
    assert "R-department-directory" in rules_of(demo.check())
    demo.matter(department="other")
    assert "R-department-directory" not in rules_of(demo.check())


def test_unknown_department(demo):
    demo.write("ghost/demo-matter.yaml", "")
    demo.matter(department="ghost")
    d = [d for d in demo.check().diagnostics if d.rule == "R-unknown-department"][0]
    assert "demo（示例市示范区示范局）" in d.message


def test_department_code_must_equal_directory(folder):
    folder.write("demo/_department.yaml", "code: dmeo\nname: 示范局\n")
    assert "R-department-code-directory" in rules_of(folder.check())


def test_duplicate_id_across_departments(demo):
    demo.department("other")
    demo.matter(department="other")
    d = [d for d in demo.check().diagnostics if d.rule == "R-duplicate-id"][0]
    assert "已被 matters/demo/demo-matter.yaml 使用" in d.message


def test_unknown_reference_suggests_an_id(demo):
    demo.matter(id="second", prerequisites=["demo-mater"], related=["nothing-like-it"])
    found = [d for d in demo.check().diagnostics if d.rule == "R-unknown-reference"]
    assert len(found) == 2
    assert "前置事项“demo-mater”不存在。是不是“demo-matter”？" in found[0].message
    assert "关联事项“nothing-like-it”不存在" in found[1].message
    demo.matter(id="second", prerequisites=["demo-matter"], related=["demo-matter"])
    assert "R-unknown-reference" not in rules_of(demo.check())


def test_prerequisite_cycle_prints_the_cycle(demo):
    demo.matter(id="aa", prerequisites=["bb"])
    demo.matter(id="bb", prerequisites=["cc"])
    demo.matter(id="cc", prerequisites=["aa"])
    found = [d for d in demo.check().diagnostics if d.rule == "R-prerequisite-cycle"]
    assert len(found) == 1
    assert "aa → bb → cc → aa" in found[0].message
    assert found[0].file == "matters/demo/aa.yaml" and found[0].field == "前置事项 › 第 1 项"


def test_self_prerequisite_is_a_cycle(demo):
    demo.matter(id="aa", prerequisites=["aa"])
    assert "aa → aa" in [d for d in demo.check().diagnostics if d.rule == "R-prerequisite-cycle"][0].message


def test_chain_without_cycle_passes(demo):
    demo.matter(id="aa", prerequisites=["bb"])
    demo.matter(id="bb", prerequisites=["cc"])
    demo.matter(id="cc")
    assert "R-prerequisite-cycle" not in rules_of(demo.check())


def test_rules_use_the_given_day(demo):
    demo.matter(updated="2026-12-01")
    assert "R-updated-in-future" in rules_of(demo.check(on=dt.date(2026, 11, 30)))
    assert "R-updated-in-future" not in rules_of(demo.check(on=dt.date(2026, 12, 1)))
