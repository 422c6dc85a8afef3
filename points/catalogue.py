"""The posts the passbook needs, installed into a new tenant beside the 1+4+N catalogue and editable after:
the registrar (登记员) who records services, and the resident representative (居民代表) who approves them with the
community. (Grid heads hold the community's rights through grids/catalogue.py HEAD_ACTIONS.)"""

from django.db import transaction

from grids.choices import PostTier
from grids.services import save_post

from .rights import REGISTER, REPRESENT

POINTS_POSTS = [
    ("registrar", "登记员", [REGISTER], "登记志愿者和小巷管家的服务：谁、何种服务、何时、多长时间，附照片。"),
    ("resident_representative", "居民代表", [REPRESENT], "代表居民监督服务积分：审核登记员登记的服务记录。"),
]


@transaction.atomic
def install_points_posts(tenant, *, actor=None):
    """Create (or bring up to date) the registrar's and the resident representative's posts; returns them by code."""
    return {
        code: save_post(
            tenant=tenant, code=code, name=name, tier=PostTier.SUPPORT, duties=duties, rights=granted,
            sort_order=200 + order, actor=actor,
        )
        for order, (code, name, granted, duties) in enumerate(POINTS_POSTS)
    }
