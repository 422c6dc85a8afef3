"""`manage.py demo_code`: the current one-time code of the demo administrators' authenticator secret (DEBUG only),
for a demo visitor without an authenticator app at hand."""

import base64

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from grids.demo.data import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "显示演示管理员的当前动态验证码（仅 DEBUG 模式；密钥见 manage.py load_demo 的输出）。"

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code 只在演示环境（DJANGO_DEBUG=1）中可用。")
        totp = TOTP(base64.b32decode(DEMO_TOTP_SECRET))
        self.stdout.write(f"{totp.token():06d}（{30 - int(totp.time) % 30} 秒内有效）")
