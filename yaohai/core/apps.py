from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Model-free helpers shared by the apps: template tags, the base views, xlsx writing."""

    name = "yaohai.core"
    label = "core"

    def ready(self):
        from . import sessions  # noqa: F401  (connects the sign-in receiver)
        from .shell import register_core

        register_core()  # 工作台 / 首页 / 我的 and the administration in the menu

