"""Render the site's pages as Markdown files for MkDocs, from the model only.

Each page is front matter plus one block of HTML produced by a Jinja template with
autoescaping on, so every text from YAML reaches the browser as inert text. Python-Markdown
passes a block of raw HTML through untouched, so nothing in a field is read as Markdown.
Views (the small dicts templates receive) are computed here: templates only place them.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import facts, flow
from .model import Catalog, Matter

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass
class Page:
    """One page of the site: where its Markdown goes, its URL, and what it says."""

    source: str  # path under docs/, e.g. matters/dibao.md
    title: str
    body: str
    kind: str  # matter, department, home, …: lets site_overrides pick layout details
    description: str = ""
    hide: tuple[str, ...] = ("navigation", "toc")
    extra: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Directory URL relative to the site root, as MkDocs makes it (use_directory_urls)."""
        stem = self.source.removesuffix(".md")
        if stem == "index":
            return ""
        return stem.removesuffix("/index") + "/"

    def markdown(self) -> str:
        # Material prints page.meta.title and description without escaping: escape them here.
        front = {
            "title": html.escape(self.title),
            "hide": list(self.hide),
            "guide_page": self.kind,
            **self.extra,
        }
        if self.description:
            front["description"] = html.escape(" ".join(self.description.split()))
        return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=True) + "---\n\n" + self.body + "\n"


def relative(from_url: str, to: str) -> str:
    """Link from the page at `from_url` (a directory URL) to `to` (a directory URL or a file)."""
    target = posixpath.relpath(to or ".", from_url or ".")
    is_directory = to == "" or to.endswith("/")
    if target == ".":
        return "./"
    return target + "/" if is_directory else target


def matter_url(matter_id: str) -> str:
    return f"matters/{matter_id}/"


def department_url(code: str) -> str:
    return f"departments/{code}/"


def topic_url(topic: str) -> str:
    return f"topics/{facts.slug(topic)}/"


def pdf_url(matter_id: str) -> str:
    return f"pdf/{matter_id}.pdf"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    return env


_ENV = _environment()


def _html(template: str, here: str, **context) -> str:
    """Render a template for the page at `here`; `link(to)` gives relative links."""
    rendered = _ENV.get_template(template).render(link=lambda to: relative(here, to), **context)
    # No blank or indented lines: Markdown must see one raw HTML block, never a code block.
    return "\n".join(line.strip() for line in rendered.splitlines() if line.strip())


# --- views ----------------------------------------------------------------------------

def card(matter: Matter) -> dict:
    """What a list entry says about a matter."""
    return {
        "id": matter.id,
        "url": matter_url(matter.id),
        "name": matter.name,
        "department": matter.department.name,
        "type": matter.type,
        "promised": facts.promised_words(matter.time_limit),
        "visits": facts.visits_words(matter.visits),
        "fees": "不收费" if matter.free else "收费",
        "online": matter.online,
        "status": matter.status if not matter.active else "",
    }


def by_pinyin(matters) -> list[Matter]:
    return sorted(matters, key=lambda m: (facts.pinyin_key(m.name), m.id))


def matter_view(matter: Matter, catalog: Catalog, today: dt.date, with_pdf: bool, history=None) -> dict:
    tl = matter.time_limit
    key_facts = [
        ("办件类型", tl.case_type),
        ("承诺时限", facts.promised_words(tl)),
        ("法定时限", facts.legal_words(tl)),
        ("到现场次数", facts.visits_words(matter.visits)),
        ("收费", facts.fees_summary(matter)),
    ]
    if matter.scenarios:
        material_groups = [(s.name, s.description, matter.materials_for(s.id)) for s in matter.scenarios]
    else:
        material_groups = [("", "", matter.materials)]
    return {
        "m": matter,
        "status_notice": facts.status_notice(matter),
        "stale": matter.stale(today),
        "key_facts": key_facts,
        "visit_reason": matter.visit_reason if matter.visits else "",
        "material_groups": material_groups,
        "form_words": facts.material_form_words,
        "flow_svg": flow.render(matter.process),
        "complaint": facts.hotline_first(matter.complaint),
        "hotline": facts.HOTLINE,
        "has_hotline": facts.has_hotline(matter.complaint),
        "remedies": facts.remedies_words(matter),
        "prerequisites": [card(catalog.matters[i]) for i in matter.prerequisites],
        "needed_by": [card(m) for m in by_pinyin(catalog.prerequisite_of(matter.id))],
        "related": [card(catalog.matters[i]) for i in matter.related],
        "department_url": department_url(matter.department.code),
        "topic_links": [(t, topic_url(t)) for t in matter.topics],
        "pdf": pdf_url(matter.id) if with_pdf else "",
        # None: the build could not read the history (shallow clone, no git); then the page says so.
        "history": history,
        "filters": {
            "部门": [matter.department.name],
            "事项类型": [matter.type],
            "服务对象": list(matter.audience),
            "收费": ["不收费" if matter.free else "收费"],
            "到现场次数": [facts.visits_filter(matter.visits)],
            "网上可办": ["是" if matter.online else "否"],
        },
    }


