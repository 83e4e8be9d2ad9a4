"""The static SVG flow diagram."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator import flow
from generator.model import Step

SVG = "{http://www.w3.org/2000/svg}"


def test_wrap_counts_chinese_as_full_width():
    assert flow.wrap("一二三四五六", 4) == ["一二三四", "五六"]
    assert flow.wrap("abcdefgh", 2.2) == ["abcd", "efgh"]
    assert flow.wrap("", 5) == [""]


def test_svg_is_well_formed_with_one_box_per_step_and_a_text_alternative():
    steps = (Step("申请与受理", "申请人", days=0), Step("审查" * 30, "区民政局", days=12), Step("<发证>"))
    svg = flow.render(steps)
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "办理流程图"
    desc = root.find(f"{SVG}desc").text
    assert "第 1 步，申请与受理（申请人 · 当场）" in desc and "第 3 步，<发证>" in desc
    assert len(root.findall(f"{SVG}rect")) == 3
    assert len(root.findall(f"{SVG}line")) == 2
    texts = [t.text for t in root.findall(f"{SVG}text")]
    assert "<发证>" in texts  # escaped in markup, literal as text
    assert sum(1 for t in texts if t and set(t) <= set("审查")) >= 3  # long names wrap


def test_boxes_stack_vertically_and_fit_the_width():
    svg = flow.render(tuple(Step(f"第{i}步") for i in range(5)))
    root = ET.fromstring(svg)
    tops = [float(r.get("y")) for r in root.findall(f"{SVG}rect")]
    assert tops == sorted(tops)
    assert all(float(r.get("x")) + float(r.get("width")) <= flow.WIDTH for r in root.findall(f"{SVG}rect"))
