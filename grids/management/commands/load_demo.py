"""`manage.py load_demo`: the demo data set (Yaohai District from the article, plus Luyang) and its accounts."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from grids.demo.builder import load_demo
from grids.demo.data import DEMO_ACCOUNTS, DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = (
        "载入演示数据：瑶海区（13 个街镇、66 个社区、596 个网格及三定名册）和庐阳区，并打印演示账号。"
        "已存在的区不会重建，可重复运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="只打印演示账号，不打印进度和统计。")

    def handle(self, *args, quiet=False, **options):
        began = time.monotonic()
        log = (lambda message: None) if quiet else self.stdout.write
        try:
            report = load_demo(log=log)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        elapsed = time.monotonic() - began

        if not quiet:
            for district in report.districts:
                if not district.created:
                    self.stdout.write(f"{district.name}（{district.code}）已存在，跳过。")
                    continue
                n = district.nodes
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{district.name}（{district.code}）：{n['street']} 个街镇、{n['community']} 个社区（村）、"
                        f"{n['grid']} 个网格（居民网格 {n['resident']}，专属网格 {n['exclusive']}）；"
                        f"人员 {district.users}，三定分配 {district.assignments}。"
                    )
                )
                for gap in district.gaps:
                    self.stdout.write(f"  名册空缺：{gap}")
            self.stdout.write(f"用时 {elapsed:.1f} 秒。")
            self.stdout.write("")
        self.stdout.write(
            "演示账号（密码来自 settings.DEMO_PASSWORD；标 * 的管理员登录时还需动态验证码：在验证器应用中添加密钥 "
            f"{DEMO_TOTP_SECRET}，或运行 manage.py demo_code 显示当前验证码）："
        )
        width = max(len(a.username) for a in report.accounts)
        for account in report.accounts:
            if not account.exists:
                note = "（不存在：该区并非由本命令创建）"
            elif account.created:
                note = ""
            else:
                note = "（已存在，密码未重置）"
            mark = "*" if account.username in self._two_factor_accounts() else " "
            self.stdout.write(f" {mark}{account.username:<{width}}  {account.password}  {account.role}{note}")

    @staticmethod
    def _two_factor_accounts() -> set[str]:
        return {a.username for a in DEMO_ACCOUNTS if a.needs_two_factors}
