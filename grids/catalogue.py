"""The default post catalogue of the 1+4+N staffing model, installed into a new tenant and editable after.

A post grants rights by their stored codes; each code is declared, with its label, by the app that owns it
(grids/rights.py, events/rights.py, the assessment's rights.py; yaohai.core.rights). The codes are data here, so
the base app names the rights of the apps above it without importing them."""

from django.db import transaction

from .choices import NodeKind, PostTier
from .services import save_post

ALL_LEVELS = list(NodeKind.values)
OFFICER_ACTIONS = ["view", "report", "dispatch", "verify", "manage_roster", "assess"]
# Personal data (registry): heads keep, reveal and audit in their subtree; the police reveal; grid workers see it
# masked. (Codes of the registry's rights, registry/rights.py.)
HEAD_ACTIONS = [*OFFICER_ACTIONS, "registry.edit", "registry.reveal", "registry.audit",
                # Party building and co-governance (parties/rights.py): the heads keep them in their subtree.
                "parties.manage"]
# Mediation (mediation/rights.py): heads mediate and assign the disputes of their subtree; the police mediate.
HEAD_ACTIONS += ["mediate", "mediation.assign"]
# Residents (residents/rights.py): heads confirm resident accounts of their subtree and block abusive ones.
HEAD_ACTIONS += ["residents.confirm"]
WORKER_ACTIONS = ["view", "report", "verify", "registry.edit"]
# Points (points/rights.py): heads keep the ledger, approve services for the community and handle redemptions;
# grid workers register services. The registrar and the resident representative are posts points installs.
HEAD_ACTIONS += ["points.manage", "points.register", "points.approve", "points.redeem"]
WORKER_ACTIONS += ["points.register"]

# (code, name, tier, required on, rights, duties)
DEFAULT_POSTS = [
    ("grid_head", "网格长", PostTier.HEAD, ALL_LEVELS, HEAD_ACTIONS,
     "统筹本网格（或本级）各类力量，组织巡查、议事和事件处置，对本网格治理负总责。"),
    ("grid_worker", "专职网格员", PostTier.MEMBER, [NodeKind.GRID], WORKER_ACTIONS,
     "定人定岗定责：每日巡查网格，采集人地事物信息，发现并上报事件，跟踪处置并核查结果。"),
    ("law_enforcement", "执法队员", PostTier.MEMBER, [], ["view", "handle"],
     "负责网格内市容秩序、违章搭建等执法事项的处置。"),
    ("police", "社区民警", PostTier.MEMBER, [NodeKind.GRID], ["view", "handle", "mediate", "registry.reveal"],
     "负责网格内治安防控、矛盾纠纷排查化解和信警联治。"),
    ("property", "物业人员", PostTier.MEMBER, [], ["view", "handle"],
     "负责小区设施维护、环境卫生等物业事项的处置与反馈。"),
    ("informant", "信息员", PostTier.MEMBER, [], ["view", "report"],
     "收集社情民意，及时向网格员报告问题线索。"),
    ("instructor", "网格指导员", PostTier.SUPPORT, [], ["view", "assess"],
     "指导网格工作，督促网格员履职，参与考核评价。"),
    ("market_supervisor", "市场监管员", PostTier.SUPPORT, [], ["view", "handle"],
     "负责网格内食品安全、市场秩序等监管事项。"),
]


@transaction.atomic
def install_post_catalogue(tenant, *, actor=None):
    """Create (or bring up to date) the default posts of a tenant; returns them by code."""
    posts = {}
    for order, (code, name, tier, required_on, granted, duties) in enumerate(DEFAULT_POSTS, start=1):
        posts[code] = save_post(
            tenant=tenant, code=code, name=name, tier=tier, duties=duties, rights=granted,
            required_on=required_on, sort_order=order * 10, actor=actor,
        )
    return posts
