"""Page rendering from the model: order, wording, links, escaping."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from generator import pages
from generator.check import check_folder
from tests.conftest import SAMPLE_MATTERS, TODAY, matter

class Tags(HTMLParser):
    """Every start tag in some HTML, with its attributes, as a browser's tokenizer sees them."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    @classmethod
    def of(cls, html: str):
        parser = cls()
        parser.feed(html)
        return parser.found


PAYLOAD = '<script>alert(1)</script><img src=x onerror=alert(2)>[点我](javascript:alert(3))'


@pytest.fixture(scope="module")
def sample():
    return check_folder(SAMPLE_MATTERS, TODAY).catalog


def render(catalog, matter_id, today=TODAY, with_pdf=True):
    return pages.matter_page(catalog.matters[matter_id], catalog, today, with_pdf)


@pytest.mark.parametrize("here, to, expected", [
    ("matters/dibao/", "departments/mzj/", "../../departments/mzj/"),
    ("matters/dibao/", "", "../../"),
    ("", "matters/dibao/", "matters/dibao/"),
    ("matters/dibao/", "pdf/dibao.pdf", "../../pdf/dibao.pdf"),
    ("search/", "search/", "./"),
    ("", "", "./"),
])
def test_relative_links(here, to, expected):
    assert pages.relative(here, to) == expected


def test_page_urls_follow_the_contract():
    assert pages.Page("matters/dibao.md", "", "", "matter").url == "matters/dibao/"
    assert pages.Page("departments/index.md", "", "", "x").url == "departments/"
    assert pages.Page("index.md", "", "", "home").url == ""


