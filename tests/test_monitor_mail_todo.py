"""Issue 19 §1: the weekly email is a to-do list (monitor/mail/todo.py, digest.py, facts.py).

Every late row says who acts (责任部门 and contact), what (the site by its display name, the column, the 清单
item), by when (newest + limit, or the annual deadline; 已超期 N 天) and why in Chinese (failures through
monitor/failure_words.py, tested in test_faults_failure_words.py); no outcome code, exception name or config
id reaches the reader. End to end, the real `xxgk crawl` reads tests/cmssite.py (a
college laid out unlike the demo: client-side redirects, soft 404s, a postback pager, script-filled lists)
and `xxgk email` sends through a real SMTP server (aiosmtpd); the office copy is grouped by department and
each department's copy holds exactly its group.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any

import lxml.html
import pytest
from cmssite import PORTAL, XXGK, CmsSite
from mailsink import Server, smtp_server
from xxgkrun import SiteConf, crawl_ok, report_json, write_config, xxgk

from monitor.mail.digest import ColumnLine, ItemLine, MissingItem, SiteDown, WeekFacts, build_digest
from monitor.mail.message import subject_of
from monitor.mail.routing import OFFICE_NAME, Route
from monitor.mail.todo import Owner, column_due, item_due, owner_of, reminder
from monitor.rules import Cadence, cn_date

# ----------------------------------------------------------------------------------------------- who acts

ROUTES = [
    Route(to=("office@x.cn",), name=OFFICE_NAME, office=True),
    Route(to=("zsb@x.cn",), name="招生办", categories=frozenset({"招生考试信息"})),
    Route(to=("cwc@x.cn", "cw2@x.cn"), name="财务处", sites=frozenset({"cwc"})),
    Route(to=("rsc@x.cn",), name="人事处", departments=frozenset({"人事处"})),
    Route(to=("xcb@x.cn",), name="宣传部", columns=frozenset({"学院新闻"})),
]


@pytest.mark.parametrize(
    ("site", "department", "category", "name", "owner"),
    [
        # the site beats the category
        ("cwc", "", "招生考试信息", "招生计划", Owner("财务处", "cwc@x.cn、cw2@x.cn")),
        ("xxgk", "", "招生考试信息", "招生章程", Owner("招生办", "zsb@x.cn")),
        ("cwc", "", "", "学院新闻", Owner("宣传部", "xcb@x.cn")),  # the column beats the site
        # the department beats the category
        ("rsc", "人事处", "招生考试信息", "招聘", Owner("人事处", "rsc@x.cn")),
        ("jwc", "教务处", "", "教学动态", Owner("教务处")),  # no route: the site's department, no contact
        ("xxgk", "", "基本信息", "学校简介", Owner(OFFICE_NAME, "office@x.cn", office=True)),
    ],
)  # fmt: skip
def test_who_acts_is_the_most_specific_route(
    site: str, department: str, category: str, name: str, owner: Owner
) -> None:
    got = owner_of(ROUTES, ("office@x.cn",), site=site, department=department, category=category, name=name)
    assert got == owner


# ------------------------------------------------------------------------------------------------ by when

AS_OF = date(2026, 11, 26)


def test_a_cadence_is_due_on_newest_plus_its_limit() -> None:
    due = column_due(
        "stale", AS_OF, last_published=date(2026, 9, 1), limit_days=30, deadline=None, since=None
    )
    assert due.day == date(2026, 10, 1) and due.overdue_days == 56
    assert due.text == "2026年10月1日前更新（已超期 56 天）"


def test_an_annual_item_is_due_on_its_deadline() -> None:
    """预算 by 5月31日, the annual report by 10月31日: the deadline that decided, overdue from it."""
    budget = column_due(
        "stale",
        AS_OF,
        last_published=date(2025, 5, 20),
        limit_days=329,
        deadline=date(2026, 5, 31),
        since=None,
    )
    assert budget.text == "2026年5月31日前发布（已超期 179 天）"
    report = column_due(
        "stale", AS_OF, last_published=None, limit_days=86, deadline=date(2026, 10, 31), since=None
    )
    assert report.day == date(2026, 10, 31) and report.text == "2026年10月31日前发布（已超期 26 天）"
    annual = Cadence("annual", {"due": "05-31", "period_end": "12-31"})
    missing = item_due(annual, AS_OF)
    assert missing.day == date(2026, 5, 31)
    assert missing.text == "每年5月31日前（最近一次截止：2026年5月31日；下次：2027年5月31日）"


@pytest.mark.parametrize(
    ("status", "since", "text"),
    [
        ("unreachable", date(2026, 11, 1), "立即（自2026年11月1日起，已持续 25 天）"),
        ("blocked", None, "立即"),
        ("unreachable", AS_OF, "立即（自2026年11月26日起）"),  # since today: nothing has lasted yet
        ("empty", None, "立即（栏目没有任何信息）"),
        ("stale", None, "立即（条目均未标注发布日期，视为未更新）"),
    ],
)
def test_what_cannot_wait_is_due_now(status: str, since: date | None, text: str) -> None:
    due = column_due(status, AS_OF, last_published=None, limit_days=None, deadline=None, since=since)
    assert due.day is None and due.text == text


# 预算: due 05-31 for the year ending 12-31. On 2026-05-10 the 2025 budget (dated after 2024-12-31) still
# counts, so the column is fresh with limit (2026-05-10 − 2024-12-31) − 1 = 494; the next deadline asks for
# the 2026 budget, dated after 2025-12-31.
MAY = date(2026, 5, 10)
BUDGET = {"limit_days": 494, "next_due": date(2026, 5, 31)}


@pytest.mark.parametrize(
    ("day", "newest", "days", "text"),
    [
        (MAY, date(2025, 3, 20), 30, "2026年5月31日前发布（还有 21 天；应发布2025年12月31日之后的信息）"),
        (MAY, date(2026, 3, 20), 30, None),  # the 2026 budget is out: nothing to remind
        (MAY, date(2025, 3, 20), 20, None),  # 21 days away: beyond a 20-day window
        (MAY, date(2025, 3, 20), 0, None),  # reminders off
        (MAY, None, 30, "2026年5月31日前发布（还有 21 天；应发布2025年12月31日之后的信息）"),
    ],
)
def test_a_fresh_annual_column_is_reminded_before_its_deadline(
    day: date, newest: date | None, days: int, text: str | None
) -> None:
    due = reminder(day, last_published=newest, days=days, **BUDGET)  # type: ignore[arg-type]
    assert (due.text if due else None) == text


def test_the_deadline_day_itself_is_today() -> None:
    # the annual report (10-31 for the year ending 08-31) on 2026-10-31: limit (10-31 − 2025-08-31) − 1 = 425
    due = reminder(
        date(2026, 10, 31),
        last_published=date(2025, 10, 20),
        limit_days=425,
        next_due=date(2026, 10, 31),
        days=30,
    )
    assert due is not None and due.text == "2026年10月31日前发布（今天截止；应发布2026年8月31日之后的信息）"


def test_a_reminder_is_a_row_of_its_owner_and_counted_in_the_subject() -> None:
    soon = reminder(MAY, last_published=date(2025, 3, 20), days=30, **BUDGET)  # type: ignore[arg-type]
    budget = ColumnLine(
        "cwc", "预算公开", "http://cwc.test/ys", "fresh", category="财务、资产及收费信息", item="收支预算表",
        age_days=416, limit_days=494, last_published=date(2025, 3, 20), reminder=soon,
        owner=Owner("财务处", "cwc@x.cn"),
    )  # fmt: skip
    facts = WeekFacts("示例学院", MAY, [budget], site_names={"cwc": "财务处网站"})
    d = build_digest(facts, ROUTES[0])
    (group,) = d.groups
    assert group.owner.department == "财务处"
    assert [(r.label, r.site, r.column, r.due.day) for r in group.rows] == [
        ("即将到期", "财务处网站", "预算公开", date(2026, 5, 31))
    ]
    assert subject_of(d, "周报") == "【周报】示例学院 2026年第19周：即将到期1" and d.has_news


def test_rows_are_ordered_by_the_overdue_days_they_show() -> None:
    """Within a status, the most overdue first by the due date shown: an annual column counts from its
    deadline (10 days), not from the end of its period (its age over its limit, 500 days)."""
    annual = ColumnLine(
        "a", "预算", "http://a.test/ys", "stale", age_days=900, limit_days=400,
        last_published=date(2024, 1, 1), deadline=date(2026, 11, 16),
    )  # fmt: skip
    cadence = ColumnLine(
        "a",
        "通知",
        "http://a.test/tz",
        "stale",
        age_days=130,
        limit_days=30,
        last_published=date(2026, 7, 19),
    )
    empty = ColumnLine("a", "空", "http://a.test/k", "empty")
    facts = WeekFacts("示例学院", AS_OF, [annual, empty, cadence])
    (group,) = build_digest(facts, ROUTES[0]).groups
    assert [(r.column, r.due.overdue_days) for r in group.rows] == [("通知", 100), ("预算", 10), ("空", 0)]
    assert group.rows[1].due.text == "2026年11月16日前发布（已超期 10 天）"


# ----------------------------------------------------------------------------- the subject, by hand


def test_the_subject_counts_every_kind_on_a_hand_computed_example() -> None:
    """2 stale, 1 empty, 1 unreachable, 1 blocked column, plus a site down (its 3 columns are its one line,
    not 3 unreachable columns), 1 gone and 1 unchecked column (only the gone one is news), 3 清单 items not
    found, 2 suspicious items and 1 broken attachment; 2 fresh columns count for nothing."""

    def col(site: str, name: str, status: str, **kw: Any) -> ColumnLine:
        return ColumnLine(site, name, f"http://{site}.test/{name}", status, **kw)

    columns = [
        col("a", "通知", "stale", age_days=40, limit_days=14, last_published=date(2026, 1, 1)),
        col("a", "章程", "stale", age_days=400, limit_days=365, last_published=date(2025, 1, 1)),
        col("a", "空", "empty"),
        col("a", "坏", "unreachable"),
        col("a", "锁", "blocked"),
        col("a", "好", "fresh", age_days=1, limit_days=14),
        col("b", "好", "fresh", age_days=1, limit_days=14),
        *(col("down", f"c{i}", "unreachable", site_down=True) for i in range(3)),
        col("a", "没了", "gone"),
        col("a", "未查", "unchecked"),
    ]
    facts = WeekFacts(
        "示例学院",
        date(2026, 3, 9),
        columns,
        sites_down=[SiteDown("down", "http://down.test/", "整站无法访问")],
        missing=[MissingItem("基本信息", n) for n in ("甲", "乙", "丙")],
        items=[ItemLine("deleted", "a", "通知", "t", "http://a.test/1"), ItemLine("edited", "a", "通知", "u", "http://a.test/2")],
        broken=[],
    )  # fmt: skip
    office = build_digest(facts, ROUTES[0])
    assert subject_of(office, "周报") == (
        "【周报】示例学院 2026年第11周："
        "网站无法访问1、栏目无法访问1、超期未更新2、访问受限1、空白栏目1、栏目消失1、缺失清单事项3、存疑条目2"
    )
    # the to-do holds the site, the 5 late columns and the 3 items, all the office's here
    assert office.todo == 1 + 5 + 3 and [g.owner.office for g in office.groups] == [True]
    nobody = build_digest(facts, Route(to=("x@x.cn",), name="教务处", sites=frozenset({"b"})))
    assert subject_of(nobody, "周报") == "【周报】教务处 2026年第11周：无需处理事项"


# -------------------------------------------------------------------- end to end, on another layout

# A year after the crawl: its columns have gone stale, annual deadlines (学校简介, 10月31日) have passed.
EMAIL_AS_OF = "2027-12-15"
OBSERVED = "2026-11-26T10:00:00+08:00"
CONTACTS = """
[email]
smtp_host = "127.0.0.1"
smtp_port = {port}
security = "none"
sender = "xxgk@example.edu.cn"
to = ["office@example.edu.cn"]
retry_delay = 0.01
[[email.routes]]
name = "人事处"
to = ["rsc@example.edu.cn"]
columns = ["人事信息"]
[[email.routes]]
name = "学生工作处"
to = ["xsc@example.edu.cn"]
columns = ["{xsgz}"]
[[email.routes]]
name = "招生办"
to = ["zsb@example.edu.cn"]
categories = ["招生考试信息"]
[[email.routes]]
name = "党委宣传部"
to = ["xcb@example.edu.cn", "xcb2@example.edu.cn"]
departments = ["党委宣传部"]
"""
# English that may appear: addresses (http…, user@host), the product's name and the acronyms people read in
# the failure words (HTTP 404, HTTPS, DNS); no outcome code, exception name or config id.
ALLOWED = re.compile(r"https?://\S+|[\w.+-]+@[\w.-]+|xxgk-monitor|\bHTTPS?\b|\bDNS\b")
CODE = re.compile(r"[A-Za-z]{2,}")
DAY = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


@dataclass
class Sent:
    office: EmailMessage
    copies: dict[str, EmailMessage]  # department name -> its message
    report: dict[str, Any]
    server: Server


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sent]:
    folder = tmp_path_factory.mktemp("todo")
    site = CmsSite().start()
    try:
        with smtp_server() as server:
            sites = [
                SiteConf("xxgk", [site.url(XXGK, "/")]),
                SiteConf(
                    "portal",
                    [site.url(PORTAL, "/")],
                    kind="portal",
                    department="党委宣传部",
                    title="示范学院门户网站",
                ),
            ]
            extra = CONTACTS.format(port=server.port, xsgz=site.url(XXGK, "/xxgk/xsgz/list.htm"))
            config = write_config(folder, sites, college="示范学院", extra=extra)
            crawl_ok(xxgk(config, "crawl", "--observed-at", OBSERVED))
            proc = xxgk(config, "email", "--as-of", EMAIL_AS_OF)
            assert proc.returncode == 0, proc.stdout + proc.stderr
            report = report_json(config, "--as-of", EMAIL_AS_OF)
            names = {"rsc": "人事处", "xsc": "学生工作处", "zsb": "招生办", "xcb": "党委宣传部"}
            office, copies = None, {}
            for m in server.sink.messages:
                user = m.rcpt_tos[0].split("@")[0]
                if user == "office":
                    office = m.message
                else:
                    copies[names[user]] = m.message
            assert office is not None
            yield Sent(office, copies, report, server)
    finally:
        site.stop()


def _html(msg: EmailMessage) -> lxml.html.HtmlElement:
    part = msg.get_body(("html",))
    assert part is not None
    return lxml.html.document_fromstring(part.get_content())


def _text(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def _groups(msg: EmailMessage) -> dict[str, list[tuple[str, ...]]]:
    """Department -> its rows (情况, 网站 / 栏目, 清单事项, 应完成, 原因), from the HTML part."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for h3 in _html(msg).xpath("//h3[starts-with(., '责任部门：')]"):
        department = h3.text_content().removeprefix("责任部门：").split("\u3000")[0]
        table = h3.xpath("./following-sibling::table[1]")[0]
        rows = [
            tuple(" ".join(td.text_content().split()) for td in tr.xpath("./td")[:5])
            for tr in table.xpath("./tbody/tr")
        ]
        assert all(tr.get("class") == "todo" for tr in table.xpath("./tbody/tr"))
        out[department] = rows
    return out  # fmt: skip


