"""Plain-language wording shared by pages and sheets."""

from __future__ import annotations

import pytest

from generator import facts
from generator.model import Duration, Fee, TimeLimit


@pytest.mark.parametrize("visits, words", [(0, "零跑动"), (1, "最多跑一次"), (3, "最多跑 3 次")])
def test_visits(visits, words):
    assert facts.visits_words(visits) == words


def test_time_limits():
    assert facts.promised_words(TimeLimit("即办件", Duration(0, "工作日"))) == "当场办结"
    assert facts.promised_words(TimeLimit("承诺件", Duration(5, "工作日"))) == "5 个工作日内办结"
    assert facts.legal_words(TimeLimit("承诺件", Duration(5, "工作日"))) == "无法定时限"
    assert facts.legal_words(TimeLimit("承诺件", Duration(5, "工作日"), Duration(60, "自然日"))) == "60 个自然日"


def test_fees():
    assert facts.fee_words(Fee("工本费", standard="每证 20 元")) == "工本费：每证 20 元"
    assert facts.fee_words(Fee("工本费", amount=20.0)) == "工本费：20 元"
    assert facts.fee_words(Fee("工本费", amount=12.5)) == "工本费：12.5 元"


def test_pinyin_order_and_initials():
    names = ["最低生活保障审核确认", "出生登记", "个体工商户设立登记", "A类事项"]
    assert sorted(names, key=facts.pinyin_key) == ["A类事项", "出生登记", "个体工商户设立登记", "最低生活保障审核确认"]
    assert facts.initial("出生登记") == "C" and facts.initial("最低生活保障") == "Z"
    assert facts.initial("123") == "#"


def test_slugs_are_ascii_and_stable():
    assert facts.slug("社会保障") == "she-hui-bao-zhang"
    assert facts.slug("国土和规划建设") == "guo-tu-he-gui-hua-jian-she"
    assert facts.slug("!!") == "x"
