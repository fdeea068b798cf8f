"""The shipped catalog (清单, directory, generic limits) and the config overrides merged into it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from monitor.catalog import load_catalog, normalize, read_shipped
from monitor.config import ConfigError
from monitor.configure import load_config

SITE = '\n[[sites]]\nname = "disclosure"\nkind = "disclosure"\nstart_urls = ["http://127.0.0.2:8000/"]\n'

# DOMAIN.md §1: categories and how many items each holds.
CATEGORIES = [
    ("基本信息", 6),
    ("招生考试信息", 8),
    ("财务、资产及收费信息", 7),
    ("人事师资信息", 5),
    ("教学质量信息", 9),
    ("学生管理服务信息", 4),
    ("学风建设信息", 3),
    ("学位、学科信息", 4),
    ("对外交流与合作信息", 2),
    ("其他", 2),
]
GRADUATE_ONLY = 7  # graduate admission (4) and degree items but 学位授予基本要求 (3)


def config(tmp_path: Path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text + SITE, encoding="utf-8")
    return load_config(path)


def test_shipped_list_has_ten_categories_and_fifty_items_in_domain_order() -> None:
    catalog = load_catalog()
    assert [c.name for c in catalog.categories] == [name for name, _ in CATEGORIES]
    assert len(catalog.items) == 50
    assert Counter(i.category for i in catalog.items) == dict(CATEGORIES)
    assert len({i.id for i in catalog.items}) == 50
    # every item keeps a cadence and can be recognised by at least one keyword
    assert all(i.cadence.kind in ("max_age_days", "annual", "event") and i.keywords for i in catalog.items)


def test_item_names_follow_domain_wording() -> None:
    names = {i.name for i in load_catalog().items}
    for expected in (
        "信息公开年度报告",
        "招生章程与特殊类型招生办法、分批次分科类招生计划",
        "研究生招生简章/专业目录/复试录取办法/各院系招生人数",
        "收费项目、依据、标准及投诉方式",
        "校级领导干部因公出国（境）",
        "课程总数与实践/选修学分比例",
        "奖助学金、学费减免、助学贷款、勤工俭学规定",
        "拟新增学位授权点申报及论证材料",
        "突发事件应急预案、预警信息与处置情况",
    ):
        assert expected in names


def test_annual_report_is_due_oct_31_for_the_year_ending_aug_31() -> None:
    item = load_catalog().item("basic.annual_report")
    assert item.cadence.kind == "annual"
    assert dict(item.cadence.params) == {"due": "10-31", "period_end": "08-31"}


@pytest.mark.parametrize(
    ("programs", "expected"),
    [
        (["undergraduate", "graduate"], 50),
        (["vocational"], 50 - GRADUATE_ONLY - 1),  # 学位授予基本要求 concerns bachelor's degrees too
        (["undergraduate"], 50 - GRADUATE_ONLY),
        (["graduate"], 50),
    ],
)
def test_programmes_switch_items_off(tmp_path: Path, programs: list[str], expected: int) -> None:
    catalog = load_catalog(config(tmp_path, f"[catalog]\nprograms = {programs!r}\n".replace("'", '"')))
    applicable = catalog.applicable("")
    assert len(applicable) == expected
    if programs == ["vocational"]:
        assert not any(i.id.startswith(("degrees.", "admission.grad_")) for i in applicable)


def test_config_overrides_change_extend_disable_and_add(tmp_path: Path) -> None:
    text = """
[catalog]
disabled = ["exchange.joint_programs"]

[[catalog.items]]
id = "admission.charter"
add_keywords = ["招考信息"]
max_age_days = 200

[[catalog.items]]
id = "other.emergencies"
disabled = true

[[catalog.items]]
id = "local.party"
name = "党务公开"
category = "其他"
keywords = ["党务公开"]
event = {working_days = 10}

[[catalog.institutions]]
name = "另一学院"
programs = ["undergraduate", "graduate"]
disabled = ["basic.overview"]
"""
    catalog = load_catalog(config(tmp_path, text))
    charter = catalog.item("admission.charter")
    assert "招考信息" in charter.keywords and "招生章程" in charter.keywords
    assert charter.cadence.kind == "max_age_days" and charter.cadence.params["max_age_days"] == 200
    ids = {i.id for i in catalog.applicable("")}
    assert "exchange.joint_programs" not in ids and "other.emergencies" not in ids
    assert "local.party" in ids and catalog.item("local.party").cadence.working_days == 10
    other = {i.id for i in catalog.applicable("另一学院")}
    assert "basic.overview" not in other and "admission.grad_retest" in other


def test_own_directory_replaces_a_shipped_entry_of_the_same_name(tmp_path: Path) -> None:
    text = """
