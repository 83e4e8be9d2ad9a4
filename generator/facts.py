"""Plain-language wording of a matter's key facts, shared by the web page and the 明白纸.

Both must say exactly the same thing ("最多跑一次", "不收费", "承诺 5 个工作日办结"), so the
wording lives here once and templates only place it.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from .model import Fee, Matter, TimeLimit

HOTLINE = "12345"

# Who counts as 个人 or 法人 when the home page groups matters by audience.
PERSONAL_AUDIENCE = ("自然人",)
ENTITY_AUDIENCE = ("企业法人", "事业法人", "社会组织法人", "非法人企业", "行政机关", "其他组织")


def visits_words(visits: int) -> str:
    if visits == 0:
        return "零跑动"
    if visits == 1:
        return "最多跑一次"
    return f"最多跑 {visits} 次"


def visits_filter(visits: int) -> str:
    """Coarse groups for the search filter, so it has a few useful choices."""
    return visits_words(visits) if visits <= 1 else "需跑多次"


def promised_words(time_limit: TimeLimit) -> str:
    if time_limit.instant or time_limit.promised.value == 0:
        return "当场办结"
    return f"{time_limit.promised.text()}内办结"


def legal_words(time_limit: TimeLimit) -> str:
    if time_limit.legal is None:
        return "无法定时限"
    if time_limit.legal.value == 0:
        return "当场办结"
    return f"{time_limit.legal.text()}"


def fee_words(fee: Fee) -> str:
    if fee.standard:
        return f"{fee.name}：{fee.standard}"
    if fee.amount is not None:
        return f"{fee.name}：{_yuan(fee.amount)}"
    return fee.name


def _yuan(amount: float) -> str:
    return f"{amount:g} 元"


def fees_summary(matter: Matter) -> str:
    if matter.free:
        return "不收费"
    return "；".join(fee_words(f) for f in matter.fees)


def material_form_words(form: str, copies: int) -> str:
    if form == "电子文件":
        return "电子文件"
    return f"{form} {copies} 份"


def audience_groups(matter: Matter) -> list[str]:
    groups = []
    if any(a in PERSONAL_AUDIENCE for a in matter.audience):
        groups.append("个人")
    if any(a in ENTITY_AUDIENCE for a in matter.audience):
        groups.append("法人")
    return groups


def hotline_first(contacts) -> list:
    """Complaint channels with 12345 first: it is the one citizens know."""
    return sorted(contacts, key=lambda c: c.value.strip() != HOTLINE)


def has_hotline(contacts) -> bool:
    return any(c.value.strip() == HOTLINE for c in contacts)


def remedies_words(matter: Matter) -> str:
    r = matter.remedies
    body = f"向{r.review_body}" if r.review_body else ""
    return (f"对办理结果不服的，可以自知道该行政行为之日起 {r.review_days} 日内{body}申请行政复议，"
            f"或者自知道或者应当知道该行政行为之日起 {r.litigation_months} 个月内向人民法院提起行政诉讼。")


def status_notice(matter: Matter) -> str:
    if matter.status == "暂停":
        return "本事项暂停办理。请先通过咨询电话确认恢复时间，再前往办理。"
    if matter.status == "取消":
        return "本事项已取消，不再受理。本页仅供查阅。"
    return ""


@lru_cache(maxsize=None)  # names are sorted into many lists; pypinyin is slow
def pinyin_key(text: str) -> str:
    """Sort key in pinyin order (汉语拼音), e.g. 出生登记 → chushengdengji."""
    return "".join(lazy_pinyin(text, errors="default")).lower()


@lru_cache(maxsize=None)
def initial(text: str) -> str:
    """The A–Z letter a name is listed under; # for anything that is not a letter."""
    letters = lazy_pinyin(text[:1], style=Style.FIRST_LETTER, errors="default")
    first = (letters[0][:1] if letters else "").upper()
    return first if "A" <= first <= "Z" else "#"


@lru_cache(maxsize=None)
def slug(text: str) -> str:
    """A stable ASCII path segment for a Chinese name, e.g. 社会保障 → shehui-baozhang."""
    words = lazy_pinyin(text, errors=lambda chars: [c for c in chars if c.isascii() and c.isalnum()])
    cleaned = "-".join(w.lower() for w in words if w)
    return cleaned or "x"
