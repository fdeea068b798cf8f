"""Column → 清单 item, from names as many schools write them (VSB, WebPlus, TRS and hand-made sites alike)."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.catalog import load_catalog
from monitor.configure import load_config
from monitor.mapping import Mapper, Override, overrides_from_config, path_segments

CATALOG = load_catalog()
FULL = Mapper(CATALOG)  # [catalog] programs default: undergraduate + graduate

# (column name, expected item id or None, expected category or None)
NAMES = [
    # 基本信息
    ("学校简介", "basic.overview", "基本信息"),
    ("学院概况", "basic.overview", "基本信息"),
    ("现任领导", "basic.overview", "基本信息"),
    ("机构设置", "basic.overview", "基本信息"),
    ("办学基本情况", "basic.overview", "基本信息"),
    ("大学章程", "basic.charter", "基本信息"),
    ("规章制度", "basic.charter", "基本信息"),
    ("制度汇编", "basic.charter", "基本信息"),
    ("教代会", "basic.staff_congress", "基本信息"),
    ("教职工代表大会", "basic.staff_congress", "基本信息"),
    ("学术委员会", "basic.academic_committee", "基本信息"),
    ("“十四五”发展规划", "basic.plans", "基本信息"),
    ("年度工作要点", "basic.plans", "基本信息"),
    ("信息公开年度报告", "basic.annual_report", "基本信息"),
    ("信息公开年报", "basic.annual_report", "基本信息"),
    # 招生考试信息
    ("招生章程", "admission.charter", "招生考试信息"),
    ("本科招生简章", "admission.charter", "招生考试信息"),
    ("分省招生计划", "admission.charter", "招生考试信息"),
    ("招生信息", "admission.charter", "招生考试信息"),
    ("高水平运动队", "admission.special", "招生考试信息"),
    ("综合评价招生", "admission.special", "招生考试信息"),
    ("历年录取分数", "admission.results", "招生考试信息"),
    ("录取查询", "admission.results", "招生考试信息"),
    ("招生咨询与申诉", "admission.appeal", "招生考试信息"),
    ("新生入学资格复查", "admission.appeal", "招生考试信息"),
    ("硕士研究生招生简章", "admission.grad_brochure", "招生考试信息"),
    ("研招专业目录", "admission.grad_brochure", "招生考试信息"),
    ("复试成绩公示", "admission.grad_retest", "招生考试信息"),
    ("拟录取名单", "admission.grad_admitted", "招生考试信息"),
    ("研究生招生咨询", "admission.grad_appeal", "招生考试信息"),
    ("招生动态", None, "招生考试信息"),  # a category word only: judged as news by the generic limits
    # 财务、资产及收费信息
    ("财务管理制度", "finance.rules", "财务、资产及收费信息"),
    ("教育基金会", "finance.donations", "财务、资产及收费信息"),
    ("校办企业", "finance.enterprises", "财务、资产及收费信息"),
    ("招标公告", "finance.procurement", "财务、资产及收费信息"),
    ("采购信息", "finance.procurement", "财务、资产及收费信息"),
    ("中标结果公示", "finance.procurement", "财务、资产及收费信息"),
    ("部门预算", "finance.budget", "财务、资产及收费信息"),
    ("2023年度决算", "finance.accounts", "财务、资产及收费信息"),
    ("预决算公开", "finance.budget", "财务、资产及收费信息"),  # directory entry: both budget and accounts
    ("收费标准", "finance.fees", "财务、资产及收费信息"),
    ("学费住宿费标准", "finance.fees", "财务、资产及收费信息"),
    ("财务公告", None, "财务、资产及收费信息"),
    # 人事师资信息
    ("领导干部社会兼职", "personnel.leader_posts", "人事师资信息"),
    ("因公出国（境）", "personnel.leader_travel", "人事师资信息"),
    ("因公出国(境)情况", "personnel.leader_travel", "人事师资信息"),
    ("岗位设置", "personnel.positions", "人事师资信息"),
    ("人事制度", "personnel.positions", "人事师资信息"),
    ("干部任前公示", "personnel.appointments", "人事师资信息"),
    ("人才招聘", "personnel.appointments", "人事师资信息"),
    ("教职工争议解决", "personnel.disputes", "人事师资信息"),
    # 教学质量信息
    ("师资队伍", "teaching.students_staff", "教学质量信息"),
    ("专业设置", "teaching.majors", "教学质量信息"),
    ("课程建设", "teaching.courses", "教学质量信息"),
    ("教授授课情况", "teaching.professors", "教学质量信息"),
    ("就业指导", "teaching.employment_policy", "教学质量信息"),
    ("就业信息", "teaching.employment_policy", "教学质量信息"),
    ("毕业生就业", "teaching.graduates", "教学质量信息"),
    ("就业质量报告", "teaching.employment_report", "教学质量信息"),
    ("毕业生就业质量年度报告", "teaching.employment_report", "教学质量信息"),
    ("艺术教育发展年度报告", "teaching.arts_report", "教学质量信息"),
    ("本科教学质量报告", "teaching.quality_report", "教学质量信息"),
    ("质量年度报告", "teaching.quality_report", "教学质量信息"),
    ("高等职业教育质量年度报告", "teaching.quality_report", "教学质量信息"),
    ("教学动态", None, "教学质量信息"),
    # 学生管理服务信息
    ("学籍管理", "students.status", "学生管理服务信息"),
    ("资助政策", "students.aid", "学生管理服务信息"),
    ("国家奖学金", "students.aid", "学生管理服务信息"),
    ("勤工助学", "students.aid", "学生管理服务信息"),
    ("学生奖惩", "students.discipline", "学生管理服务信息"),
    ("违纪处分", "students.discipline", "学生管理服务信息"),
    ("学生申诉", "students.appeal", "学生管理服务信息"),
    # 学风建设信息
    ("学风建设", "integrity.bodies", "学风建设信息"),
    ("学术规范", "integrity.norms", "学风建设信息"),
    ("科研诚信", "integrity.norms", "学风建设信息"),
    ("学术不端行为查处", "integrity.misconduct", "学风建设信息"),
    # 学位、学科信息
    ("学位授予", "degrees.requirements", "学位、学科信息"),
    ("同等学力申请硕士学位", "degrees.equivalent", "学位、学科信息"),
    ("学位授权点审核办法", "degrees.new_points_rules", "学位、学科信息"),
    ("拟新增学位授权点申报", "degrees.new_points_materials", "学位、学科信息"),
    # 对外交流与合作信息, 其他
    ("中外合作办学", "exchange.joint_programs", "对外交流与合作信息"),
    ("来华留学", "exchange.international_students", "对外交流与合作信息"),
    ("国际交流", None, "对外交流与合作信息"),
    ("巡视整改", "other.inspection", "其他"),
    ("巡察反馈意见整改", "other.inspection", "其他"),
    ("应急管理", "other.emergencies", "其他"),
    ("突发事件应急预案", "other.emergencies", "其他"),
    # names that stand for no 清单 item: the generic limits judge them
    ("新闻动态", None, None),
    ("通知公告", None, None),
    ("媒体视点", None, None),
    ("学术活动", None, None),
    ("校园文化", None, None),
    ("信息公开制度", None, None),
    ("专题专栏", None, None),
    ("下载中心", None, None),
]


@pytest.mark.parametrize(("name", "item", "category"), NAMES)
def test_names_from_many_schools(name: str, item: str | None, category: str | None) -> None:
    found = FULL.map("s", name, "http://s.example/list.htm")
    assert (found.item_id, found.category) == (item, category)
    assert (found.via == "none") == (category is None)
    if item is not None:
        assert item in found.covers


def test_directory_column_covers_several_items() -> None:
    found = FULL.map("s", "预决算信息公开", "http://s.example/ydjs.htm")
    assert found.via == "directory" and found.covers == ("finance.budget", "finance.accounts")
    seed = FULL.map("s", "学校概况", "http://s.example/xxgk.htm")
    assert (seed.via, seed.item_id, seed.category) == ("directory", "basic.overview", "基本信息")
    broad = FULL.map("s", "教育教学", "http://s.example/jyjx.htm")
    assert (broad.item_id, broad.category, broad.covers) == (None, "教学质量信息", ())


def test_items_that_do_not_apply_take_no_part(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    site = '[[sites]]\nname = "d"\nkind = "disclosure"\nstart_urls = ["http://d.example/"]\n'
    path.write_text('[catalog]\nprograms = ["vocational"]\n' + site, encoding="utf-8")
    vocational = Mapper(load_catalog(load_config(path)))
    grad = vocational.map("d", "硕士研究生招生简章", "http://d.example/yz.htm")
    # at a vocational college the graduate item is not expected: the name falls to the charter keyword
    assert grad.item_id == "admission.charter"
    assert vocational.map("d", "拟录取名单", "http://d.example/n.htm").item_id == "admission.results"


@pytest.mark.parametrize(
    ("url", "item"),
    [
        ("http://s.example/zszc.htm", "admission.charter"),
        ("http://s.example/xxgk/ndbg/list.htm", "basic.annual_report"),
        ("http://s.example/info/1074/list2.htm", None),
        ("http://s.example/index.htm", None),
    ],
)
def test_url_path_decides_only_when_the_name_says_nothing(url: str, item: str | None) -> None:
    assert FULL.map("s", "列表", url).item_id == item
    assert FULL.map("s", "新闻动态", url).item_id is None or item is None
    assert Mapper(CATALOG, use_paths=False).map("s", "列表", url).item_id is None


def test_path_segments_drop_extensions_numbers_and_generic_words() -> None:
    assert path_segments("http://x/xxgk/zszc/list2.htm?cid=12") == ("xxgk", "zszc", "list2", "cid")
    assert path_segments("http://x/info/1074/65321.htm") == ("info",)


@pytest.mark.parametrize(
    ("override", "site", "name", "url", "item", "category"),
    [
        (
            Override("校内公示", item="other.inspection"),
            "d",
            "校内公示",
            "http://d/x.htm",
            "other.inspection",
            "其他",
        ),
        (Override("http://d/x.htm", item="none"), "d", "招生章程", "http://d/x.htm", None, None),
        (
            Override("招生章程", site="p", item="none"),
            "d",
            "招生章程",
            "http://d/x.htm",
            "admission.charter",
            None,
        ),
        (Override("新闻", category="其他"), "d", "新闻", "http://d/x.htm", None, "其他"),
    ],
)
def test_overrides(
    override: Override, site: str, name: str, url: str, item: str | None, category: str | None
) -> None:
    found = Mapper(CATALOG, [override]).map(site, name, url)
    assert found.item_id == item
    if category is not None:
        assert found.category == category
    if item != "admission.charter":
        assert found.via == "override" and found.describe().startswith("配置指定")


def test_a_url_override_beats_a_name_override(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[[mapping.overrides]]\ncolumn = "公示"\nitem = "students.aid"\n'
        '[[mapping.overrides]]\ncolumn = "http://d/gs.htm"\nitem = "finance.fees"\n'
        '[[sites]]\nname = "d"\nkind = "disclosure"\nstart_urls = ["http://d/"]\n',
        encoding="utf-8",
    )
    config = load_config(path)
    mapper = Mapper(CATALOG, overrides_from_config(config, CATALOG))
    assert mapper.map("d", "公示", "http://d/gs.htm").item_id == "finance.fees"
    assert mapper.map("d", "公示", "http://d/other.htm").item_id == "students.aid"


def test_describe_says_how() -> None:
    assert FULL.map("s", "招生章程", "u").describe() == "关键词“招生章程”"
    assert FULL.map("s", "新闻动态", "u").describe() == "未匹配清单事项，按通用规则"