def test_every_late_row_names_a_department_and_a_due_date(sent: Sent) -> None:
    groups = _groups(sent.office)
    rows = [r for g in groups.values() for r in g]
    late = [s for s in sent.report["sections"] if s["status"] in ("stale", "unreachable", "blocked", "empty")]
    others = ("缺失清单事项", "即将到期")
    assert late and len([r for r in rows if not r[0].startswith(others)]) == len(late)
    assert all(name.strip() for name in groups)
    for kind, _, _, due, why in rows:
        assert due and why, (kind, due, why)
        if kind.startswith(("超期未更新", "即将到期")):
            assert DAY.search(due) and ("已超期" in due or kind.startswith("即将到期")), due
        else:
            assert DAY.search(due) or due.startswith("立即"), due
    # each stale column's due date is its newest date + its limit, or its annual deadline (学校简介: 10月31日)
    dues = " ".join(r[3] for r in rows)
    assert "2027年10月31日前发布" in dues
    for s in late:
        if s["status"] == "stale" and s["last_published"]:
            day = (
                date.fromisoformat(s["due"])
                if s["due"]
                else date.fromisoformat(s["last_published"]) + timedelta(days=s["limit_days"])
            )
            assert cn_date(day) in dues, (s["name"], cn_date(day))
    # the routes' departments each have their group; a column no route takes is the office's own
    assert {"人事处", "学生工作处", "招生办", "党委宣传部"} <= set(groups)
    assert any(OFFICE_NAME in name for name in groups)
    assert list(groups)[-1].startswith(OFFICE_NAME)  # the office's own group comes last  # fmt: skip


