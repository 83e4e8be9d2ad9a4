"""The one normalised model every renderer reads.

Built only from files that passed the schema. Department defaults (locations, consult,
complaint, remedies) are merged here, and optional values get their defaults here, so
that no renderer or template ever has to know a default or a business rule.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, fields
from functools import cached_property

from .load import Document

# Channels that let someone apply without going to a window, and those that are online.
REMOTE_CHANNELS = ("网上办理", "快递申请", "移动端")
ONLINE_CHANNELS = ("网上办理", "移动端")
# Defaults from 行政复议法 (60 days) and 行政诉讼法 (6 months) when nothing more specific is given.
DEFAULT_REVIEW_DAYS = 60
DEFAULT_LITIGATION_MONTHS = 6


@dataclass(frozen=True)
class Duration:
    value: int
    unit: str  # 工作日 or 自然日

    def text(self) -> str:
        return f"{self.value} 个{self.unit}"


@dataclass(frozen=True)
class TimeLimit:
    case_type: str  # 即办件 or 承诺件
    promised: Duration
    legal: Duration | None = None
    note: str = ""

    @property
    def instant(self) -> bool:
        return self.case_type == "即办件"


@dataclass(frozen=True)
class Scenario:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class LegalBasis:
    law: str
    doc_number: str = ""
    article: str = ""
    text: str = ""
    url: str = ""


@dataclass(frozen=True)
class Material:
    name: str
    form: str
    copies: int = 1
    necessity: str = "必要"
    source: str = "申请人自备"
    issuer: str = ""
    scenarios: tuple[str, ...] = ()  # empty: needed in every scenario
    note: str = ""
    blank_form: str = ""
    sample: str = ""

    @property
    def where_to_get(self) -> str:
        if self.issuer:
            return self.issuer if self.source == "申请人自备" else f"{self.source}（{self.issuer}）"
        return self.source


@dataclass(frozen=True)
class Step:
    name: str
    actor: str = ""
    description: str = ""
    days: int | None = None


@dataclass(frozen=True)
class SpecialProcedure:
    name: str
    days: int | None = None
    basis: str = ""
    counted: bool = False


@dataclass(frozen=True)
class Channel:
    type: str
    url: str = ""
    note: str = ""

    @property
    def remote(self) -> bool:
        return self.type in REMOTE_CHANNELS


@dataclass(frozen=True)
class Fee:
    name: str
    standard: str = ""
    amount: float | None = None
    basis: str = ""
    waiver: str = ""


@dataclass(frozen=True)
class Result:
    name: str
    type: str
    delivery: str = ""
    validity: str = ""


@dataclass(frozen=True)
class Location:
    name: str
    address: str
    window: str = ""
    hours: str = ""
    phone: str = ""
    transport: str = ""


@dataclass(frozen=True)
class Contact:
    type: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Remedies:
    review_body: str = ""
    review_days: int = DEFAULT_REVIEW_DAYS
    litigation_months: int = DEFAULT_LITIGATION_MONTHS


@dataclass(frozen=True)
class Faq:
    q: str
    a: str


@dataclass(frozen=True)
class Codes:
    catalog: str = ""
    task: str = ""
    handle: str = ""


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    website: str = ""
    maintainers: tuple[str, ...] = ()
    locations: tuple[Location, ...] = ()
    consult: tuple[Contact, ...] = ()
    complaint: tuple[Contact, ...] = ()
    remedies: Remedies | None = None
    source: str = field(default="", compare=False)


@dataclass(frozen=True)
class Matter:
    id: str
    name: str
    type: str
    audience: tuple[str, ...]
    level: str
    department: Department
    summary: str
    conditions: tuple[str, ...]
    legal_basis: tuple[LegalBasis, ...]
    materials: tuple[Material, ...]
    process: tuple[Step, ...]
    time_limit: TimeLimit
    visits: int
    channels: tuple[Channel, ...]
    fees: tuple[Fee, ...]
    result: Result
    updated: dt.date
    locations: tuple[Location, ...]
    consult: tuple[Contact, ...]
    complaint: tuple[Contact, ...]
    remedies: Remedies
    aliases: tuple[str, ...] = ()
    codes: Codes = Codes()
    topics: tuple[str, ...] = ()
    co_agencies: tuple[str, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
    special_procedures: tuple[SpecialProcedure, ...] = ()
    visit_reason: str = ""
    prerequisites: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    faq: tuple[Faq, ...] = ()
    review_by: dt.date | None = None
    status: str = "在用"
    # Where the values came from, for messages; not part of the matter's content.
    source: Document | None = field(default=None, compare=False, repr=False)
    inherited: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def free(self) -> bool:
        return not self.fees

    @property
    def remote(self) -> bool:
        """Can be applied for without going to a window (post counts)."""
        return any(c.remote for c in self.channels)

    @property
    def online(self) -> bool:
        """Can be applied for on the web or in the app (what 网上可办 means)."""
        return any(c.type in ONLINE_CHANNELS for c in self.channels)

    @property
    def active(self) -> bool:
        return self.status == "在用"

    def stale(self, today: dt.date) -> bool:
        return self.review_by is not None and self.review_by < today

    def materials_for(self, scenario_id: str) -> tuple[Material, ...]:
        return tuple(m for m in self.materials if not m.scenarios or scenario_id in m.scenarios)

    def content(self) -> dict:
        """The matter as plain data (department by code): what the digest and JSON exports use."""
        return dict(self._content)

    @cached_property
    def _content(self) -> dict:
        data = {}
        for f in fields(self):
            if f.name in ("source", "inherited"):
                continue
            value = getattr(self, f.name)
            data[f.name] = value.code if f.name == "department" else _plain(value)
        return data

    @cached_property
    def digest(self) -> str:
        """Short hash of the content, printed on sheets so a paper copy can be matched to its data."""
        canonical = json.dumps(self.content(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:10]


def _plain(value):
    """Dataclasses, tuples and dates as JSON-ready dicts, lists and strings."""
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list, frozenset)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@dataclass
class Catalog:
    """Every department and matter that passed the checks, sorted by code and id."""

    departments: dict[str, Department]
    matters: dict[str, Matter]

    def of_department(self, code: str) -> list[Matter]:
        return self._by_department.get(code, [])

    def prerequisite_of(self, matter_id: str) -> list[Matter]:
        """Matters that need `matter_id` done first."""
        return self._followers.get(matter_id, [])

    # Indexes built once: pages ask these for every matter, and scanning would be O(n²).
    @cached_property
    def _by_department(self) -> dict[str, list[Matter]]:
        index: dict[str, list[Matter]] = {}
        for m in self.matters.values():
            index.setdefault(m.department.code, []).append(m)
        return index

    @cached_property
    def _followers(self) -> dict[str, list[Matter]]:
        index: dict[str, list[Matter]] = {}
        for m in self.matters.values():
            for prerequisite in m.prerequisites:
                index.setdefault(prerequisite, []).append(m)
        return index


# --- building from validated data -----------------------------------------------------

def _text(data: dict, key: str) -> str:
    return data.get(key, "").strip()


def _tuple(items, build) -> tuple:
    return tuple(build(item) for item in items or ())


def _duration(data: dict | None) -> Duration | None:
    return Duration(data["value"], data["unit"]) if data else None


def _location(d: dict) -> Location:
    return Location(d["name"].strip(), d["address"].strip(), _text(d, "window"), _text(d, "hours"),
                    _text(d, "phone"), _text(d, "transport"))


def _contact(d: dict) -> Contact:
    return Contact(d["type"], str(d["value"]).strip(), _text(d, "note"))


def _remedies(d: dict | None) -> Remedies | None:
    if d is None:
        return None
    return Remedies(_text(d, "review_body"), d.get("review_days", DEFAULT_REVIEW_DAYS),
                    d.get("litigation_months", DEFAULT_LITIGATION_MONTHS))


def build_department(doc: Document) -> Department:
    d = doc.data
    return Department(
        code=d["code"],
        name=d["name"].strip(),
        website=_text(d, "website"),
        maintainers=tuple(d.get("maintainers", ())),
        locations=_tuple(d.get("locations"), _location),
        consult=_tuple(d.get("consult"), _contact),
        complaint=_tuple(d.get("complaint"), _contact),
        remedies=_remedies(d.get("remedies")),
        source=doc.display,
    )


def build_matter(doc: Document, department: Department) -> Matter:
    d = doc.data
    inherited = set()

    def own_or_department(key: str, build, default):
        if key in d:
            return _tuple(d[key], build)
        inherited.add(key)
        return default

    remedies = _remedies(d.get("remedies"))
    if remedies is None:
        inherited.add("remedies")
        remedies = department.remedies or Remedies()
    time_limit = d["time_limit"]
    codes = d.get("codes", {})
    return Matter(
        id=d["id"],
        name=d["name"].strip(),
        type=d["type"],
        audience=tuple(d["audience"]),
        level=d["level"],
        department=department,
        summary=d["summary"].strip(),
        conditions=tuple(c.strip() for c in d["conditions"]),
        legal_basis=_tuple(d["legal_basis"], lambda b: LegalBasis(
            b["law"].strip(), _text(b, "doc_number"), _text(b, "article"), _text(b, "text"), _text(b, "url"))),
        materials=_tuple(d["materials"], lambda m: Material(
            m["name"].strip(), m["form"], m.get("copies", 1), m.get("necessity", "必要"),
            m.get("source", "申请人自备"), _text(m, "issuer"), tuple(m.get("scenarios", ())),
            _text(m, "note"), _text(m, "blank_form"), _text(m, "sample"))),
        process=_tuple(d["process"], lambda s: Step(
            s["name"].strip(), _text(s, "actor"), _text(s, "description"), s.get("days"))),
        time_limit=TimeLimit(time_limit["case_type"], _duration(time_limit["promised"]),
                             _duration(time_limit.get("legal")), _text(time_limit, "note")),
        visits=d["visits"],
        channels=_tuple(d["channels"], lambda c: Channel(c["type"], _text(c, "url"), _text(c, "note"))),
        fees=_tuple(d["fees"], lambda f: Fee(
            f["name"].strip(), _text(f, "standard"), f.get("amount"), _text(f, "basis"), _text(f, "waiver"))),
        result=Result(d["result"]["name"].strip(), d["result"]["type"],
                      _text(d["result"], "delivery"), _text(d["result"], "validity")),
        updated=dt.date.fromisoformat(d["updated"]),
        locations=own_or_department("locations", _location, department.locations),
        consult=own_or_department("consult", _contact, department.consult),
        complaint=own_or_department("complaint", _contact, department.complaint),
        remedies=remedies,
        aliases=tuple(a.strip() for a in d.get("aliases", ())),
        codes=Codes(_text(codes, "catalog"), _text(codes, "task"), _text(codes, "handle")),
        topics=tuple(t.strip() for t in d.get("topics", ())),
        co_agencies=tuple(a.strip() for a in d.get("co_agencies", ())),
        scenarios=_tuple(d.get("scenarios"), lambda s: Scenario(s["id"], s["name"].strip(), _text(s, "description"))),
        special_procedures=_tuple(d.get("special_procedures"), lambda p: SpecialProcedure(
            p["name"].strip(), p.get("days"), _text(p, "basis"), p.get("counted", False))),
        visit_reason=_text(d, "visit_reason"),
        prerequisites=tuple(d.get("prerequisites", ())),
        related=tuple(d.get("related", ())),
        faq=_tuple(d.get("faq"), lambda f: Faq(f["q"].strip(), f["a"].strip())),
        review_by=dt.date.fromisoformat(d["review_by"]) if "review_by" in d else None,
        status=d.get("status", "在用"),
        source=doc,
        inherited=frozenset(inherited),
    )
