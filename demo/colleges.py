"""The demo's other colleges: two more institutions, each one site in a layout the first college has not.

`xxgk demo` watches all three (another `institution` each), so the report's comparison has three rows. Their
columns also carry the history the weekly replay shows: a news column that pauses long enough to go stale
and then publishes again (`pause`), and a column taken off the site (`until`: gone from then on).

- 北岭职业技术学院: a government-style 信息公开目录 (`render_gov`): a category tree, list tables of
  序号 / 名称 / 发布机构 / 发布日期, pages `_2.html`, `_3.html`.
- 南湖工程职业学院: a TRS-style disclosure site (`render_trs`), lists paged `index_1.html`, `index_2.html`.

`COLLEGES` is every demo college in the order of its hosts (127.0.0.2.. for the first college's five sites,
then one host each); a generated many-college demo can build more `CollegeSpec`s the same way.
"""

from __future__ import annotations

from demo.layout import (
    ADMISSION,
    AID,
    BINJIANG,
    CAREER,
    CAREER_REPORT,
    ENROLLED,
    FEES,
    HIRING,
    RULES,
    C,
    CollegeSpec,
    SiteSpec,
)

BEILING = CollegeSpec(
    name="北岭职业技术学院",
    sites=(
        SiteSpec(
            name="beiling",
            kind="disclosure",
            style="gov",
            title="北岭职业技术学院信息公开目录",
            categories=(
                ("jbxx", "基本信息"),
                ("zsks", "招生考试"),
                ("cwzc", "财务资产"),
                ("xsgl", "学生管理"),
            ),
            columns=(
                C("bxqk", "办学基本情况", "fresh", 12, 15, "办学基本情况", "jbxx", "basic"),
                C("ndbg", "信息公开年度报告", "stale", 5, 15, "信息公开年度报告", "jbxx", "report"),
                C("gzzd", "规章制度", "fresh", 30, 15, RULES, "jbxx", "policy"),
                C("xydt", "校园动态", "fresh", 40, 15, None, "jbxx", "news", pause=(10, 38)),
                C("ztzl", "专题活动", "fresh", 15, 15, None, "jbxx", "news", until=35),
                C("zszc", "招生章程", "fresh", 20, 15, ADMISSION, "zsks", "admission"),
                C("lqxx", "录取信息", "stale", 8, 15, ENROLLED, "zsks", "admission"),
                C("sfbz", "收费标准", "stale", 6, 15, FEES, "cwzc", "finance"),
                C("yusuan", "预算公开", "stale", 4, 15, "收支预算表", "cwzc", "finance"),
                C("cggg", "采购公告", "fresh", 40, 15, "物资设备采购与重大基建招投标", "cwzc", "procure"),
                C("zzzc", "资助政策", "fresh", 25, 15, AID, "xsgl", "aid"),
                C("xsss", "学生申诉", "empty", 0, 15, "学生申诉办法", "xsgl"),
                C("jyzl", "就业质量报告", "stale", 4, 15, CAREER_REPORT, "xsgl", "career"),
                C("zpxx", "招聘信息", "unreachable", 0, 15, HIRING, "xsgl"),
            ),
        ),
    ),
)

NANHU = CollegeSpec(
    name="南湖工程职业学院",
    sites=(
        SiteSpec(
            name="nanhu",
            kind="disclosure",
            style="trs",
            title="南湖工程职业学院信息公开网",
            columns=(
                C("xyxw", "学院新闻", "fresh", 40, 15, None, titles="news", pause=(3, 31)),
                C("tzgg", "通知公告", "fresh", 30, 15, None, titles="notice"),
                C("ndbg", "信息公开年度报告", "stale", 4, 15, "信息公开年度报告", titles="report"),
                C("zsxx", "招生信息", "fresh", 20, 15, ADMISSION, titles="admission"),
                C("jyxx", "就业信息", "fresh", 25, 15, CAREER, titles="career"),
                C("rszp", "人事招聘", "fresh", 15, 15, HIRING, titles="personnel"),
                C("juesuan", "决算公开", "stale", 4, 15, "收支决算表", titles="finance"),
                C("xjgl", "学籍管理", "stale", 3, 15, "学籍管理办法", titles="policy"),
                C("wsbs", "网上办事", "blocked", 0, 15, None, block="js"),
            ),
        ),
    ),
)

COLLEGES: tuple[CollegeSpec, ...] = (BINJIANG, BEILING, NANHU)