[[catalog.directory]]
name = "财务"
category = "财务、资产及收费信息"
items = ["finance.budget", "finance.accounts"]
max_age_days = 100
"""
    catalog = load_catalog(config(tmp_path, text))
    finance = [e for e in catalog.directory if e.name == "财务"]
    assert len(finance) == 1 and finance[0].items == ("finance.budget", "finance.accounts")
    assert finance[0].cadence is not None and finance[0].cadence.params["max_age_days"] == 100
    without = load_catalog(config(tmp_path, "[catalog]\nshipped_directory = false\n"))
    assert without.directory == ()


def test_generic_limits_are_data_and_overridable(tmp_path: Path) -> None:
    shipped = load_catalog()
    assert shipped.generic_for(normalize("新闻动态")) == (14, "新闻动态")
    assert shipped.generic_for(normalize("通知公告")) == (183, "通知公告")
    assert shipped.generic_for(normalize("人事信息"))[0] == 365
    assert shipped.generic_for(normalize("校园风光")) == (365, "其他栏目")
    text = """
[rules]
default_max_age_days = 400

[[rules.generic]]
name = "新闻动态"
max_age_days = 30

[[rules.generic]]
name = "科研"
keywords = ["科研"]
max_age_days = 90
"""
    catalog = load_catalog(config(tmp_path, text))
    assert catalog.generic_for(normalize("学校要闻")) == (30, "新闻动态")
    assert catalog.generic_for(normalize("科研动态")) == (90, "科研")  # a new group is tried first
    assert catalog.generic_for(normalize("校园风光"))[0] == 400


# (config text, words the ConfigError must contain): the faulty key is named.
MISTAKES = [
    (
        '[[catalog.items]]\nid = "basic.overview"\nannual = {due = "10-31"}\n',
        ["catalog.items[0].annual", "period_end"],
    ),
    ('[[catalog.items]]\nid = "basic.overview"\nannual = {due = "02-29", period_end = "08-31"}\n', ["02-29"]),
    ('[[catalog.items]]\nid = "basic.overview"\nevent = {days = 20}\n', ["catalog.items[0].event", "days"]),
    ('[[catalog.items]]\nid = "basic.overview"\nweekly = 3\n', ["catalog.items[0].weekly", "unknown key"]),
    (
        '[[catalog.items]]\nid = "x.new"\nname = "新事项"\ncategory = "其他"\n',
        ["catalog.items[0]", "a cadence", "max_age_days"],
    ),
    (
        '[[catalog.items]]\nid = "x.new"\nname = "新事项"\ncategory = "无此类"\nmax_age_days = 3\n',
        ["category"],
    ),
    ('[catalog]\ndisabled = ["basic.nope"]\n', ["catalog.disabled", "basic.nope"]),
    ('[catalog]\nprograms = ["doctoral"]\n', ["catalog.programs", "doctoral"]),
    (
        '[[catalog.directory]]\nname = "财务"\nitems = ["finance.nope"]\n',
        ["catalog.directory[0].items", "finance.nope"],
    ),
    ('[[rules.overrides]]\nsite = "disclosure"\n', ["rules.overrides[0]: expected a cadence"]),
    (
        '[[rules.overrides]]\ncolumn = "新闻"\nmax_age_days = 3\nevent = {working_days = 5}\n',
        ["rules.overrides[0].event", "only one"],
    ),
    (
        '[[rules.overrides]]\nitem = "basic.nope"\nmax_age_days = 3\n',
        ["rules.overrides[0].item", "basic.nope"],
    ),
    ('[[rules.overrides]]\nsite = "portal"\nmax_age_days = 3\n', ["rules.overrides[0].site", "portal"]),
    (
        '[[mapping.overrides]]\ncolumn = "新闻"\nitem = "basic.nope"\n',
        ["mapping.overrides[0].item", "basic.nope"],
    ),
    ('[stats]\nyear_end = "8-31"\n', ["stats.year_end", "MM-DD"]),
    ('[[catalog.items]]\nid = "finance.budget"\ntitles = ["预算("]\n', ["catalog.items[0].titles", "预算("]),
    (
        '[[catalog.items]]\nid = "finance.budget"\nadd_titles = [".*"]\n',
        ["catalog.items[0].add_titles", "empty title"],
    ),
    (
        '[[catalog.items]]\nid = "teaching.quality_report"\nnames = {doctoral = "x"}\n',
        ["catalog.items[0].names", "doctoral"],
    ),
]


@pytest.mark.parametrize(("text", "words"), MISTAKES)
def test_mistakes_fail_at_load_naming_the_key(tmp_path: Path, text: str, words: list[str]) -> None:
    from monitor.judge_context import context_from_config

    path = tmp_path / "config.toml"
    with pytest.raises(ConfigError) as info:
        context_from_config(config(tmp_path, text))
    message = str(info.value)
    assert message.startswith(str(path))
    for word in words:
        assert word in message, message


def test_shipped_files_parse_and_every_directory_item_exists() -> None:
    ids = {i["id"] for i in read_shipped("moe_list.toml")["items"]}
    for entry in read_shipped("directory.toml")["columns"]:
        assert set(entry["items"]) <= ids
    names = [
        normalize(n)
        for e in read_shipped("directory.toml")["columns"]
        for n in [e["name"], *e.get("aliases", [])]
    ]
    assert len(names) == len(set(names)), "a directory name appears twice"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("因公出国（境）", "因公出国境"),
        (" 招生 章程 ", "招生章程"),
        ("ＡＢＣ信息", "abc信息"),
        ("【通知公告】", "通知公告"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


# (title as published, the 清单 items it shows): the shipped `titles` patterns, positives and negatives.
TITLES = [
    ("2025年部门预算", {"finance.budget"}),
    ("示例职业学院2025年度部门预算公开", {"finance.budget"}),
    ("2025年收支预算总表", {"finance.budget"}),
    ("2023年度部门决算公开", {"finance.accounts"}),
    ("2024年部门预决算公开", {"finance.budget", "finance.accounts"}),
    ("学校召开2025年预算工作会议", set()),
    ("关于做好2026年部门预算编制工作的通知", set()),
    ("2025年预算执行情况分析", set()),
    ("XX大学2024-2025学年信息公开年度报告", {"basic.annual_report"}),
    ("信息公开工作年度报告（2024年度）", {"basic.annual_report"}),
    ("关于做好信息公开年度报告编制工作的通知", set()),
    ("2024届毕业生就业质量年度报告", {"teaching.employment_report"}),
    ("XX职业学院高等职业教育质量年度报告（2025）", {"teaching.quality_report"}),
    ("2024-2025学年本科教学质量报告", {"teaching.quality_report"}),
    ("关于报送2025年高等职业教育质量年度报告的通知", set()),
    ("XX大学章程", {"basic.charter"}),
    ("2025年本科招生章程", {"admission.charter"}),
    ("2025年硕士研究生招生章程", set()),
    ("XX实验室设备采购项目中标公告", {"finance.procurement"}),
    ("学校党委2025年工作要点", {"basic.plans"}),
    ("学校领导深入基层调研", set()),
    ("XX学院2026年公开招聘辅导员公告", {"personnel.appointments"}),
    ("2026年招聘专任教师公告", {"personnel.appointments"}),
    ("2026年勤工助学岗位招聘公告", set()),
    ("2025年度优秀教师遴选结果公示", set()),
    ("XX省教育厅2025年政府信息公开工作年度报告", set()),
    ("2025年部门预算（草案）公开", {"finance.budget"}),
    ("关于干部任前公示", {"personnel.appointments"}),
]


@pytest.mark.parametrize(("title", "items"), TITLES)
def test_shipped_title_patterns(title: str, items: set[str]) -> None:
    catalog = load_catalog()
    assert {i.id for i in catalog.items if i.title_match(normalize(title))} == items


def test_title_patterns_and_wordings_from_the_config(tmp_path: Path) -> None:
    text = """
