"""What the demo college holds: its sites and their columns, as plain tables.

This is the demo's scenario, not monitor logic: each column says what state it should show (fresh, stale,
empty, unreachable, blocked), how many items it has at scale 1, which 清单 item it stands for, and which
markup quirks it carries (pinned rows, undated rows, date forms, attachments). `model.py` turns these tables
into items with dates; the renderers turn items into HTML.
"""

from __future__ import annotations

from dataclasses import dataclass

STATUSES = ("fresh", "stale", "empty", "unreachable", "blocked")


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column (栏目) of one site."""

    key: str  # URL slug, unique within its site
    name: str  # the name a person sees in the nav and breadcrumb
    status: str  # the state the column is built to show: one of STATUSES
    items: int = 0  # item count at scale 1 (fresh/stale columns)
    page_size: int = 15
    catalog_item: str | None = None  # the 清单 item it stands for, exactly as DOMAIN.md §1 spells it
    parent: str = ""  # disclosure: the directory category key
    titles: str = "notice"  # title vocabulary (demo.words KINDS)
    pinned: int = 0  # old items shown above newer ones, without a marker
    undated: int = 0  # rows shown without any date
    attach: float = 0.0  # share of items with attachments
    variant: str = ""  # renderer-specific date/markup variant
    block: str = ""  # blocked columns: login | login_redirect | js
    num: int = 0  # numeric column id used in URLs (VSB /info/{num}/, WebPlus c{num}, ?cid={num})
    probe: str = ""  # edit | delete: the item changed in the days-later view
    robots: bool = False  # under a robots.txt Disallow: served and linked, but not a column to report
    # fresh columns: (a, b) days after as_of with nothing published on days a..b-1, then an item on day b:
    # the column goes stale on the way when its limit is shorter than the pause
    pause: tuple[int, int] | None = None
    until: int | None = None  # from this many days later on the column is gone (no longer linked, no page)

    def shown(self, days_later: int) -> bool:
        """Whether the site still has the column `days_later` days after as_of."""
        return self.until is None or days_later < self.until


@dataclass(frozen=True, slots=True)
class SiteSpec:
    name: str  # key used in config and ground truth
    kind: str  # disclosure | portal | department
    style: str  # vsb | webplus | aspx | trs | legacy
    title: str  # the site's own name
    columns: tuple[ColumnSpec, ...]
    categories: tuple[tuple[str, str], ...] = ()  # disclosure directory: (key, name) in order


C = ColumnSpec

# The seed school's 14-column disclosure directory.
DISCLOSURE_CATEGORIES = (
    ("xxgk", "学校概况"),
    ("zdgf", "制度规范"),
    ("ztgz", "整体工作"),
    ("xssw", "学生事务"),
    ("jyjx", "教育教学"),
    ("zdjs", "重点建设"),
    ("xqhz", "校企合作"),
    ("bkzx", "帮困助学"),
    ("jsrs", "教师人事"),
    ("sfgl", "收费管理"),
    ("cw", "财务"),
    ("zccg", "资产和采购"),
    ("hqbz", "后勤保障"),
    ("jdgz", "监督工作"),
)

AID = "奖助学金、学费减免、助学贷款、勤工俭学规定"
RULES = "学校章程及规章制度"
PLAN = "发展规划、年度工作计划及重点工作安排"
ADMISSION = "招生章程与特殊类型招生办法、分批次分科类招生计划"
ENROLLED = "录取查询渠道、分批次分科类录取人数与最低分"
CAREER = "促进就业政策与指导服务"
CAREER_REPORT = "毕业生就业质量年度报告"
HIRING = "中层干部任免与人员招聘"
FEES = "收费项目、依据、标准及投诉方式"

DISCLOSURE = SiteSpec(
    name="disclosure",
    kind="disclosure",
    style="vsb",
    title="滨江城市职业学院信息公开网",
    categories=DISCLOSURE_CATEGORIES,
    columns=(
        C("bxjbqk", "办学基本情况", "fresh", 24, 15, "办学基本情况", "xxgk", "basic"),
        C("ndbg", "信息公开年度报告", "stale", 6, 15, "信息公开年度报告", "xxgk", "report", attach=1.0),
        C("xxzc", "学校章程", "stale", 4, 15, RULES, "xxgk", "policy"),
        C("gzzd", "规章制度", "fresh", 60, 20, RULES, "zdgf", "policy", pinned=1, attach=0.3),
        C("xxgkzd", "信息公开制度", "stale", 5, 15, None, "zdgf", "policy"),
        C("fzgh", "发展规划", "stale", 8, 15, PLAN, "ztgz", "plan"),
        C("gzyd", "年度工作要点", "fresh", 12, 15, PLAN, "ztgz", "plan"),
        C("jdh", "教代会", "stale", 10, 15, "教职工代表大会制度与工作报告", "ztgz", "news"),
        C("xswyh", "学术委员会", "stale", 6, 15, "学术委员会制度与年度报告", "ztgz", "supervise"),
        C("zszc", "招生章程", "fresh", 45, 15, ADMISSION, "xssw", "admission", attach=0.2),
        C("lqxx", "录取信息", "stale", 18, 15, ENROLLED, "xssw", "admission"),
        C(
            "zsss",
            "招生咨询与申诉",
            "stale",
            4,
            15,
            "招生咨询与申诉渠道、新生复查举报处理结果",
            "xssw",
            "admission",
        ),
        C("xjgl", "学籍管理", "stale", 6, 15, "学籍管理办法", "xssw", "policy"),
        C("xsjc", "学生奖惩", "fresh", 40, 15, "学生奖励处罚办法", "xssw", "notice"),
        C("xsss", "学生申诉", "empty", 0, 15, "学生申诉办法", "xssw"),
        C("zysz", "专业设置", "fresh", 20, 15, "专业设置、新增与停招专业", "jyjx", "teaching"),
        C("szdw", "师资队伍", "stale", 6, 15, "本科生比例与教师数量结构", "jyjx", "basic"),
        C("kcjs", "课程建设", "stale", 10, 15, "课程总数与实践/选修学分比例", "jyjx", "teaching"),
        C("zlbg", "质量年度报告", "stale", 5, 15, "本科教学质量报告", "jyjx", "report", attach=1.0),
        C("jyzd", "就业指导", "fresh", 50, 15, CAREER, "jyjx", "career", variant="slash"),
        C("jyqk", "毕业生就业", "stale", 8, 15, "毕业生规模结构就业率流向", "jyjx", "career"),
        C("jybg", "就业质量报告", "stale", 5, 15, CAREER_REPORT, "jyjx", "career", attach=1.0),
        C("sgjs", "双高建设", "empty", 0, 15, None, "zdjs"),
        C("zyqjs", "专业群建设", "fresh", 30, 15, None, "zdjs", "news"),
        C("cjrh", "产教融合", "unreachable", 0, 15, None, "xqhz"),
        C("hzxm", "合作项目", "stale", 12, 15, None, "xqhz", "news"),
        C("zzzc", "资助政策", "fresh", 30, 15, AID, "bkzx", "aid", pinned=2),
        C("zzgs", "资助公示", "fresh", 90, 20, AID, "bkzx", "aid", undated=2, attach=0.2),
        C("rszd", "人事制度", "stale", 8, 15, "岗位设置管理与聘用办法", "jsrs", "policy"),
        C("gbrm", "干部任免", "fresh", 25, 15, HIRING, "jsrs", "personnel"),
        C("zpxx", "招聘信息", "fresh", 80, 20, HIRING, "jsrs", "personnel", attach=0.3),
        C("ldjz", "领导干部社会兼职", "stale", 3, 15, "校级领导干部社会兼职", "jsrs", "supervise"),
        C("ygcg", "因公出国（境）", "stale", 6, 15, "校级领导干部因公出国（境）", "jsrs", "supervise"),
        C("zyjj", "教职工争议解决", "stale", 2, 15, "教职工争议解决办法", "jsrs", "policy"),
        C("sfbz", "收费标准", "fresh", 15, 15, FEES, "sfgl", "finance", attach=0.5),
        C("cwzd", "财务制度", "stale", 10, 15, "财务与资产管理制度", "cw", "policy"),
        C("yusuan", "预算公开", "stale", 6, 15, "收支预算表", "cw", "finance", attach=1.0),
        C("juesuan", "决算公开", "stale", 6, 15, "收支决算表", "cw", "finance", attach=1.0),
        C("jzgl", "捐赠管理", "stale", 4, 15, "受捐赠财产使用与管理", "cw", "finance"),
        C(
            "cggg",
            "采购公告",
            "fresh",
            220,
            20,
            "物资设备采购与重大基建招投标",
            "zccg",
            "procure",
            attach=0.3,
            probe="delete",
        ),
        C("zcgl", "资产管理", "stale", 8, 15, None, "zccg", "policy"),
        C("hqfw", "后勤服务", "fresh", 60, 15, None, "hqbz", "logistics"),
        C("yjgl", "应急管理", "stale", 6, 15, "突发事件应急预案、预警信息与处置情况", "hqbz", "supervise"),
        C("xszg", "巡视整改", "stale", 5, 15, "巡视反馈意见与整改情况", "jdgz", "supervise"),
        C("xfjs", "学风建设", "stale", 4, 15, "学风建设机构", "jdgz", "supervise"),
        C("xsgf", "学术规范", "stale", 3, 15, "学术规范制度", "jdgz", "policy"),
        C("xngs", "校内公示", "blocked", 0, 15, None, "jdgz", block="login_redirect"),
        C("xfjb", "信访举报", "fresh", 12, 15, None, "jdgz", "supervise"),
    ),
)

PORTAL = SiteSpec(
    name="portal",
    kind="portal",
    style="webplus",
    title="滨江城市职业学院",
    columns=(
        C("xwdt", "新闻动态", "fresh", 700, 15, None, titles="news", num=2716, probe="edit"),
        C("tzgg", "通知公告", "fresh", 260, 15, None, titles="notice", num=2717, pinned=2),
        C("2718", "媒体视点", "fresh", 150, 12, None, titles="media", num=2718, variant="days"),
        C("xshd", "学术活动", "stale", 40, 15, None, titles="news", num=2719),
        C("xywh", "校园文化", "fresh", 120, 15, None, titles="news", num=2720, undated=3),
        C("djgz", "党建工作", "fresh", 90, 15, None, titles="news", num=2721),
        C("ztzl", "专题专栏", "empty", 0, 15, None, num=2722),
        C("oa", "办公通知", "fresh", 45, 15, None, titles="notice", num=2790, robots=True),
    ),
)

JWC = SiteSpec(
    name="dept-jwc",
    kind="department",
    style="aspx",
    title="滨江城市职业学院教务处",
    columns=(
        C("jwtz", "教务通知", "fresh", 200, 20, None, titles="teaching", num=11, variant="cn"),
        C("jxdt", "教学动态", "fresh", 80, 15, None, titles="news", num=12, variant="bracket", pinned=1),
        C("kwgl", "考务管理", "fresh", 60, 15, None, titles="teaching", num=13, variant="cn"),
        C(
            "jxwj",
            "教学文件",
            "stale",
            30,
            15,
            None,
            titles="policy",
            num=14,
            variant="bracket",
            undated=3,
            attach=0.5,
        ),
        C("sjjx", "实践教学", "stale", 25, 15, None, titles="teaching", num=15, variant="cn"),
        C("xjgl", "学籍管理", "stale", 6, 15, "学籍管理办法", titles="policy", num=17, variant="bracket"),
        C("jxgg", "教学改革", "empty", 0, 15, None, num=16),
        C("cjcx", "成绩查询", "blocked", 0, 15, None, num=18, block="login"),
    ),
)

ZSJY = SiteSpec(
    name="dept-zsjy",
    kind="department",
    style="trs",
    title="滨江城市职业学院招生就业处",
    columns=(
        C("zsxx", "招生信息", "fresh", 60, 15, ADMISSION, titles="admission", attach=0.3),
        C("lqcx", "录取查询", "stale", 20, 15, ENROLLED, titles="admission"),
        C("jyxx", "就业信息", "fresh", 150, 20, CAREER, titles="career"),
        C("cyjy", "创新创业", "fresh", 40, 15, None, titles="career"),
        C("jybg", "就业质量报告", "stale", 6, 15, CAREER_REPORT, titles="career", attach=1.0),
        C("zph", "招聘会", "blocked", 0, 15, None, block="js"),
    ),
)

CWC = SiteSpec(
    name="dept-cwc",
    kind="department",
    style="legacy",
    title="滨江城市职业学院财务处",
    columns=(
        C("cwgg", "财务公告", "fresh", 90, 20, None, titles="finance", num=1),
        C("sfgs", "收费公示", "fresh", 40, 15, FEES, titles="finance", num=2, variant="mmdd"),
        C("zcfg", "政策法规", "stale", 25, 20, None, titles="policy", num=3),
        C("zcgl", "资产管理", "unreachable", 0, 20, None, num=4),
        C("xzzx", "下载中心", "stale", 20, 20, None, titles="finance", num=5, undated=4, attach=1.0),
        C("hqgg", "后勤公告", "fresh", 60, 20, None, titles="logistics", num=6, pinned=1),
    ),
)

SITES: tuple[SiteSpec, ...] = (DISCLOSURE, PORTAL, JWC, ZSJY, CWC)

# 清单 items a vocational college has no column for (the monitor should report them missing) ...
MISSING_ITEMS = (
    "特殊类型招生入选资格及测试结果",
    "校办企业资产负债与国有资产保值增值",
    "教授授课比例",
    "艺术教育发展年度报告",
    "学术不端行为查处机制",
    "中外合作办学情况",
    "来华留学生管理规定",
)
# ... and the ones that do not apply to it at all (graduate admission, degrees).
NOT_APPLICABLE_ITEMS = (
    "研究生招生简章/专业目录/复试录取办法/各院系招生人数",
    "研究生复试成绩",
    "拟录取研究生名单",
    "研究生招生咨询及申诉渠道",
    "学位授予基本要求",
    "同等学力人员资格审查",
    "新增学位授权点审核办法",
    "拟新增学位授权点申报及论证材料",
)


@dataclass(frozen=True, slots=True)
class CollegeSpec:
    """One demo college: its name, its sites (one loopback host each), and what a monitor should find
    missing. `missing_items` None: the ground truth lists every applicable 清单 item (moe_list.toml, minus
    `not_applicable_items`) no column of the college stands for — the most a monitor may call missing, as
    titles of listed items can show some of them."""

    name: str
    sites: tuple[SiteSpec, ...]
    missing_items: tuple[str, ...] | None = None
    not_applicable_items: tuple[str, ...] = NOT_APPLICABLE_ITEMS


BINJIANG = CollegeSpec("滨江城市职业学院", SITES, MISSING_ITEMS, NOT_APPLICABLE_ITEMS)
