"""Chinese vocabulary for the demo college: item titles and article bodies built from word lists.

Everything here is a pure function of a seeded `random.Random` and the item's date, so the demo is
deterministic. Every word must be encodable in GBK: the old finance site serves its pages in GBK.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

SCHOOL = "滨江城市职业学院"
SCHOOL_SHORT = "学院"

DEPTS = (
    "党委宣传部",
    "学院办公室",
    "教务处",
    "学生工作处",
    "招生就业处",
    "财务处",
    "后勤管理处",
    "人事处",
    "科研处",
    "团委",
    "信息中心",
    "国有资产管理处",
)
SCHOOLS_INNER = (
    "智能制造学院",
    "信息工程学院",
    "建筑工程学院",
    "经济管理学院",
    "医药健康学院",
    "艺术设计学院",
    "交通运输学院",
    "现代服务学院",
)
MEETINGS = (
    "党风廉政建设工作会议",
    "教学工作会议",
    "安全稳定工作会议",
    "意识形态工作专题会议",
    "招生就业工作推进会",
    "新学期工作部署会",
    "教职工代表大会",
    "学术委员会全体会议",
    "专业建设指导委员会会议",
    "校园安全工作会议",
)
ACTIVITIES = (
    "学生资助政策宣传",
    "劳动教育实践",
    "心理健康教育",
    "网络安全宣传周",
    "校园开放日",
    "志愿服务",
    "职业技能竞赛",
    "消防应急疏散演练",
    "读书月",
    "文明校园创建",
    "课程思政示范课程申报",
    "教学能力比赛",
    "实习实训基地检查",
    "图书馆阅读推广",
)
WORKS = (
    "学生资助",
    "毕业生离校",
    "新生入学报到",
    "期末考试",
    "教材征订",
    "学籍清查",
    "档案整理",
    "预算编制",
    "固定资产清查",
    "校园疫情防控",
    "安全隐患排查",
    "人才培养方案修订",
    "教学质量评价",
    "学生综合测评",
)
HOLIDAYS = ("寒假", "暑假", "国庆节", "劳动节", "端午节", "中秋节", "清明节", "元旦")
PLACES = ("合作企业", "兄弟院校", "产业园区", "实训基地", "对口帮扶县", "职教集团成员单位")
COMPETITIONS = (
    "全国职业院校技能大赛",
    "省职业院校技能大赛",
    "中国国际大学生创新大赛",
    "全国大学生电子设计竞赛",
    "省大学生数学建模竞赛",
    "“挑战杯”大学生创业计划竞赛",
)
PRIZES = ("一等奖", "二等奖", "三等奖", "优秀奖", "金奖", "银奖")
PAPERS = ("中国教育报", "光明日报", "省日报", "中国青年报", "新华网", "人民网", "城市晚报")
HEADLINES = (
    "深化产教融合 培养高素质技术技能人才",
    "打造“双师型”教师队伍",
    "以赛促学 以赛促教",
    "职业教育服务地方经济发展",
    "探索现代学徒制人才培养新路径",
    "志愿服务温暖社区",
    "毕业生就业率保持高位",
)
POLICIES = (
    "学生学籍管理",
    "学生奖励与处分",
    "国家助学金评审",
    "财务报销",
    "固定资产管理",
    "政府采购",
    "教职工考勤",
    "教学事故认定与处理",
    "公务接待",
    "信息公开工作",
    "科研经费管理",
    "实验室安全管理",
    "学术道德规范",
    "校园突发事件应急预案",
)
POSTS = ("专任教师", "辅导员", "实验实训人员", "行政管理人员", "高层次人才", "附属单位工作人员")
PROJECTS = (
    "智能制造实训中心设备",
    "教学楼维修改造",
    "学生公寓空调安装",
    "图书馆图书",
    "校园网升级改造",
    "实训室建设",
    "食堂设备",
    "办公家具",
    "虚拟仿真实训平台",
    "消防设施维保",
)
PROVINCES = ("本省", "河北省", "山东省", "河南省", "吉林省", "辽宁省", "内蒙古自治区", "四川省", "安徽省")
COMPANIES = ("华远智能科技", "东方轨道交通", "鼎盛建设集团", "恒通物流", "新城医药", "启明软件", "北辰汽车")
FEES = ("学费", "住宿费", "教材费", "职业技能鉴定费", "重修费", "考试报名费")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("建国", "晓东", "丽华", "志强", "海燕", "文博", "静怡", "明辉", "春梅", "永刚", "子涵", "宏伟")


def _pick(rng: random.Random, words: tuple[str, ...]) -> str:
    return words[int(rng.random() * len(words))]  # randrange is several times slower; bodies need ~30 picks


def _person(rng: random.Random) -> str:
    return SURNAMES[rng.randrange(len(SURNAMES))] + _pick(rng, GIVEN)


def _semester(d: date) -> str:
    start = d.year if d.month >= 8 else d.year - 1
    term = "一" if d.month >= 8 or d.month == 1 else "二"
    return f"{start}-{start + 1}学年第{term}学期"


# Title templates per kind: each takes (rng, the item's date) and returns a title.
_TEMPLATES: dict[str, tuple[Callable[[random.Random, date], str], ...]] = {
    "notice": (
        lambda r, d: f"关于{d.year + (1 if d.month >= 11 else 0)}年{_pick(r, HOLIDAYS)}放假安排的通知",
        lambda r, d: f"关于开展{d.year}年{_pick(r, ACTIVITIES)}工作的通知",
        lambda r, d: f"关于做好{d.year}年{_pick(r, WORKS)}工作的通知",
        lambda r, d: f"关于召开{d.year}年{_pick(r, MEETINGS)}的通知",
        lambda r, d: f"关于{_semester(d)}{_pick(r, WORKS)}有关事项的通知",
        lambda r, d: f"关于公布{d.year}年{_pick(r, ACTIVITIES)}评选结果的通知",
    ),
    "news": (
        lambda r, d: f"学院召开{d.year}年度{_pick(r, MEETINGS)}",
        lambda r, d: f"学院领导带队赴{_pick(r, PLACES)}开展调研",
        lambda r, d: f"我院学子在{d.year}年{_pick(r, COMPETITIONS)}中荣获{_pick(r, PRIZES)}",
        lambda r, d: f"{_pick(r, SCHOOLS_INNER)}开展{_pick(r, ACTIVITIES)}活动",
        lambda r, d: f"学院举行{d.year}年{_pick(r, ACTIVITIES)}启动仪式",
        lambda r, d: f"{_pick(r, DEPTS)}召开{_pick(r, MEETINGS)}",
        lambda r, d: f"{_pick(r, COMPANIES)}公司来我院洽谈校企合作",
    ),
    "media": (lambda r, d: f"《{_pick(r, PAPERS)}》：{SCHOOL}{_pick(r, HEADLINES)}",),
    "policy": (
        lambda r, d: f"{SCHOOL}{_pick(r, POLICIES)}办法",
        lambda r, d: f"{SCHOOL}{_pick(r, POLICIES)}实施细则（{d.year}年修订）",
        lambda r, d: f"关于印发《{SCHOOL}{_pick(r, POLICIES)}规定》的通知",
    ),
    "plan": (
        lambda r, d: f"{SCHOOL}{d.year}年工作要点",
        lambda r, d: f"{SCHOOL}“十四五”{_pick(r, ('事业发展', '专业建设', '师资队伍建设', '校园建设'))}规划",
        lambda r, d: f"{d.year}年{_pick(r, DEPTS)}重点工作安排",
    ),
    "basic": (
        lambda r, d: f"{SCHOOL}{d.year}年办学基本情况",
        lambda r, d: f"{SCHOOL}{d.year}-{d.year + 1}学年基本数据",
        lambda r, d: f"学院现任领导及分工（{d.year}年{d.month}月更新）",
    ),
    "report": (lambda r, d: f"{SCHOOL}{d.year}年{_pick(r, ('信息公开年度报告', '质量年度报告'))}",),
    "finance": (
        lambda r, d: f"{SCHOOL}{d.year}年度部门预算公开",
        lambda r, d: f"{SCHOOL}{d.year - 1}年度部门决算公开",
        lambda r, d: f"关于{d.year}年{d.month}月报销工作安排的通知",
        lambda r, d: f"{d.year}年{_pick(r, FEES)}收费标准公示",
    ),
    "procure": (
        lambda r, d: f"{_pick(r, PROJECTS)}采购项目招标公告",
        lambda r, d: f"{_pick(r, PROJECTS)}采购项目中标结果公示",
        lambda r, d: f"{_pick(r, PROJECTS)}项目竞争性磋商公告",
        lambda r, d: f"{_pick(r, PROJECTS)}项目更正公告",
    ),
    "personnel": (
        lambda r, d: f"{SCHOOL}{d.year}年公开招聘{_pick(r, POSTS)}公告",
        lambda r, d: f"{SCHOOL}{d.year}年公开招聘{_pick(r, POSTS)}拟聘用人员公示",
        lambda r, d: f"关于{_person(r)}等同志职务任免的通知",
        lambda r, d: f"{d.year}年专业技术职务任职资格评审结果公示",
    ),
    "aid": (
        lambda r, d: f"{d.year}年国家奖学金获奖学生名单公示",
        lambda r, d: f"{d.year}年国家励志奖学金评审结果公示",
        lambda r, d: f"{_semester(d)}国家助学金认定结果公示",
        lambda r, d: f"关于做好{d.year}年生源地信用助学贷款工作的通知",
        lambda r, d: f"{d.year}年勤工助学岗位招聘公告",
    ),
    "teaching": (
        lambda r, d: f"关于{_semester(d)}期末考试安排的通知",
        lambda r, d: f"关于组织{d.year}年全国大学英语等级考试报名的通知",
        lambda r, d: f"{d.year}年职业院校技能大赛{_pick(r, SCHOOLS_INNER)}赛项获奖名单",
        lambda r, d: f"关于开展{d.year}年课程思政示范课程申报工作的通知",
        lambda r, d: f"{_semester(d)}教学检查情况通报",
        lambda r, d: f"关于{d.year}年新增专业及停招专业的公示",
    ),
    "admission": (
        lambda r, d: f"{SCHOOL}{d.year}年高职单独招生章程",
        lambda r, d: f"{SCHOOL}{d.year}年{_pick(r, PROVINCES)}招生计划",
        lambda r, d: f"{d.year}年{_pick(r, PROVINCES)}录取分数线及录取查询",
        lambda r, d: f"{d.year}年新生入学资格复查结果公示",
    ),
    "career": (
        lambda r, d: f"{_pick(r, COMPANIES)}公司{d.year + 1}届毕业生专场招聘会",
        lambda r, d: f"关于做好{d.year}届毕业生就业创业工作的通知",
        lambda r, d: f"{d.year}年大学生创新创业大赛校内选拔赛通知",
        lambda r, d: f"{SCHOOL}{d.year}届毕业生就业质量年度报告",
    ),
    "logistics": (
        lambda r, d: f"关于{d.year}年{_pick(r, HOLIDAYS)}期间后勤服务安排的通知",
        lambda r, d: f"关于{d.month}月份校园停水停电检修的通知",
        lambda r, d: f"学生公寓{_pick(r, ('安全检查', '卫生检查', '维修', '空调安装'))}情况通报",
        lambda r, d: f"食堂{d.year}年{d.month}月食品安全检查结果公示",
    ),
    "supervise": (
        lambda r, d: f"关于{d.year}年巡察反馈意见整改进展情况的通报",
        lambda r, d: f"{SCHOOL}{_pick(r, ('学风建设领导小组', '学术委员会', '学术道德委员会'))}成员名单",
        lambda r, d: f"关于{d.year}年{_pick(r, ACTIVITIES)}的公示",
        lambda r, d: f"{SCHOOL}信访举报受理方式",
    ),
}

KINDS = tuple(_TEMPLATES)

_SENTENCES = (
    "为深入贯彻落实上级有关文件精神，进一步规范相关工作，结合学院实际，现将有关事项通知如下。",
    "各部门、各二级学院要高度重视，明确责任人，认真组织实施，确保各项工作按时保质完成。",
    "会议强调，要坚持以习近平新时代中国特色社会主义思想为指导，全面落实立德树人根本任务。",
    "本次活动共有{n}名师生参加，进一步增强了广大师生的责任意识和服务意识。",
    "学院将以此为契机，持续深化产教融合、校企合作，提升人才培养质量。",
    "请各单位于{m}月{d}日前将相关材料报送{dept}，逾期不予受理。",
    "公示期间，如有异议，请以书面形式向{dept}反映，联系电话：0451-8{n}6{n}。",
    "经个人申请、班级评议、二级学院审核、学院评审委员会评审，现将结果予以公示。",
    "{dept}负责同志出席会议并讲话，各相关部门负责人参加会议。",
    "下一步，学院将继续完善工作机制，强化监督检查，确保各项措施落到实处。",
    "本项目采用公开招标方式采购，欢迎符合资格条件的供应商参加投标。",
    "活动现场气氛热烈，参与同学纷纷表示收获很大。",
)


def title_for(kind: str, rng: random.Random, day: date) -> str:
    """A plausible title of the given kind for an item dated `day`."""
    templates = _TEMPLATES[kind]
    return templates[rng.randrange(len(templates))](rng, day)


def body_for(rng: random.Random, day: date, paragraphs: int = 3) -> tuple[str, ...]:
    """A few plausible paragraphs of article text (deterministic for a given rng state)."""
    out = []
    fill = {"m": day.month, "d": min(28, day.day + 7)}
    for _ in range(paragraphs):
        sentences = [
            _pick(rng, _SENTENCES).format(n=20 + int(rng.random() * 880), dept=_pick(rng, DEPTS), **fill)
            for _ in range(2 + int(rng.random() * 3))
        ]
        out.append("".join(sentences))
    return tuple(out)


def author_for(rng: random.Random) -> str:
    return _pick(rng, DEPTS)