[[catalog.items]]
id = "finance.budget"
titles = ["预算安排$"]
[[catalog.items]]
id = "finance.accounts"
add_titles = ["决算报告$"]
[[catalog.items]]
id = "basic.plans"
names = {vocational = "学院发展规划与年度工作要点"}
[[catalog.items]]
id = "local.party"
name = "党务公开"
category = "其他"
max_age_days = 90
add_titles = ["党务公开$"]
[[catalog.institutions]]
name = "职业学院"
programs = ["vocational"]
[[catalog.institutions]]
name = "综合大学"
programs = ["undergraduate", "vocational"]
"""
    catalog = load_catalog(config(tmp_path, text))
    budget, accounts = catalog.item("finance.budget"), catalog.item("finance.accounts")
    assert budget.title_match("2025年预算安排") and not budget.title_match("2025年部门预算")  # replaced
    assert accounts.title_match("2025年决算报告") and accounts.title_match("2024年度部门决算公开")  # added
    assert catalog.item("local.party").title_match("2025年第一季度党务公开")
    assert catalog.name_of("basic.plans", "职业学院") == "学院发展规划与年度工作要点"
    assert catalog.name_of("teaching.quality_report", "职业学院") == "高等职业教育质量年度报告"  # shipped
    # an institution that also runs undergraduate programmes reads the 清单's own wording
    assert catalog.name_of("teaching.quality_report", "综合大学") == "本科教学质量报告"
    assert catalog.name_of("teaching.quality_report", "别的学校") == "本科教学质量报告"
