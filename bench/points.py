"""Time the points passbook on PostgreSQL: 1,000,000 ledger entries over 100,000 passbooks.

    DJANGO_SETTINGS_MODULE=yaohai.settings .venv/bin/python -m bench.points --generate --runs 11 \\
        --database-url postgres://postgres@127.0.0.1:5432/yaohai_bench_points

--generate migrates the database, makes one district (BENCHP: a street, 10 communities, 2 grids each) with a
grid head per community, then inserts in SQL 100,000 registry people with their passbooks (10,000 per community),
each community's issuing account and reward pool, and 500,000 movements of two entries each (grants from the
issuing account, one in five a spend into the pool): 1,000,000 entries. One passbook in a thousand is a heavy
one (about 500 entries), the others hold about 5; `balance_after` is a running sum and every balance equals the
sum of its entries (checked at the end of the generation by points.integrity).

It prints, for an ordinary and a heavy passbook, medians of --runs runs after one warm-up:
- **page ms**: GET /points/accounts/<pk>/ through Django's test client as the community's grid head (session,
  user, scope, the passbook, its latest 50 entries, rewards within reach, open redemptions, the template), and the
  next (older) page, ?before=<the last id>;
- **selectors ms**: `selectors.passbook` + `selectors.history` alone;
- **SQL ms**: the same reads by hand (the account by id, 51 entries by the (account, -id) index);
- **credits/s**: `ledger.move` grants one after another (each its own transaction, row locks, two entries, the
  balance updates), over --credits movements.

The concurrency run (the issue's “done when”, at full size; tests/points/test_concurrency.py runs it small):

    DJANGO_SETTINGS_MODULE=yaohai.settings .venv/bin/python -m bench.points --concurrency 1000 --workers 32 \
        --database-url postgres://postgres@127.0.0.1:5432/yaohai_bench_points

--concurrency N sends N redemption requests through `spending.redeem` from --workers threads at once (each its own
PostgreSQL connection) against one reward with N/10 in stock and N/10 passbooks of limited balances (10, 20 or 30
points at 10 a piece: they could afford about twice the stock, so both the balances and the stock refuse some);
each passbook asks four times in a row, the fourth a double submit (the key of the third). It checks, and prints: nothing oversold (sold = stock
taken, stock ≥ 0), no negative balance, every balance equal to the sum of its entries (points.integrity), every key
paid once (one payment movement per redemption, one redemption per key), and the throughput. It makes its own
small district (349902) on the first run and fresh passbooks and a fresh reward on every run; it needs no
--generate and runs alone when neither --generate nor --runs is asked for (`--concurrency 0` skips it).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from bench.run import _setup, median_ms

PASSBOOKS = 100_000
MOVEMENTS = 500_000
COMMUNITIES = 10
TENANT = "349901"  # a district code is six digits
CONCURRENCY_TENANT = "349902"


def generate(passbooks: int, movements: int) -> None:
    """The district, its heads, and the ledger (see the module's docstring)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from grids.models import Tenant
    from points.integrity import differences

    call_command("migrate", verbosity=0)
    if Tenant.objects.filter(code=TENANT).exists():
        print("the bench district exists already; drop the database to generate again", file=sys.stderr)
        return
    began = time.perf_counter()
    with transaction.atomic():
        _generate(passbooks, movements)
    with connection.cursor() as cursor:
        for table in ("points_entry", "points_account", "points_movement", "registry_resident"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    found = differences()
    print(f"generated in {time.perf_counter() - began:.0f} s; ledger differences: {len(found)}")


def _generate(passbooks: int, movements: int) -> None:
    from django.db import connection

    from grids import services as grids
    from grids.catalogue import install_post_catalogue
    from grids.models import GridNode, User
    from points.services import ledger

    tenant = grids.create_tenant(name="积分基准区", code=TENANT)
    posts = install_post_catalogue(tenant)
    root = GridNode.objects.get(tenant=tenant, parent__isnull=True)
    street = grids.create_node(parent=root, subkind="subdistrict", name="基准街道")
    communities = []
    for c in range(COMMUNITIES):
        community = grids.create_node(parent=street, subkind="community", name=f"基准社区{c + 1}")
        for g in (1, 2):
            grids.create_node(parent=community, subkind="resident", name=f"网格{g}")
        head = User(username=f"benchp_head_{community.pk}", tenant=tenant, display_name=f"网格长{c + 1}")
        head.set_unusable_password()
        head.save()
        grids.assign(user=head, post=posts["grid_head"], node=community, start_date=community.created_at.date())
        ledger.issuing_account(node=community)
        ledger.reward_pool(node=community)
        communities.append(community)
    per = passbooks // COMMUNITIES
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_grids AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, * FROM grids_gridnode "
            "WHERE tenant_id = %(tenant)s AND kind = 'grid'; CREATE UNIQUE INDEX ON bench_grids (n)",
            {"tenant": tenant.pk},
        )
        cursor.execute(
            """
            INSERT INTO registry_resident (name, sex, id_type, id_number_encrypted, id_number_index, id_number_masked,
                phone_encrypted, phone_index, phone_masked, registration, occupation, status, created_at, updated_at,
                tenant_id, district_id, street_id, community_id, grid_id, node_id)
            SELECT '志愿者' || i, CASE WHEN i %% 2 = 0 THEN 'female' ELSE 'male' END, 'none', '', '', '', '', '', '',
                   'registered', '', 'living', now(), now(), g.tenant_id, g.district_id, g.street_id, g.community_id,
                   g.id, g.id
            FROM generate_series(0, %(total)s - 1) AS i
            JOIN bench_grids g ON g.n = (i / %(per)s) * 2 + i %% 2
            """,
            {"total": passbooks, "per": per},
        )
        cursor.execute(
            """
            INSERT INTO points_account (kind, number, name, person_id, balance, is_frozen, frozen_reason, flag_reason,
                created_at, tenant_id, district_id, street_id, community_id, grid_id, node_id)
            SELECT 'volunteer', '', r.name, r.id, 0, false, '', '', now(), r.tenant_id, r.district_id, r.street_id,
                   r.community_id, NULL, r.community_id
            FROM registry_resident r WHERE r.tenant_id = %(tenant)s ORDER BY r.id
            """,
            {"tenant": tenant.pk},
        )
        cursor.execute(
            "UPDATE points_account SET number = %(code)s || lpad(id::text, 10, '0') "
            "WHERE tenant_id = %(tenant)s AND kind = 'volunteer'",
            {"tenant": tenant.pk, "code": "YWB" + TENANT},
        )
        # Movements: number m goes to passbook (m * 7919) mod N, or, one in fifty, to a heavy one (each
        # thousandth passbook); one in five is a spend into the community's pool by the passbook granted just
        # before it (a grant of 5 to 15, a spend of 3: no balance goes below zero).
        cursor.execute(
            """
            CREATE TEMP TABLE bench_books AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, community_id FROM points_account
            WHERE tenant_id = %(tenant)s AND kind = 'volunteer';
            CREATE UNIQUE INDEX ON bench_books (n);
            CREATE TEMP TABLE bench_side AS
            SELECT community_id, max(id) FILTER (WHERE kind = 'issuing') AS issuing,
                   max(id) FILTER (WHERE kind = 'pool') AS pool
            FROM points_account WHERE tenant_id = %(tenant)s AND kind IN ('issuing', 'pool') GROUP BY community_id;
            CREATE TEMP TABLE bench_moves AS
            SELECT m, b.id AS book, s.issuing, s.pool,
                   (m %% 5 = 4) AS is_spend, CASE WHEN m %% 5 = 4 THEN 3 ELSE 5 + m %% 11 END AS amount,
                   now() - ((%(moves)s - m) * interval '1 minute') AS at
            FROM generate_series(0, %(moves)s - 1) AS m
            CROSS JOIN LATERAL (SELECT CASE WHEN m %% 5 = 4 THEN m - 1 ELSE m END AS g) AS paired
            JOIN bench_books b ON b.n = CASE WHEN g %% 50 = 0 THEN ((g / 50) %% (%(books)s / 1000)) * 1000
                                              ELSE (g::bigint * 7919) %% %(books)s END
            JOIN bench_side s ON s.community_id = b.community_id;
            """,
            {"tenant": tenant.pk, "moves": movements, "books": passbooks},
        )
        cursor.execute(
            """
            INSERT INTO points_movement (tenant_id, key, kind, debit_id, credit_id, amount, memo, source_type,
                source_id, occurred_at, created_at)
            SELECT %(tenant)s, 'bench:' || m, CASE WHEN is_spend THEN 'spend' ELSE 'grant' END,
                   CASE WHEN is_spend THEN book ELSE issuing END, CASE WHEN is_spend THEN pool ELSE book END,
                   amount, '', '', '', at, at
            FROM bench_moves ORDER BY m
            """,
            {"tenant": tenant.pk},
        )
        cursor.execute(
            """
            INSERT INTO points_entry (account_id, movement_id, amount, balance_after, occurred_at, created_at,
                tenant_id, district_id, street_id, community_id, grid_id, node_id)
            SELECT s.account_id, s.movement_id, s.amount,
                   sum(s.amount) OVER (PARTITION BY s.account_id ORDER BY s.movement_id, s.amount), s.at, s.at,
                   a.tenant_id, a.district_id, a.street_id, a.community_id, a.grid_id, a.node_id
            FROM (
                SELECT id AS movement_id, debit_id AS account_id, -amount AS amount, occurred_at AS at
                FROM points_movement WHERE tenant_id = %(tenant)s
                UNION ALL
                SELECT id, credit_id, amount, occurred_at FROM points_movement WHERE tenant_id = %(tenant)s
            ) s JOIN points_account a ON a.id = s.account_id
            ORDER BY s.movement_id, s.amount
            """,
            {"tenant": tenant.pk},
        )
        cursor.execute(
            """
            UPDATE points_account a SET balance = t.total
            FROM (SELECT account_id, sum(amount) AS total FROM points_entry WHERE tenant_id = %(tenant)s
                  GROUP BY account_id) t
            WHERE a.id = t.account_id
            """,
            {"tenant": tenant.pk},
        )


def _concurrency_community():
    """The concurrency run's small district: a street, a community, a grid (made on the first run)."""
    from grids import services as grids
    from grids.catalogue import install_post_catalogue
    from grids.models import GridNode, Tenant

    tenant = Tenant.objects.filter(code=CONCURRENCY_TENANT).first()
    if tenant is None:
        tenant = grids.create_tenant(name="并发基准区", code=CONCURRENCY_TENANT)
        install_post_catalogue(tenant)
        root = GridNode.objects.get(tenant=tenant, parent__isnull=True)
        street = grids.create_node(parent=root, subkind="subdistrict", name="并发街道")
        community = grids.create_node(parent=street, subkind="community", name="并发社区")
        grids.create_node(parent=community, subkind="resident", name="并发网格")
    community = GridNode.objects.get(tenant=tenant, kind="community")
    return community, GridNode.objects.get(tenant=tenant, kind="grid")


def concurrency(requests: int, workers: int) -> bool:
    """N concurrent redemptions against N/10 in stock and limited balances; True when every check holds."""
    import datetime as dt
    from concurrent.futures import ThreadPoolExecutor

    from django.db import close_old_connections, connection, transaction
    from django.db.models import Count

    from points.integrity import differences
    from points.models import Account, Movement, Redemption, Reward
    from points.services import ledger, spending
    from registry.models import Resident
    from yaohai.core.errors import DomainError

    community, grid = _concurrency_community()
    run = time.strftime("%Y%m%d%H%M%S")
    stock, price = max(1, requests // 10), 10
    with transaction.atomic():
        books = []
        for n in range(max(2, requests // 10)):
            person = Resident(name=f"并发{run}-{n}", sex="female", id_type="none", registration="registered",
                              status="living", node=grid)
            person.stamp_from(grid)
            person.save()
            book = ledger.passbook_for_person(person=person)
            ledger.move(debit=ledger.issuing_account(node=community), credit=book, amount=10 * (1 + n % 3),
                        key=f"bench-seed:{run}:{n}", kind="grant")
            books.append(book.pk)
        reward = spending.save_reward(
            actor=None, node=community, name=f"并发奖品{run}", price=price, stock=stock,
            valid_from=dt.date(2000, 1, 1), valid_until=dt.date(2099, 12, 31),
        )
    # Request i: four in a row from one passbook (three keys, the fourth a double submit of the third).
    plan = []
    for i in range(requests):
        j = i - 1 if i % 4 == 3 else i
        plan.append((books[(j // 4) % len(books)], f"c:{run}:{j}"))

    def redeem(item):
        book_pk, key = item
        close_old_connections()
        try:
            found = spending.redeem(actor=None, account=Account.objects.get(pk=book_pk),
                                    reward=Reward.objects.get(pk=reward.pk), key=key)
            return ("replayed" if found.replayed else "paid", found.pk)
        except DomainError as refused:
            return ("stock" if "left" in str(refused) or "剩" in str(refused) else "refused", None)

    def job(chunk):
        try:
            return [redeem(item) for item in chunk]
        finally:
            connection.close()

    chunks = [plan[w::workers] for w in range(workers)]
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = [r for rows in pool.map(job, chunks) for r in rows]
    spent = time.perf_counter() - began
    reward.refresh_from_db()
    sold = Redemption.objects.filter(reward=reward)
    sold_quantity = sum(sold.values_list("quantity", flat=True))
    negative = Account.objects.filter(pk__in=books, balance__lt=0).count()
    payments = Movement.objects.filter(tenant_id=community.tenant_id, key__startswith=f"redeem:c:{run}:")
    twice = payments.values("key").annotate(n=Count("id")).filter(n__gt=1).count()
    keys_twice = sold.values("key").annotate(n=Count("id")).filter(n__gt=1).count()
    paid_ids = {pk for kind, pk in results if kind in ("paid", "replayed")}
    found = differences(tenant_id=community.tenant_id)
    counts = {kind: sum(1 for k, _pk in results if k == kind) for kind in ("paid", "replayed", "stock", "refused")}
    checks = {
        "oversold": max(0, sold_quantity - stock) + (1 if reward.stock != stock - sold_quantity else 0),
        "negative balances": negative,
        "balances differing from their entries": len(found),
        "keys paid twice": twice + keys_twice + (0 if payments.count() == sold.count() else 1),
        "replies naming another redemption": len(paid_ids - set(sold.values_list("pk", flat=True))),
    }
    print(f"\nconcurrency: {requests} redemption requests from {workers} threads (own connections) against "
          f"{stock} in stock, {len(books)} passbooks of 10/20/30 points at {price} a piece; "
          f"{requests - len({key for _b, key in plan})} of them double submits")
    print(f"  {spent:.1f} s = {requests / spent:.0f} requests/s; paid {counts['paid']}, replayed {counts['replayed']}, "
          f"refused {counts['stock']} for the stock and {counts['refused']} for the balance; "
          f"{sold.count()} sold, {reward.stock} left")
    for label, value in checks.items():
        print(f"  {label}: {value}")
    return not any(checks.values())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/yaohai_bench_points")
    parser.add_argument("--generate", action="store_true")
    parser.add_argument("--passbooks", type=int, default=PASSBOOKS)
    parser.add_argument("--movements", type=int, default=MOVEMENTS)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--credits", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=0, metavar="N",
                        help="N concurrent redemptions against N/10 in stock (e.g. 1000); 0: skip")
    parser.add_argument("--workers", type=int, default=32, help="threads (database connections) of the run")
    args = parser.parse_args(argv)
    _setup(args.database_url)
    if args.concurrency and not args.generate and "--runs" not in (argv or sys.argv):
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return 0 if concurrency(args.concurrency, args.workers) else 1
    if args.generate:
        generate(args.passbooks, args.movements)

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from grids.models import User
    from points import selectors
    from points.integrity import differences
    from points.models import Account, Entry, Movement
    from points.services import ledger

    books = Account.objects.filter(tenant__code=TENANT, kind="volunteer")
    heavy = books.order_by("id").first()  # the first is a heavy one (every thousandth)
    ordinary = Account.objects.get(pk=Movement.objects.get(tenant__code=TENANT, key="bench:1").credit_id)
    entries = Entry.objects.filter(tenant__code=TENANT).count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(f"{entries:,} entries over {books.count():,} passbooks; {version}; load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}; median of {args.runs} runs after one warm-up\n")
    print(f"{'what':<44}{'page ms':>9}{'selectors ms':>14}{'SQL ms':>9}{'entries':>9}")
    print("-" * 85)
    for label, book in (("ordinary passbook", ordinary), ("heavy passbook", heavy)):
        head = User.objects.get(username=f"benchp_head_{book.community_id}")
        client = Client(HTTP_HOST="localhost")
        client.force_login(head)
        first = selectors.history(book)
        before = first[selectors.PAGE - 1].pk if len(first) > selectors.PAGE else None
        pages = [("latest 50", {})] + ([("older page", {"before": before})] if before else [])
        for which, query in pages:
            url = reverse("points:account", args=[book.pk])

            def page(url=url, query=query, client=client):
                assert client.get(url, query).status_code == 200

            def reads(query=query, head=head, book=book):
                account = selectors.passbook(actor=head, pk=book.pk)
                return selectors.history(account, before=query.get("before"))

            def sql(query=query, book=book):
                with connection.cursor() as cursor:
                    cursor.execute("SELECT id, balance, number, name FROM points_account WHERE id = %s", [book.pk])
                    cursor.fetchall()
                    cursor.execute(
                        "SELECT e.id, e.amount, e.balance_after, e.occurred_at, m.kind, m.memo FROM points_entry e "
                        "JOIN points_movement m ON m.id = e.movement_id WHERE e.account_id = %s"
                        + (" AND e.id < %s" if query else "") + " ORDER BY e.id DESC LIMIT 51",
                        [book.pk, *([query["before"]] if query else [])],
                    )
                    cursor.fetchall()

            print(f"{label + ', ' + which:<44}{median_ms(page, args.runs):>9.1f}{median_ms(reads, args.runs):>14.2f}"
                  f"{median_ms(sql, args.runs):>9.2f}{book.entries.count():>9}")
    issuing = ledger.issuing_account(node=ordinary.community)
    targets = list(books.order_by("?").values_list("pk", flat=True)[: args.credits])
    began = time.perf_counter()
    for n, pk in enumerate(targets):
        ledger.move(debit=issuing, credit=Account.objects.get(pk=pk), amount=1, key=f"bench-credit:{time.time_ns()}:{n}",
                    kind="grant")
    spent = time.perf_counter() - began
    print(f"\ncrediting: {len(targets)} grants one after another in {spent:.1f} s = "
          f"{len(targets) / spent:.0f} movements/s ({2 * len(targets) / spent:.0f} entries/s)")
    print(f"ledger differences after the run: {len(differences())}")
    if args.concurrency:
        return 0 if concurrency(args.concurrency, args.workers) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