def test_no_english_code_or_config_id_reaches_the_reader(sent: Sent) -> None:
    messages = [sent.office, *sent.copies.values()]
    for msg in messages:
        for shown in (_text(msg), _html(msg).text_content(), str(msg["Subject"])):
            left = ALLOWED.sub(" ", shown)
            assert CODE.findall(left) == [], CODE.findall(left)
    text = _text(sent.office)
    assert "示范学院信息公开网" in text  # the crawled <title> of the disclosure site, its 首页 part dropped
    assert "示范学院门户网站" in text  # [[sites]] title
    assert "页面显示内容不存在" in text and "HTTP 404（页面不存在）" in text  # why 对外交流 / 财务信息 fail


def test_a_department_copy_holds_exactly_its_own_rows(sent: Sent) -> None:
    office = _groups(sent.office)
    assert set(sent.copies) == {"人事处", "学生工作处", "招生办", "党委宣传部"}
    for department, msg in sent.copies.items():
        mine = _groups(msg)
        assert list(mine) == [department], (department, list(mine))
        assert mine[department] == office[department]
        week = date.fromisoformat(EMAIL_AS_OF).isocalendar()[1]
        assert msg["Subject"].startswith(f"【信息公开周报】{department} 2027年第{week}周：")


def test_the_subject_counts_what_the_body_lists(sent: Sent) -> None:
    for msg in [sent.office, *sent.copies.values()]:
        tally = dict(re.findall(r"([^\d、：]+)(\d+)", str(msg["Subject"]).split("周：", 1)[1]))
        kinds = Counter(r[0].removesuffix("本周新增").strip() for g in _groups(msg).values() for r in g)
        for kind, n in kinds.items():
            assert int(tally.pop(kind)) == n, (kind, n, msg["Subject"])
        assert set(tally) <= {"栏目消失", "存疑条目", "失效附件"}, tally  # news outside the to-do


def test_with_several_colleges_a_missing_item_names_its_own() -> None:
    """One configuration can watch several colleges: a 清单 item not found says whose it is."""
    from monitor.mail.render_text import render_text
    from monitor.statuses import MISSING_REASON

    # the judgement's reason for a missing item is the row's label: the line does not repeat it
    missing = [
        MissingItem("基本信息", "信息公开年度报告", MISSING_REASON, institution=n)
        for n in ("甲学院", "乙学院")
    ]
    facts = WeekFacts("监测", AS_OF, [], missing=missing, institutions=["甲学院", "乙学院"])
    d = build_digest(facts, ROUTES[0])
    assert [r.site for g in d.groups for r in g.rows] == ["甲学院", "乙学院"]
    lines = render_text(d, title="周报").splitlines()
    assert "- [缺失清单事项] 【甲学院】基本信息 · 信息公开年度报告" in lines
    one = build_digest(
        WeekFacts("甲学院", AS_OF, [], missing=missing[:1], institutions=["甲学院"]), ROUTES[0]
    )
    assert [r.site for g in one.groups for r in g.rows] == [""]  # one college: no need to say
