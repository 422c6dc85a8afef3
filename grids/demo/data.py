"""The demo districts as data: the tree of Yaohai (瑶海区) from the article, a small second district, and the
name lists the builder draws people, compounds and resident units from.

Figures from the article (see docs and the seed facts): 13 streets / towns / zones, 66 communities, 596 grids
(520 resident, 76 exclusive); Changhuai Street has 51 grids; Tielu Yicun community in Sanlijie Street has 7
resident grids, two of them in the Langya compound. Everything else (names, shapes, people) is made up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SEED = 340102  # one fixed seed: the demo data set is the same on every machine and every run

# (min_lon, min_lat, max_lon, max_lat) — a rectangle around the district's real extent.
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class CommunitySpec:
    """A community (or village) and how many grids of each kind it holds; `pinned_*` name some of them."""

    name: str
    resident: int
    exclusive: int
    subkind: str = "community"
    pinned_resident: tuple[str, ...] = ()
    pinned_exclusive: tuple[str, ...] = ()


@dataclass(frozen=True)
class StreetSpec:
    name: str
    subkind: str
    communities: tuple[CommunitySpec, ...]


@dataclass(frozen=True)
class DistrictSpec:
    name: str
    code: str
    box: Box
    streets: tuple[StreetSpec, ...]
    username_prefix: str
    exclusive_pool: tuple[str, ...] = field(default=())
    # Changhuai-style 1+4+X: streets whose grids also get an instructor, a market supervisor and more informants.
    one_four_x_streets: tuple[str, ...] = ()
    police_gaps: int = 0  # grids left without a community police officer (roster gaps to show)
    headless_communities: int = 0  # communities whose grid-head post stands empty


def _c(name, resident, exclusive, subkind="community", resident_names=(), exclusive_names=()):
    return CommunitySpec(name, resident, exclusive, subkind, tuple(resident_names), tuple(exclusive_names))


# ---------------------------------------------------------------------------------------------------------
# Yaohai District (瑶海区), Hefei — 340102
# ---------------------------------------------------------------------------------------------------------

CHANGHUAI = "长淮街道"
SANLIJIE = "三里街街道"
TIELU_YICUN = "铁路一村社区"
HUOCHEZHAN = "火车站社区"
LANGYA_FIRST_GRID = "琅琊小区第一网格"

# fmt: off
YAOHAI_STREETS = (
    StreetSpec("明光路街道", "subdistrict", (
        _c("明光路社区", 9, 1),
        _c("长江东路社区", 8, 2),
        _c("凤阳路社区", 8, 1),
        _c("淮河东路社区", 9, 1),
        _c("东七里社区", 8, 1),
        _c("大通路社区", 8, 1),
    )),
    StreetSpec("胜利路街道", "subdistrict", (
        _c("胜利路社区", 9, 1),
        _c("当涂路社区", 8, 2),
        _c("新安社区", 8, 1),
        _c("合裕路社区", 9, 1),
        _c("卫岗社区", 8, 1),
    )),
    StreetSpec(SANLIJIE, "subdistrict", (
        _c(TIELU_YICUN, 7, 0, resident_names=(
            LANGYA_FIRST_GRID, "琅琊小区第二网格", "铁路一村第一网格", "铁路一村第二网格", "铁路一村第三网格",
            "机务段宿舍网格", "三里街东苑网格",
        )),
        _c("三里街社区", 8, 1),
        _c("铁路二村社区", 7, 1),
        _c("琥珀社区", 7, 1),
        _c("一环社区", 8, 2),
        _c("郎溪路社区", 7, 1),
        _c("新海社区", 8, 1),
    )),
    StreetSpec(CHANGHUAI, "subdistrict", (
        _c(HUOCHEZHAN, 8, 2, exclusive_names=("合肥市第四十五中学专属网格", "合肥火车站专属网格")),
        _c("站北社区", 7, 1),
        _c("长淮社区", 7, 2, exclusive_names=("长淮农贸市场专属网格",)),
        _c("站西社区", 7, 1, resident_names=("宝文国际花园第一网格", "宝文国际花园第二网格")),
        _c("新站社区", 7, 1),
        _c("北二环社区", 7, 1),
    )),
    StreetSpec("和平路街道", "subdistrict", (
        _c("和平路社区", 8, 1, exclusive_names=("市第二人民医院专属网格",)),
        _c("裕溪路社区", 8, 2),
        _c("纺织社区", 8, 1),
        _c("化工社区", 8, 1),
        _c("东风社区", 8, 1),
    )),
    StreetSpec("铜陵路街道", "subdistrict", (
        _c("铜陵路社区", 9, 1),
        _c("新城社区", 8, 1),
        _c("临泉路社区", 8, 2),
        _c("白水坝社区", 8, 1),
        _c("四里河社区", 8, 1),
    )),
    StreetSpec("七里站街道", "subdistrict", (
        _c("七里站社区", 8, 1),
        _c("和平花园社区", 7, 1),
        _c("红星社区", 8, 1),
        _c("纺织新村社区", 7, 1),
        _c("站东社区", 8, 1),
        _c("东瑶社区", 7, 1),
    )),
    StreetSpec("红光街道", "subdistrict", (
        _c("红光社区", 8, 1),
        _c("淮滨社区", 7, 1),
        _c("东方社区", 8, 1),
        _c("嘉和社区", 7, 1),
        _c("康宁社区", 8, 1),
    )),
    StreetSpec("城东街道", "subdistrict", (
        _c("城东社区", 8, 1),
        _c("龙岗路社区", 8, 1),
        _c("瑶海社区", 8, 1),
        _c("车站路社区", 8, 1),
        _c("滨河社区", 8, 1),
    )),
    StreetSpec("方庙街道", "subdistrict", (
        _c("方庙社区", 8, 2),
        _c("胜利新村社区", 8, 1),
        _c("蚌埠路社区", 8, 1),
        _c("银屏社区", 8, 1),
    )),
    StreetSpec("嘉山路街道", "subdistrict", (
        _c("嘉山路社区", 8, 1),
        _c("工人新村社区", 7, 1),
        _c("长丰路社区", 8, 1),
        _c("和顺社区", 7, 1),
    )),
    StreetSpec("大兴镇", "town", (
        _c("大兴社区", 8, 1),
        _c("新桥社区", 8, 2),
        _c("瑶岗社区", 8, 1),
        _c("陶冲村", 7, 1, subkind="village"),
        _c("龙塘村", 7, 1, subkind="village"),
    )),
    StreetSpec("龙岗综合经济开发区", "development_zone", (
        _c("龙岗社区", 10, 2),
        _c("站塘社区", 10, 2),
        _c("东桥社区", 9, 1),
    )),
)

# Schools, hospitals, markets, enterprises and public bodies: one exclusive grid each (专属网格).
YAOHAI_EXCLUSIVE_UNITS = (
    # schools
    "合肥市第三十八中学", "合肥市第三十三中学", "合肥市第四十三中学", "合肥市第五十中学东校",
    "瑶海区明光路小学", "瑶海区胜利路小学", "瑶海区三里街小学", "瑶海区长淮小学", "瑶海区和平小学",
    "瑶海区铜陵路小学", "瑶海区七里站小学", "瑶海区红光小学", "瑶海区方庙小学", "瑶海区嘉山路小学",
    "瑶海区大兴中心学校", "瑶海区龙岗中学", "合肥工业学校", "合肥铁路工程学校", "瑶海区实验幼儿园",
    "瑶海区机关幼儿园",
    # hospitals and clinics
    "瑶海区人民医院", "合肥市第八人民医院", "瑶海区妇幼保健院", "合肥铁路医院", "瑶海区中医院",
    "明光路社区卫生服务中心", "三里街社区卫生服务中心", "七里站社区卫生服务中心", "和平路社区卫生服务中心",
    "大兴镇卫生院",
    # markets
    "明光路农贸市场", "三里街农贸市场", "铜陵路农贸市场", "站前农贸市场", "七里站农贸市场", "红光农贸市场",
    "方庙农贸市场", "大兴农贸市场", "合肥商贸城", "白水坝小商品市场", "瑶海建材市场", "裕溪路水果批发市场",
    "安徽日用品批发市场", "合肥服装城",
    # enterprises and public bodies
    "合肥客车制造厂", "合肥钢铁集团生活区", "江淮纺织有限公司", "合肥化工厂", "合肥搪瓷厂",
    "瑶海供电营业所", "合肥汽车客运总站", "瑶海物流园", "瑶海万达广场", "合肥百货大楼瑶海店",
    "新安江路商业街", "华润万家站前店", "龙岗工业园", "瑶海科技园", "瑶海区政务服务中心",
    "瑶海区养老服务中心", "瑶海区图书馆", "安徽国际商务中心", "合肥热电厂", "合肥自来水二厂",
    "瑶海公园", "合肥东部新中心", "瑶海区文化馆", "少荃湖景区", "大兴工业园", "瑶海区特殊教育学校",
    "合肥北站货场", "瑶海区消防救援大队", "和平广场", "轨道交通瑶海车辆段",
)
# fmt: on

YAOHAI = DistrictSpec(
    name="瑶海区",
    code="340102",
    box=(117.28, 31.84, 117.42, 31.93),
    streets=YAOHAI_STREETS,
    username_prefix="yh",
    exclusive_pool=YAOHAI_EXCLUSIVE_UNITS,
    one_four_x_streets=(CHANGHUAI,),
    police_gaps=3,
    headless_communities=1,
)

# ---------------------------------------------------------------------------------------------------------
# Luyang District (庐阳区) — 340103: a small second tenant, west of Yaohai, to show isolation
# ---------------------------------------------------------------------------------------------------------

BOZHOULU = "亳州路街道"
BEIMEN = "北门社区"
LUYANG_GRID = "北门社区第一网格"

LUYANG = DistrictSpec(
    name="庐阳区",
    code="340103",
    box=(117.22, 31.85, 117.28, 31.92),
    streets=(  # fmt: skip
        StreetSpec(
            BOZHOULU,
            "subdistrict",
            (
                _c(BEIMEN, 2, 1, resident_names=(LUYANG_GRID, "北门社区第二网格")),
                _c("大杨店社区", 2, 0),
            ),
        ),
        StreetSpec(
            "杏花村街道",
            "subdistrict",
            (
                _c("杏花村社区", 3, 0),
                _c("西园社区", 2, 1),
            ),
        ),
    ),
    username_prefix="ly",
    exclusive_pool=("合肥市第一人民医院", "庐阳区亳州路小学", "杏花公园"),
)

DISTRICTS = (YAOHAI, LUYANG)

# ---------------------------------------------------------------------------------------------------------
# Names of compounds (for resident grids) and of people
# ---------------------------------------------------------------------------------------------------------

# Old works compounds of an industrial district: many without property management (三无小区).
# fmt: off
OLD_COMPOUNDS = (
    "铁路新村", "纺织厂宿舍", "钢厂宿舍", "化工厂宿舍", "机械厂宿舍", "棉纺厂宿舍", "粮食局宿舍",
    "供电局宿舍", "面粉厂宿舍", "食品厂宿舍", "木材厂宿舍", "印刷厂宿舍", "水泥厂宿舍", "搪瓷厂宿舍",
    "客车厂宿舍", "轮胎厂宿舍", "玻璃厂宿舍", "电机厂宿舍", "针织厂宿舍", "锻压厂宿舍", "肉联厂宿舍",
    "自行车厂宿舍", "无线电厂宿舍", "火柴厂宿舍", "卷烟厂宿舍", "汽车修理厂宿舍", "邮电局宿舍", "商业局宿舍",
    "农机厂宿舍", "变压器厂宿舍",
)
COMPOUND_PREFIXES = (
    "长江", "明光", "胜利", "和平", "龙岗", "方庙", "站前", "铜陵", "红光", "嘉山", "七里", "瑶海", "新安",
    "东方", "滨河", "锦绣", "书香", "阳光", "幸福", "怡景", "金桥", "华地", "翠竹", "香樟", "紫云", "凤凰",
    "淮河", "裕溪", "当涂", "临泉", "琥珀", "白水", "瑶岗", "北城", "文博", "安居", "宏图", "东苑", "清溪",
    "梅园", "桂花", "丽景", "康乐", "振兴", "建华", "新华", "光明", "春晖",
)
COMPOUND_SUFFIXES = ("花园", "小区", "新村", "家园", "苑", "公寓", "雅苑", "嘉园", "名邸", "新城", "里", "佳苑")
# fmt: on

SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
    "杜叶程程苏魏吕丁任沈姚卢姜崔钟谭陆汪汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严武戴孔汤葛桂储鲍"
)
GIVEN_NAME_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌宇浩凯鹏俊帆晨欣怡婷雪琳慧佳颖倩"
    "梅海波辉林飞鑫亮成健峰春云荣新宁东翔君睿瑶晓燕莉凤玲珍梦琪子涵思雨家乐振安庆德永宏昌"
)

# ---------------------------------------------------------------------------------------------------------
# Rosters (三定): who holds which post where, and the deliberate gaps the roster pages should show
# ---------------------------------------------------------------------------------------------------------

PROPERTY_SHARE = 0.5  # resident grids with property staff (the rest are old compounds without management)
LAW_ENFORCEMENT_SHARE = 0.35  # grids with an enforcement team member on the roster
INFORMANT_SHARE = 0.5  # grids with an information officer (Changhuai: every grid, 2–3 of them)
GRIDS_PER_POLICE_OFFICER = 3  # a community police officer covers about three grids of one community
GRIDS_PER_ENFORCER = 5  # an enforcement team member covers about five grids of one street
START_DATES = ("2021-03-01", "2025-09-30")  # assignments start on a random day in this range

DUTIES = {
    "grid_worker": "负责{node}的日常巡查、人地事物信息采集、事件发现上报与跟踪核查。",
    "grid_head": "统筹{node}各类网格力量，组织议事协商，对本级网格治理负总责。",
}

# ---------------------------------------------------------------------------------------------------------
# Demo accounts (their password is settings.DEMO_PASSWORD, printed only by `manage.py load_demo`)
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str  # what the console shows
    display_name: str
    district: str | None = None  # tenant code; None for the superuser
    superuser: bool = False
    tenant_admin: bool = False
    post: str | None = None  # post code held on `node`
    node: tuple[str, ...] = ()  # path of names below the district root
    admin_role: str = ""  # 三员分立: "system", "security" or "audit" (grids.choices.AdminRole)
    # A handling unit's person (no post on the tree): the name of the events demo's unit they are a member of.
    unit: str = ""

    @property
    def needs_two_factors(self) -> bool:
        return self.superuser or self.tenant_admin or bool(self.admin_role)


# The demo administrators' authenticator secret (base32), printed by `manage.py load_demo`: add it to an
# authenticator app, or print the current code with `manage.py demo_code` (DEBUG only). A demo value, public.
DEMO_TOTP_SECRET = "EWANGQINGYAOHAIDEMOTWOFACTORKEYS"


DEMO_ACCOUNTS = (
    DemoAccount("admin", "超级管理员（全部辖区）", "系统管理员", superuser=True),
    DemoAccount("yaohai_admin", "瑶海区租户管理员", "瑶海区管理员", district="340102", tenant_admin=True),
    DemoAccount("district_officer", "瑶海区 网格长（区级）", "周建国", district="340102", post="grid_head"),
    DemoAccount(
        "changhuai_officer",
        "长淮街道 网格长（一级网格）",
        "李振华",
        district="340102",
        post="grid_head",
        node=(CHANGHUAI,),
    ),
    DemoAccount(
        "tielu_officer",
        "铁路一村社区 网格长（二级网格）",
        "王秀英",
        district="340102",
        post="grid_head",
        node=(SANLIJIE, TIELU_YICUN),
    ),
    DemoAccount(
        "grid_worker",
        "琅琊小区第一网格 专职网格员",
        "陈晓燕",
        district="340102",
        post="grid_worker",
        node=(SANLIJIE, TIELU_YICUN, LANGYA_FIRST_GRID),
    ),
    # The grid worker's street: her community head (tielu_officer) and this officer see her events.
    DemoAccount(
        "sanlijie_officer", "三里街街道 网格长（一级网格）", "赵德明", district="340102", post="grid_head",
        node=(SANLIJIE,),
    ),
    # A handling unit's person: signs for and handles what a community dispatches to 区城管执法大队.
    DemoAccount(
        "unit_handler", "区城管执法大队 处置员（处置单位）", "孙立新", district="340102", unit="区城管执法大队",
    ),
    DemoAccount("luyang_admin", "庐阳区租户管理员", "庐阳区管理员", district="340103", tenant_admin=True),
    # Luyang's officers, grid worker and handling unit: the isolation seen from the other side.
    DemoAccount("luyang_officer", "庐阳区 网格长（区级）", "钱文斌", district="340103", post="grid_head"),
    DemoAccount(
        "bozhoulu_officer", "亳州路街道 网格长（一级网格）", "吴海波", district="340103", post="grid_head",
        node=(BOZHOULU,),
    ),
    DemoAccount(
        "beimen_officer", "北门社区 网格长（二级网格）", "郑丽娟", district="340103", post="grid_head",
        node=(BOZHOULU, BEIMEN),
    ),
    DemoAccount(
        "luyang_grid_worker", "北门社区第一网格 专职网格员", "冯雪梅", district="340103", post="grid_worker",
        node=(BOZHOULU, BEIMEN, LUYANG_GRID),
    ),
    DemoAccount(
        "luyang_unit_handler", "庐阳区 区城管执法大队 处置员（处置单位）", "蒋志强", district="340103",
        unit="区城管执法大队",
    ),
    # 三员分立: one system, one security and one audit administrator per district.
    DemoAccount(
        "yaohai_sysadmin", "瑶海区系统管理员（网格树、类别、日历）", "瑶海区系统管理员", district="340102",
        tenant_admin=True, admin_role="system",
    ),
    DemoAccount(
        "yaohai_secadmin", "瑶海区安全管理员（账号、岗位、权限、第二因子）", "瑶海区安全管理员", district="340102",
        tenant_admin=True, admin_role="security",
    ),
    DemoAccount(
        "yaohai_auditor", "瑶海区审计管理员（审计日志 /audit/）", "瑶海区审计管理员", district="340102",
        admin_role="audit",
    ),
    DemoAccount(
        "luyang_sysadmin", "庐阳区系统管理员", "庐阳区系统管理员", district="340103", tenant_admin=True,
        admin_role="system",
    ),
    DemoAccount(
        "luyang_secadmin", "庐阳区安全管理员", "庐阳区安全管理员", district="340103", tenant_admin=True,
        admin_role="security",
    ),
    DemoAccount("luyang_auditor", "庐阳区审计管理员", "庐阳区审计管理员", district="340103", admin_role="audit"),
)