def test_matter_page_sections_come_in_the_contract_order(sample):
    body = render(sample, "hz-bl").body
    order = ["<h1", "guide-summary", "guide-facts", 'id="conditions"', 'id="materials"', 'id="process"',
             'id="result"', 'id="fees"', 'id="where"', 'id="consult"', 'id="complaint"', 'id="remedies"',
             'id="basis"', 'id="faq"', "guide-matter__footer"]
    positions = [body.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_key_facts_are_in_plain_words(sample):
    body = render(sample, "gtgsh-sl").body
    for words in ["即办件", "当场办结", "3 个工作日", "零跑动", "不收费"]:
        assert words in body
    body = render(sample, "hz-bl").body
    assert "7 个工作日内办结" in body and "最多跑一次" in body and "普通护照证件费：每本 120 元" in body
    assert "15 个工作日" in body


def test_no_statutory_limit_is_said_plainly(sample):
    assert "无法定时限" in render(sample, "jhdj").body


def test_materials_are_grouped_by_scenario(sample):
    body = render(sample, "gtgsh-sl").body
    assert "情形：经营者本人办理" in body and "情形：委托他人办理" in body
    weituo = body[body.index("情形：委托他人办理"):body.index('id="process"')]
    assert "受托人居民身份证" in weituo and "经营场所使用证明" in weituo


def test_flow_diagram_is_inline_svg_with_text_alternative(sample):
    body = render(sample, "dibao").body
    assert '<svg class="guide-flow"' in body and "<title" in body and "<desc" in body
    assert '<ol class="guide-steps">' in body


def test_complaint_puts_12345_first_and_prominent(sample):
    body = render(sample, "sfz-hl").body
    section = body[body.index('id="complaint"'):body.index('id="remedies"')]
    assert 'class="guide-hotline"' in section and 'href="tel:12345"' in section
    assert section.index("12345") < section.index("0000-60200110")


def test_legal_text_is_collapsible(sample):
    body = render(sample, "hz-bl").body
    assert "<details>" in body and "<summary>《中华人民共和国护照法》 第六条</summary>" in body


def test_prerequisites_and_followers_are_links(sample):
    body = render(sample, "gcgh-xk").body
    assert 'href="../ydgh-xk/"' in body  # must be done first
    assert 'href="../sgxk/"' in body  # can be done next
    assert "办理前需要先办好" in body and "办好后可以接着办" in body


def test_stale_notice_only_after_review_date(sample):
    assert "已超过复核日期" in render(sample, "dibao", today=dt.date(2026, 7, 1)).body
    assert "已超过复核日期" not in render(sample, "dibao", today=dt.date(2026, 6, 30)).body


@pytest.mark.parametrize("status, words", [("暂停", "暂停办理"), ("取消", "已取消")])
def test_paused_or_cancelled_matters_show_a_banner(demo, status, words):
    demo.matter(status=status)
    catalog = demo.check().catalog
    body = pages.matter_page(catalog.matters["demo-matter"], catalog, TODAY, True).body
    assert 'role="alert"' in body and words in body


def test_pdf_link_only_when_sheets_are_built(sample):
    assert 'href="../../pdf/dibao.pdf"' in render(sample, "dibao").body
    assert ".pdf" not in render(sample, "dibao", with_pdf=False).body


def test_search_filters_and_weights_are_marked(sample):
    body = render(sample, "dibao").body
    assert 'data-pagefind-body' in body
    assert re.search(r'<h1 data-pagefind-weight="10" data-pagefind-meta="title">最低生活保障审核确认</h1>', body)
    assert '<span data-pagefind-weight="8">低保、申请低保' in body
    for name in ["部门", "事项类型", "服务对象", "收费", "到现场次数", "网上可办"]:
        assert f'data-pagefind-filter="{name}"' in body


def test_html_has_no_blank_or_indented_lines_for_markdown(sample):
    for page in pages.all_pages(sample, "示例", TODAY, True):
        for line in page.body.splitlines():
            assert line.strip() and line == line.lstrip(), page.source


def test_every_text_field_is_escaped(demo):
    data = matter(
        name=PAYLOAD, aliases=[PAYLOAD], summary=PAYLOAD, conditions=[PAYLOAD], visit_reason=PAYLOAD,
        co_agencies=[PAYLOAD], topics=[PAYLOAD],
        scenarios=[{"id": "a", "name": PAYLOAD, "description": PAYLOAD}],
        legal_basis=[{"law": PAYLOAD, "article": PAYLOAD, "text": PAYLOAD, "doc_number": PAYLOAD,
                      "url": 'https://example.com/"><script>alert(4)</script>'}],
        materials=[{"name": PAYLOAD, "form": "原件", "issuer": PAYLOAD, "note": PAYLOAD, "scenarios": ["a"]}],
        process=[{"name": PAYLOAD, "actor": PAYLOAD, "description": PAYLOAD, "days": 1}],
        time_limit={"case_type": "承诺件", "promised": {"value": 5, "unit": "工作日"}, "note": PAYLOAD},
        special_procedures=[{"name": PAYLOAD, "basis": PAYLOAD}],
        channels=[{"type": "网上办理", "url": "https://example.com/'onmouseover='alert(5)", "note": PAYLOAD}],
        fees=[{"name": PAYLOAD, "standard": PAYLOAD, "basis": PAYLOAD, "waiver": PAYLOAD}],
        result={"name": PAYLOAD, "type": "证照", "delivery": PAYLOAD, "validity": PAYLOAD},
        locations=[{"name": PAYLOAD, "address": PAYLOAD, "window": PAYLOAD, "hours": PAYLOAD,
                    "phone": PAYLOAD, "transport": PAYLOAD}],
        consult=[{"type": "网站", "value": "javascript:alert(6)", "note": PAYLOAD}],
        complaint=[{"type": "电话", "value": PAYLOAD, "note": PAYLOAD}],
        faq=[{"q": PAYLOAD, "a": PAYLOAD}],
    )
    demo.matter(data)
    result = demo.check()
    assert not result.errors, [d.text() for d in result.errors]
    catalog = result.catalog
    page = pages.matter_page(catalog.matters["demo-matter"], catalog, TODAY, True)
    everything = page.markdown()
    tags = Tags.of(page.body)
    assert not [t for t, _ in tags if t in ("script", "img", "iframe")]
    assert not [(t, a) for t, attrs in tags for a, _ in attrs if a.startswith("on")]
    assert not [(t, v) for t, attrs in tags for a, v in attrs if a in ("href", "src") and v.lower().startswith("javascript")]
    assert "<script>" not in everything
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.body
    assert "[点我](javascript:alert(3))" in page.body  # literal, not a link
    assert "&#39;onmouseover=&#39;" in page.body or "&#x27;onmouseover" in page.body
    for other in pages.all_pages(catalog, "示例", TODAY, True):
        assert "<script>" not in other.markdown()
