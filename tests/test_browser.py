"""The built site in a real browser: Debian's Chromium driven by Playwright, against a local
server. Search quality, filters, header search, accessibility, phone width, no-JS, safety."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import build_site, matter

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

# What citizens type → the matter they mean. Official names, partial names, colloquial words.
QUERIES = [
    ("低保", "dibao"),
    ("最低生活保障", "dibao"),
    ("低保金", "dibao"),
    ("开店", "gtgsh-sl"),
    ("营业执照", "gtgsh-sl"),
    ("个体工商户", "gtgsh-sl"),
    ("个体户", "gtgsh-sl"),
    ("注册公司", "gs-sl"),
    ("有限责任公司", "gs-sl"),
    ("身份证", "sfz-hl"),
    ("换身份证", "sfz-hl"),
    ("护照", "hz-bl"),
    ("办护照", "hz-bl"),
    ("结婚", "jhdj"),
    ("结婚证", "jhdj"),
    ("上户口", "hk-csdj"),
    ("出生登记", "hk-csdj"),
    ("新生儿", "hk-csdj"),
    ("失业金", "sybx-sq"),
    ("失业保险金申领", "sybx-sq"),
    ("社保证明", "cbzm-dy"),
    ("参保证明", "cbzm-dy"),
    ("工规证", "gcgh-xk"),
    ("施工许可证", "sgxk"),
    ("食品经营许可", "spjy-xk"),
    ("开饭店", "spjy-xk"),
    ("用地规划许可", "ydgh-xk"),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path):
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def base(sample_site):
    server, url = serve(sample_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("需要 Debian 的 chromium（make test 会安装）：apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def search(page, base: str, query: str) -> list[str]:
    page.goto(f"{base}search/?q={quote(query)}")
    return results(page)


def results(page) -> list[str]:
    page.wait_for_function("() => /^(找到|没有找到)/.test(document.querySelector('.guide-search__status').textContent)")
    return page.eval_on_selector_all(".guide-search__list a", "links => links.map(a => a.getAttribute('href'))")


def test_the_query_set_finds_each_matter_in_the_top_three(page, base):
    assert len(QUERIES) >= 20
    misses = []
    for query, expected in QUERIES:
        top = search(page, base, query)[:3]
        if not any(link.rstrip("/").endswith(f"/matters/{expected}") for link in top):
            misses.append(f"{query} → {top}")
    assert not misses, misses


def test_results_show_name_department_and_snippet(page, base):
    search(page, base, "低保")
    first = page.locator(".guide-search__list li").first
    assert first.locator(".guide-search__title").inner_text() == "最低生活保障审核确认"
    assert "示例市示范区民政局" in first.locator(".guide-search__meta").inner_text()
    assert first.locator(".guide-search__excerpt mark").count() >= 1


def test_a_filter_narrows_the_results(page, base):
    before = search(page, base, "登记")
    assert len(before) >= 3
    page.get_by_label("示例市公安局示范区分局", exact=False).first.check()
    page.wait_for_function(f"() => document.querySelectorAll('.guide-search__list li').length < {len(before)}")
    after = results(page)
    assert 0 < len(after) < len(before)
    departments = page.eval_on_selector_all(".guide-search__meta", "els => els.map(e => e.textContent)")
    assert all("公安局" in d for d in departments)


def test_searching_from_a_matter_pages_header(page, base):
    page.goto(f"{base}matters/dibao/")
    page.fill("#header-search", "护照")
    page.press("#header-search", "Enter")
    page.wait_for_url("**/search/?q=*")
    assert any("/matters/hz-bl" in link for link in results(page)[:3])


def test_search_ui_is_chinese(page, base):
    search(page, base, "火星移民")
    assert page.inner_text(".guide-search__status").startswith("没有找到")
    legends = page.eval_on_selector_all(".guide-search__filters legend", "els => els.map(e => e.textContent)")
    assert legends == [] or set(legends) <= {"部门", "事项类型", "服务对象", "收费", "到现场次数", "网上可办"}


@pytest.mark.parametrize("path", ["", "departments/gaj/", "matters/hz-bl/", "search/?q=%E4%BD%8E%E4%BF%9D"])
def test_no_serious_accessibility_violations(page, base, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(base + path)
    if "search" in path:
        results(page)
    violations = Axe().run(page).response["violations"]
    serious = [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, serious


@pytest.mark.parametrize("path", ["", "matters/dibao/", "matters/gtgsh-sl/", "matters/hz-bl/", "departments/scjg/",
                                  "az/", "topics/", "search/?q=%E4%BD%8E%E4%BF%9D"])
def test_no_horizontal_scrolling_at_375px(browser, base, path):
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 375, f"{path}: {width}px"


def test_pages_work_without_javascript(browser, base):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}matters/gtgsh-sl/")
    assert page.locator("h1").inner_text() == "个体工商户设立登记"
    assert page.locator("table.guide-materials").first.is_visible()
    assert page.locator("svg.guide-flow").is_visible()
    assert page.get_by_text("12345").first.is_visible()
    page.click("text=示例市示范区市场监督管理局")
    assert page.url.endswith("/departments/scjg/")
    page.goto(base)
    page.click("text=个人办事")
    assert "最低生活保障审核确认" in page.inner_text("article")
    context.close()


def test_print_layout_is_clean(page, base):
    page.goto(f"{base}matters/hz-bl/")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.guide-header-search', '.guide-jump']
        .map(s => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden == ["none", "none", "none"]
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_every_payload_stays_inert_text(browser, tmp_path, folder):
    marker = "window.__xss=1"
    payload = (f'<script>{marker}</script><img src=x onerror="{marker}">'
               f'[点我](javascript:{marker})<svg onload="{marker}">')
    folder.department()
    data = matter(
        name="安全测试" + payload, aliases=[payload], summary=payload, conditions=[payload],
        visit_reason=payload, co_agencies=[payload],
        legal_basis=[{"law": payload, "article": payload, "text": payload}],
        materials=[{"name": payload, "form": "原件", "note": payload, "issuer": payload}],
        process=[{"name": payload, "actor": payload, "description": payload, "days": 1}],
        channels=[{"type": "网上办理", "url": f'https://example.com/"><script>{marker}</script>', "note": payload}],
        fees=[{"name": payload, "standard": payload, "basis": payload, "waiver": payload}],
        result={"name": payload, "type": "证照", "delivery": payload},
        locations=[{"name": payload, "address": payload, "hours": payload, "phone": payload, "transport": payload}],
        consult=[{"type": "电话", "value": payload}],
        complaint=[{"type": "电话", "value": "12345", "note": payload}],
        faq=[{"q": payload, "a": payload}],
        topics=[payload],
    )
    folder.matter(data)
    out = tmp_path / "site"
    build_site(folder.root, out, with_pdf=False)
    server, url = serve(out)
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        for path in ["matters/demo-matter/", "", "departments/demo/", "az/", f"search/?q={quote('安全测试')}"]:
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            if path.startswith("search"):
                results(page)
            assert page.evaluate("window.__xss") is None, path
        page.goto(url + "matters/demo-matter/")
        assert f"<script>{marker}</script>" in page.inner_text("h1")
        assert page.locator(".guide-summary").inner_text().startswith("<script>")
        assert page.locator("article script:not([src])").count() == 0
    finally:
        context.close()
        server.shutdown()
    assert not dialogs