# --- pages ----------------------------------------------------------------------------

def matter_page(matter: Matter, catalog: Catalog, today: dt.date, with_pdf: bool, history=None) -> Page:
    source = f"matters/{matter.id}.md"
    view = matter_view(matter, catalog, today, with_pdf, history)
    return Page(source, matter.name, _html("matter.html", matter_url(matter.id), **view), "matter",
                description=matter.summary)


def department_pages(catalog: Catalog) -> list[Page]:
    pages = []
    for code, department in catalog.departments.items():
        matters = [card(m) for m in by_pinyin(catalog.of_department(code))]
        body = _html("department.html", department_url(code), department=department, matters=matters)
        pages.append(Page(f"departments/{code}.md", department.name, body, "department",
                          description=f"{department.name}的办事指南，共 {len(matters)} 个事项。"))
    listing = [(d, department_url(c), len(catalog.of_department(c))) for c, d in catalog.departments.items()]
    body = _html("departments.html", "departments/", departments=listing)
    pages.append(Page("departments/index.md", "按部门查找", body, "departments"))
    return pages


def topic_pages(catalog: Catalog) -> list[Page]:
    groups: dict[str, list[Matter]] = defaultdict(list)
    for matter in catalog.matters.values():
        for topic in matter.topics:
            groups[topic].append(matter)
    topics = sorted(groups, key=facts.pinyin_key)
    pages = []
    for topic in topics:
        here = topic_url(topic)
        body = _html("list.html", here, heading=topic, intro=f"服务主题“{topic}”下的事项。",
                     matters=[card(m) for m in by_pinyin(groups[topic])])
        pages.append(Page(f"topics/{facts.slug(topic)}.md", topic, body, "topic"))
    listing = [(t, topic_url(t), len(groups[t])) for t in topics]
    pages.append(Page("topics/index.md", "按主题查找", _html("topics.html", "topics/", topics=listing), "topics"))
    return pages


AUDIENCE_PAGES = (("个人", "geren", "个人办事", "自然人可以申请的事项。"),
                  ("法人", "faren", "法人办事", "企业、事业单位、社会组织等可以申请的事项。"))


def audience_pages(catalog: Catalog) -> list[Page]:
    pages = []
    for group, slug_, title, intro in AUDIENCE_PAGES:
        matters = [m for m in catalog.matters.values() if group in facts.audience_groups(m)]
        body = _html("list.html", f"audience/{slug_}/", heading=title, intro=intro,
                     matters=[card(m) for m in by_pinyin(matters)])
        pages.append(Page(f"audience/{slug_}.md", title, body, "audience"))
    return pages


def az_page(catalog: Catalog) -> Page:
    letters: dict[str, list[dict]] = defaultdict(list)
    for matter in by_pinyin(catalog.matters.values()):
        letters[facts.initial(matter.name)].append(card(matter))
    groups = sorted(letters.items(), key=lambda item: (item[0] == "#", item[0]))
    return Page("az.md", "A–Z 事项索引", _html("az.html", "az/", groups=groups), "az")


def home_page(catalog: Catalog, site_name: str) -> Page:
    topics = defaultdict(int)
    for matter in catalog.matters.values():
        for topic in matter.topics:
            topics[topic] += 1
    audiences = []
    for group, slug_, title, intro in AUDIENCE_PAGES:
        count = sum(group in facts.audience_groups(m) for m in catalog.matters.values())
        audiences.append((title, f"audience/{slug_}/", intro, count))
    body = _html(
        "home.html", "",
        site_name=site_name,
        audiences=audiences,
        topics=[(t, topic_url(t), topics[t]) for t in sorted(topics, key=facts.pinyin_key)],
        departments=[(d, department_url(c), len(catalog.of_department(c))) for c, d in catalog.departments.items()],
        count=len(catalog.matters),
    )
    return Page("index.md", site_name, body, "home", hide=("navigation", "toc"),
                description=f"{site_name}：{len(catalog.matters)} 个事项的办事指南，带什么、去哪里、多久办完、收不收费，一次看清。")


def search_page() -> Page:
    return Page("search.md", "搜索事项", _html("search.html", "search/"), "search")


def all_pages(catalog: Catalog, site_name: str, today: dt.date, with_pdf: bool,
              histories: dict | None = None) -> list[Page]:
    """Every page of the site. `histories` maps matter ids to their change entries (None when
    the git history could not be read)."""
    pages = [home_page(catalog, site_name), search_page(), az_page(catalog)]
    pages += audience_pages(catalog) + topic_pages(catalog) + department_pages(catalog)
    pages += [matter_page(m, catalog, today, with_pdf, None if histories is None else histories.get(m.id, []))
              for m in catalog.matters.values()]
    return pages


def write(pages: list[Page], docs: Path) -> None:
    for page in pages:
        target = docs / page.source
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown(), encoding="utf-8")
