"""Rules between fields, from the data contract (shared/DOMAIN.md, "Rules between fields").

One rule = one small function with a stable id, a severity and a Chinese message. Errors
make data unusable or misleading and stop a build; warnings are quality problems that
real published guides have, so they are reported but never block publication.

Matter rules see one normalised Matter (department defaults already merged) and yield
Findings: the path of the field concerned and the message. Catalog rules see all matters.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Callable, Iterator

from .diagnostics import ERROR, WARNING
from .model import Matter


@dataclass(frozen=True)
class Finding:
    path: tuple  # the field the message is about, shown by its Chinese title
    message: str
    matter: Matter | None = None  # set by catalog rules: which file the finding belongs to
    at: tuple | None = None  # where to point, when more precise than `path`


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str
    check: Callable


MATTER_RULES: list[Rule] = []
CATALOG_RULES: list[Rule] = []


def matter_rule(rule_id: str, severity: str, summary: str):
    def register(check: Callable[[Matter, dt.date], Iterator[Finding]]):
        MATTER_RULES.append(Rule(rule_id, severity, summary, check))
        return check
    return register


def catalog_rule(rule_id: str, severity: str, summary: str):
    def register(check: Callable[[list[Matter]], Iterator[Finding]]):
        CATALOG_RULES.append(Rule(rule_id, severity, summary, check))
        return check
    return register


# --- errors ---------------------------------------------------------------------------

@matter_rule("R-promised-exceeds-legal", ERROR, "承诺办结时限不得超过法定办结时限")
def promised_exceeds_legal(m: Matter, today: dt.date):
    promised, legal = m.time_limit.promised, m.time_limit.legal
    if legal is None:
        return
    if promised.unit == legal.unit and promised.value > legal.value:
        yield Finding(("time_limit",), f"承诺办结时限（{promised.text()}）超过法定办结时限（{legal.text()}）",
                      at=("time_limit", "promised"))
    # N working days always span at least N calendar days, so this case is certain; the
    # opposite mix (calendar promised, working legal) depends on holidays and is not judged.
    elif promised.unit == "工作日" and legal.unit == "自然日" and promised.value > legal.value:
        yield Finding(("time_limit",), f"承诺办结时限（{promised.text()}）超过法定办结时限（{legal.text()}）："
                      f"{promised.value} 个工作日至少是 {promised.value} 个自然日", at=("time_limit", "promised"))


@matter_rule("R-fee-without-basis", ERROR, "每个收费项目都必须写明收费依据")
def fee_without_basis(m: Matter, today: dt.date):
    for i, fee in enumerate(m.fees):
        if not fee.basis:
            yield Finding(("fees", i), f"收费项目“{fee.name}”没有写明收费依据（basis）。没有依据的收费不能公布。")


@matter_rule("R-zero-visit-without-remote-channel", ERROR, "零跑动事项必须有不用到现场的办理方式")
def zero_visit_without_remote_channel(m: Matter, today: dt.date):
    if m.visits == 0 and not m.remote:
        yield Finding(("visits",), "为 0（零跑动），但办理形式中没有网上办理、快递申请或移动端。"
                                   "请补充这样的办理方式，或改正到现场次数。")


@matter_rule("R-no-complaint-channel", ERROR, "必须有至少一种监督投诉方式（事项或部门）")
def no_complaint_channel(m: Matter, today: dt.date):
    if not m.complaint:
        yield Finding(("complaint",), "没有监督投诉方式：本事项和部门文件（_department.yaml）都没有填写。"
                                      "请至少填写 12345 政务服务便民热线。")


@matter_rule("R-updated-in-future", ERROR, "更新日期不能晚于今天")
def updated_in_future(m: Matter, today: dt.date):
    if m.updated > today:
        yield Finding(("updated",), f"{m.updated.isoformat()} 晚于今天（{today.isoformat()}），请填写实际核对的日期。")


@matter_rule("R-id-filename", ERROR, "事项标识必须与文件名相同")
def id_matches_filename(m: Matter, today: dt.date):
    stem = m.source.path.stem
    if m.id != stem:
        yield Finding(("id",), f"事项标识“{m.id}”与文件名“{m.source.path.name}”不一致。"
                               f"请把标识改为“{stem}”，或把文件改名为“{m.id}.yaml”。")


@matter_rule("R-department-directory", ERROR, "实施机关代码必须与所在目录相同")
def department_matches_directory(m: Matter, today: dt.date):
    directory = m.source.path.parent.name
    if m.department.code != directory:
        yield Finding(("department",), f"实施机关“{m.department.code}”与所在目录“{directory}”不一致。"
                                       "事项文件必须放在本部门的目录下。")


@matter_rule("R-unknown-scenario", ERROR, "材料的适用情形必须在办理情形中定义")
def unknown_scenario(m: Matter, today: dt.date):
    defined = [s.id for s in m.scenarios]
    for i, material in enumerate(m.materials):
        for j, scenario in enumerate(material.scenarios):
            if scenario not in defined:
                known = "、".join(defined) if defined else "（本事项没有定义办理情形 scenarios）"
                yield Finding(("materials", i, "scenarios", j),
                              f"材料“{material.name}”的适用情形“{scenario}”没有在办理情形中定义。已定义：{known}。")


# --- warnings -------------------------------------------------------------------------

@matter_rule("R-instant-not-zero", WARNING, "即办件的承诺时限应为 0")
def instant_not_zero(m: Matter, today: dt.date):
    if m.time_limit.instant and m.time_limit.promised.value != 0:
        yield Finding(("time_limit", "promised"),
                      f"即办件应当场办结，承诺办结时限应为 0，这里是 {m.time_limit.promised.text()}。"
                      "如果不能当场办结，请把办件类型改为承诺件。")


@matter_rule("R-steps-exceed-promised", WARNING, "各步骤时限合计不应超过承诺时限")
def steps_exceed_promised(m: Matter, today: dt.date):
    days = [s.days for s in m.process if s.days is not None]
    promised = m.time_limit.promised
    if days and sum(days) > promised.value:
        yield Finding(("process",), f"各步骤时限合计 {sum(days)} 天，超过承诺办结时限（{promised.text()}）。")


@matter_rule("R-visit-without-reason", WARNING, "需要到现场时应说明原因")
def visit_without_reason(m: Matter, today: dt.date):
    if m.visits > 0 and not m.visit_reason:
        yield Finding(("visits",), f"需要到现场 {m.visits} 次，但没有写到现场原因（visit_reason），如“须本人签字确认”。")


@matter_rule("R-basis-without-article", WARNING, "设定依据应写明具体条款")
def basis_without_article(m: Matter, today: dt.date):
    for i, basis in enumerate(m.legal_basis):
        if not basis.article:
            yield Finding(("legal_basis", i), f"依据“{basis.law}”没有写具体条款（article），如“第十二条”。")


def _material_key(name: str) -> str:
    return re.sub(r"[\s《》“”\"'（）()、，,。.]", "", name)


@matter_rule("R-duplicate-material", WARNING, "同一材料不应重复列出")
def duplicate_material(m: Matter, today: dt.date):
    seen: dict[str, int] = {}
    for i, material in enumerate(m.materials):
        key = _material_key(material.name)
        if key in seen:
            first = m.materials[seen[key]]
            overlap = not first.scenarios or not material.scenarios or set(first.scenarios) & set(material.scenarios)
            if overlap:
                yield Finding(("materials", i, "name"), f"材料“{material.name}”与第 {seen[key] + 1} 项重复。")
                continue
        seen.setdefault(key, i)


@matter_rule("R-issued-without-issuer", WARNING, "政府部门核发的材料应写明出具单位")
def issued_without_issuer(m: Matter, today: dt.date):
    for i, material in enumerate(m.materials):
        if material.source == "政府部门核发" and not material.issuer:
            yield Finding(("materials", i, "source"), f"材料“{material.name}”由政府部门核发，但没有写出具单位（issuer），群众不知道去哪里开。")


_CATCH_ALL = re.compile(r"(规定|要求)的其他(条件|情形|材料)|其他(相关)?(条件|材料)$")
_PLACEHOLDERS = {"无", "暂无", "详见窗口", "见窗口", "咨询窗口", "详询窗口", "略", "待定", "同上", "另行通知", "以窗口为准", "-", "/", "待补充"}


def _texts(value, path: tuple = ()):
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _texts(child, path + (key,))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _texts(child, path + (i,))
    elif isinstance(value, str):
        yield path, value


@matter_rule("R-vague-text", WARNING, "不应使用兜底条件或占位文字")
def vague_text(m: Matter, today: dt.date):
    for i, condition in enumerate(m.conditions):
        if _CATCH_ALL.search(condition):
            yield Finding(("conditions", i), f"“{condition}”是兜底条款，群众无法据此准备。请写明具体条件。")
    for path, text in _texts(m.source.data):
        if text.strip().strip("。.；;") in _PLACEHOLDERS:
            yield Finding(path, f"“{text.strip()}”是占位文字。请写明具体内容；确实没有时删除这个字段。")


@matter_rule("R-review-overdue", WARNING, "已过复核日期，内容可能过时")
def review_overdue(m: Matter, today: dt.date):
    if m.stale(today):
        yield Finding(("review_by",), f"{m.review_by.isoformat()} 已过，请重新核对内容并更新日期。")


@matter_rule("R-permit-without-faq", WARNING, "行政许可事项应有常见问题")
def permit_without_faq(m: Matter, today: dt.date):
    if m.type == "行政许可" and not m.faq:
        yield Finding(("faq",), "行政许可事项没有常见问题（faq）。请至少写出群众最常问的一两个问题。")


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


@matter_rule("R-consult-equals-complaint-phone", WARNING, "咨询电话不应与投诉电话相同")
def consult_equals_complaint_phone(m: Matter, today: dt.date):
    consult = {_digits(c.value) for c in m.consult if c.type == "电话"}
    for i, contact in enumerate(m.complaint):
        if contact.type == "电话" and _digits(contact.value) in consult:
            yield Finding(("complaint", i), f"投诉电话 {contact.value} 与咨询电话相同。"
                                            "投诉渠道应独立于办理窗口，如 12345 热线或纪检监察电话。")


# --- rules across all matters ---------------------------------------------------------

@catalog_rule("R-duplicate-id", ERROR, "事项标识不能重复")
def duplicate_id(matters: list[Matter]):
    first: dict[str, Matter] = {}
    for m in matters:
        if m.id in first:
            yield Finding(("id",), f"事项标识“{m.id}”已被 {first[m.id].source.display} 使用。标识必须全局唯一。", m)
        else:
            first[m.id] = m


@catalog_rule("R-unknown-reference", ERROR, "前置事项和关联事项必须存在")
def unknown_reference(matters: list[Matter]):
    ids = {m.id for m in matters}
    for m in matters:
        for key, title in (("prerequisites", "前置事项"), ("related", "关联事项")):
            for i, ref in enumerate(getattr(m, key)):
                if ref not in ids:
                    guess = difflib.get_close_matches(ref, sorted(ids), n=1, cutoff=0.6)
                    hint = f"是不是“{guess[0]}”？" if guess else "请检查拼写，或先添加该事项。"
                    yield Finding((key, i), f"{title}“{ref}”不存在。{hint}", m)


@catalog_rule("R-prerequisite-cycle", ERROR, "事项不能互为前置")
def prerequisite_cycle(matters: list[Matter]):
    by_id = {m.id: m for m in matters}
    reported: set[frozenset] = set()
    for start in sorted(by_id):
        cycle = _find_cycle(start, by_id)
        if cycle and frozenset(cycle) not in reported:
            reported.add(frozenset(cycle))
            m = by_id[cycle[0]]
            index = m.prerequisites.index(cycle[1] if len(cycle) > 1 else cycle[0])
            chain = " → ".join(cycle + [cycle[0]])
            yield Finding(("prerequisites", index), f"前置事项形成循环（互为前置）：{chain}。群众将无法办成其中任何一项。", m)


def _find_cycle(start: str, by_id: dict[str, Matter]) -> list[str] | None:
    """The cycle through `start` that a depth-first walk finds first, as a list of ids."""
    stack = [(start, [start])]
    visited = set()
    while stack:
        current, trail = stack.pop()
        for nxt in sorted(by_id[current].prerequisites, reverse=True):
            if nxt == start:
                return trail
            if nxt in by_id and nxt not in visited:
                visited.add(nxt)
                stack.append((nxt, trail + [nxt]))
    return None
