#!/usr/bin/env python3
"""Base report benchmark: fills a migrated SQLite database with BASES bases, ITEMS items
(a third with a Mongolian title) and a year of record views (VIEWS distinct items opened
a day, every day kept as its own row: more than the server keeps, which folds months older
than two into one row per record), then times the administrator's /admin/report/bases for
the school year holding most of those days.

Usage: benches/base_report.py fill DB [BASES] [ITEMS] [VIEWS]
       benches/base_report.py time BASE_URL ADMIN PASSWORD [YEAR]
       (benches/base_report.sh runs both around a server)
"""
import datetime
import http.cookiejar
import random
import sqlite3
import statistics
import sys
import time
import urllib.parse
import urllib.request


def fill(path, bases=20, items=100_000, views=2_000):
    db = sqlite3.connect(path)
    now = "2026-11-30T00:00:00Z"
    for b in range(bases):
        db.execute(
            "insert into base (slug, kind, status, name_zh, created_at, updated_at) "
            "values (?, 'museum', 'published', ?, ?, ?)",
            (f"bench-base-{b:02d}", f"基准基地 {b}", now, now),
        )
    ids = [r[0] for r in db.execute("select id from base")]
    random.seed(3)
    db.executemany(
        "insert into item (accession, slug, status, category, base_id, title_zh, title_mn, "
        "rights, created_at, updated_at) values (?, ?, 'published', 'folk_custom', ?, ?, ?, "
        "'https://creativecommons.org/publicdomain/zero/1.0/', ?, ?)",
        (
            (f"BENCH-{i:06d}", f"bench-item-{i:06d}", random.choice(ids), f"藏品 {i}",
             "ᠵᠦᠢᠯ" if i % 3 == 0 else None, now, now)
            for i in range(items)
        ),
    )
    item_ids = [r[0] for r in db.execute("select id from item")]
    start = datetime.date(2025, 12, 1)
    rows = 0
    for d in range(365):
        day = (start + datetime.timedelta(days=d)).isoformat()
        picked = random.sample(item_ids, min(views, len(item_ids)))
        db.executemany(
            "insert or ignore into record_view (day, kind, record_id, views) "
            "values (?, 'item', ?, ?)",
            ((day, rid, random.randint(1, 5)) for rid in picked),
        )
        rows += len(picked)
    db.commit()
    print(f"{bases} bases, {items} items, {rows} daily record-view rows")


def timed(base, admin, password, year):
    jar = http.cookiejar.CookieJar()
    o = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = urllib.parse.urlencode({"username": admin, "password": password}).encode()
    o.open(urllib.request.Request(base + "/admin/login", data=login)).read()
    path = f"/admin/report/bases?year={year}"
    o.open(base + path).read()  # warm
    times = []
    for _ in range(10):
        t = time.perf_counter()
        body = o.open(base + path).read()
        times.append((time.perf_counter() - t) * 1000)
    assert b"bench-base-00" in body, "the report lists the bases"
    print(f"{path}: median {statistics.median(times):.1f} ms, "
          f"min {min(times):.1f} ms, max {max(times):.1f} ms (10 requests)")


if __name__ == "__main__":
    if sys.argv[1] == "fill":
        fill(sys.argv[2], *(int(a) for a in sys.argv[3:6]))
    else:
        timed(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] if len(sys.argv) > 5 else "2025")
