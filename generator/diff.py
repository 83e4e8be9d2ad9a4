"""`guide diff`: what changed in substance between two versions of the matters.

Both sides are turned into the normalised model first and the models are compared, so
reordering keys, changing quotes or comments, or re-wrapping text reports nothing. What a
reviewer cares about (time limits, fees, materials, visits, channels, locations, legal
basis) is described item by item; anything else that changed is named by its field.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path, PurePosixPath

from . import facts, schema
from .diagnostics import GuideError
from .gitrepo import Repo
from .load import load_bytes
from .model import Matter, build_department, build_matter

# Fields described in detail below; the rest are compared whole and named by title.
DETAILED = {"name", "time_limit", "fees", "materials", "visits", "channels", "locations", "legal_basis",
            "conditions", "status", "summary"}
# Not substantive for a reviewer: bookkeeping, or derived from the path.
IGNORED = {"updated", "review_by", "id", "department", "source", "inherited", "codes"}


@dataclass
class MatterDiff:
    matter_id: str
    name: str
    kind: str  # 新增, 删除, 修改
    changes: list[str] = field(default_factory=list)


# --- building models from file contents -------------------------------------------------

def build_models(blobs: dict[str, bytes]) -> dict[str, Matter]:
    """Models of every matter file that loads and passes the schema; others are skipped
    (the validator is where their problems are reported)."""
    departments = {}
    for path, data in blobs.items():
        if PurePosixPath(path).name == "_department.yaml":
            doc = _load(path, data, schema.DEPARTMENT)
            if doc is not None:
                departments[doc.data["code"]] = build_department(doc)
    matters = {}
    for path, data in sorted(blobs.items()):
        if PurePosixPath(path).name == "_department.yaml":
            continue
        doc = _load(path, data, schema.MATTER)
        if doc is not None and doc.data["department"] in departments:
            matter = build_matter(doc, departments[doc.data["department"]])
            matters.setdefault(matter.id, matter)
    return matters


def _load(path: str, data: bytes, kind: str):
    try:
        doc = load_bytes(data, Path(path), path)
    except GuideError:
        return None
    return None if schema.check(doc, kind) else doc


def models_at(repo: Repo, rev: str | None, matters_dir: Path) -> dict[str, Matter]:
    """The matters at a git revision, or in the working tree when `rev` is None."""
    if rev is None:
        blobs = {str(p.relative_to(matters_dir)): p.read_bytes() for p in matters_dir.rglob("*.yaml")}
        return build_models(blobs)
    under = repo.relative(matters_dir)
    blobs = {}
    for path in repo.files(rev, under):
        if path.endswith(".yaml"):
            blobs[path[len(under) + 1:]] = repo.read(rev, path) or b""
    return build_models(blobs)


# --- comparing ------------------------------------------------------------------------

def compare(old: dict[str, Matter], new: dict[str, Matter]) -> list[MatterDiff]:
    result = []
    for matter_id in sorted(set(old) | set(new)):
        if matter_id not in old:
            result.append(MatterDiff(matter_id, new[matter_id].name, "新增"))
        elif matter_id not in new:
            result.append(MatterDiff(matter_id, old[matter_id].name, "删除"))
        else:
            changes = matter_changes(old[matter_id], new[matter_id])
            if changes:
                result.append(MatterDiff(matter_id, new[matter_id].name, "修改", changes))
    return result


def matter_changes(a: Matter, b: Matter) -> list[str]:
    changes: list[str] = []
    if a.name != b.name:
        changes.append(f"事项名称：{a.name} → {b.name}")
    if a.status != b.status:
        changes.append(f"状态：{a.status} → {b.status}")
    changes += _time_changes(a, b)
    if a.visits != b.visits:
        changes.append(f"到现场次数：{facts.visits_words(a.visits)} → {facts.visits_words(b.visits)}")
    changes += _keyed(a.fees, b.fees, "收费", lambda f: f.name, facts.fee_words,
                      lambda f: (f.standard, f.amount, f.basis, f.waiver))
    changes += _keyed(a.materials, b.materials, "材料", lambda m: m.name,
                      lambda m: f"{m.name}（{facts.material_form_words(m.form, m.copies)}，{m.necessity}）",
                      lambda m: (m.form, m.copies, m.necessity, m.source, m.issuer, m.scenarios, m.note))
    changes += _keyed(a.channels, b.channels, "办理方式", lambda c: c.type,
                      lambda c: c.type + (f"（{c.url}）" if c.url else ""), lambda c: (c.url, c.note))
    changes += _keyed(a.locations, b.locations, "办理地点", lambda loc: loc.name,
                      lambda loc: f"{loc.name}（{loc.address}）", lambda loc: (loc.address, loc.window, loc.hours, loc.phone))
    changes += _keyed(a.legal_basis, b.legal_basis, "设定依据", lambda x: f"{x.law} {x.article}".strip(),
                      lambda x: f"{x.law} {x.article}".strip(), lambda x: (x.text, x.doc_number, x.url))
    changes += _keyed(a.conditions, b.conditions, "受理条件", lambda c: c, lambda c: c, lambda c: ())
    if a.summary != b.summary:
        changes.append("通俗说明有修改")
    for name in _other_fields(a):
        if getattr(a, name) != getattr(b, name):
            changes.append(f"{schema.field_title(schema.MATTER, (name,))}有修改")
    return changes


def _time_changes(a: Matter, b: Matter) -> list[str]:
    ta, tb = a.time_limit, b.time_limit
    out = []
    if ta.case_type != tb.case_type:
        out.append(f"办件类型：{ta.case_type} → {tb.case_type}")
    if ta.promised != tb.promised:
        out.append(f"承诺时限：{_duration(ta.promised)} → {_duration(tb.promised)}")
    if ta.legal != tb.legal:
        out.append(f"法定时限：{_duration(ta.legal)} → {_duration(tb.legal)}")
    if ta.note != tb.note:
        out.append("时限说明有修改")
    return out


def _duration(d) -> str:
    if d is None:
        return "无"
    return d.text() if d.value else f"0 个{d.unit}（当场办结）"


def _keyed(old, new, title, key, describe, details) -> list[str]:
    """Added, removed and changed items of a list, matched by `key`."""
    old_by = {key(x): x for x in old}
    new_by = {key(x): x for x in new}
    out = [f"{title}：新增“{describe(x)}”" for k, x in new_by.items() if k not in old_by]
    out += [f"{title}：删除“{describe(x)}”" for k, x in old_by.items() if k not in new_by]
    out += [f"{title}：“{describe(old_by[k])}”改为“{describe(x)}”" if describe(old_by[k]) != describe(x)
            else f"{title}：“{describe(x)}”的说明有修改"
            for k, x in new_by.items() if k in old_by and (details(old_by[k]) != details(x))]
    return out


def _other_fields(m: Matter) -> list[str]:
    return [f.name for f in fields(m) if f.name not in DETAILED | IGNORED]


# --- printing -------------------------------------------------------------------------

def render_text(diffs: list[MatterDiff]) -> str:
    if not diffs:
        return "没有实质变化（只改了格式、顺序或注释）。\n"
    lines = []
    for d in diffs:
        lines.append(f"{d.kind} {d.name}（{d.matter_id}）")
        lines += [f"  · {c}" for c in d.changes]
    lines.append(f"共 {len(diffs)} 个事项有实质变化。")
    return "\n".join(lines) + "\n"


def render_markdown(diffs: list[MatterDiff]) -> str:
    if not diffs:
        return "### 事项变更\n\n没有实质变化（只改了格式、顺序或注释）。\n"
    lines = ["### 事项变更", "", f"共 {len(diffs)} 个事项有实质变化。", ""]
    for d in diffs:
        lines.append(f"**{d.kind}** {_md(d.name)}（`{d.matter_id}`）")
        lines += [f"- {_md(c)}" for c in d.changes]
        lines.append("")
    return "\n".join(lines)


def _md(text: str) -> str:
    """Keep Markdown and HTML in data from turning into markup in a pull-request comment."""
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def one_line(d: MatterDiff) -> str:
    """A short summary for a citizen's change history."""
    if d.kind == "新增":
        return "首次发布"
    text = "；".join(d.changes)
    return text if len(text) <= 120 else text[:118] + "……"
