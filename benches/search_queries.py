#!/usr/bin/env python3
"""Times 1,000 mixed search queries over HTTP (one keep-alive connection, one at a time)
against a running server, through the search (/api/v1/search) and through the plain
substring scan the catalogue list offers (/api/v1/items?q=, a LIKE '%…%' over the same
database), and prints p50/p95/p99 for both and their ratios. About one query in five
carries a filter (a category or a base), the same for both paths. The search keeps results
of recent queries while the catalogue does not change, so its latencies are also given
apart for the first time each distinct request is made (nothing kept for it yet) and for
repeats.

Usage: search_queries.py HOST:PORT
"""
import http.client
import random
import statistics
import sys
import time
import urllib.parse

host = sys.argv[1]
rng = random.Random(7)
QUERIES = (
    ["乌力格尔", "安代舞", "马头琴", "呼麦", "马具", "史诗", "马鞍", "蒙古包", "敖包", "银饰", "传承人", "牧民", "长调",
     "马", "琴", "舞", "草原", "那达慕"]
    + ["wuligeer", "andaiwu", "matouqin", "humai", "adw", "wlge", "mtq", "mj"]
    + ["storytelling", "dance", "dancers", "fiddle", "saddles", "wrestling", "calligrapy", "embroidery", "herder",
       "Andai", "throat singing"]
    + ["ᠮᠣᠷᠢᠨ", "ᠬᠤᠭᠤᠷ", "ᠤᠯᠢᠭᠡᠷ", "ᠨᠠᠭᠠᠳᠤᠮ"]
    + [f"GEN-{rng.randint(1, 100000):06d}" for _ in range(6)]
)
CATEGORIES = ["folk_literature", "traditional_music", "traditional_dance", "traditional_drama", "quyi",
              "sports_games_acrobatics", "traditional_art", "traditional_craft", "traditional_medicine", "folk_custom"]
BASES = ["banner-heritage-hall", "ganjig-school-culture-room"]


def filters():
    r = rng.random()
    if r < 0.12:
        return "&category=" + rng.choice(CATEGORIES)
    if r < 0.2:
        return "&base=" + rng.choice(BASES)
    return ""


queries = [(rng.choice(QUERIES), filters()) for _ in range(1000)]


def pick(times, p):
    times = sorted(times)
    return times[min(len(times) - 1, int(len(times) * p))]


def run(path):
    conn = http.client.HTTPConnection(host)
    times = []
    first = []
    seen = set()
    for text, extra in queries:
        url = path + urllib.parse.quote(text) + extra + "&limit=20"
        start = time.perf_counter()
        conn.request("GET", url)
        r = conn.getresponse()
        r.read()
        times.append((time.perf_counter() - start) * 1000)
        first.append(url not in seen)
        seen.add(url)
        if r.status != 200:
            sys.exit(f"{url}: HTTP {r.status}")
    conn.close()
    cold = [t for t, f in zip(times, first) if f]
    warm = [t for t, f in zip(times, first) if not f]
    stats = lambda ts: (pick(ts, 0.50), pick(ts, 0.95), pick(ts, 0.99), statistics.mean(ts), len(ts))
    return stats(times) + (stats(cold), stats(warm))


# Warm up both paths once (page cache), then measure.
for path in ["/api/v1/search?q=", "/api/v1/items?q="]:
    run_conn = http.client.HTTPConnection(host)
    run_conn.request("GET", path + urllib.parse.quote("马") + "&limit=20")
    run_conn.getresponse().read()
s = run("/api/v1/search?q=")
line = lambda name, x: print(f"{name:20s} p50 {x[0]:7.2f} ms  p95 {x[1]:7.2f} ms  p99 {x[2]:7.2f} ms  mean {x[3]:7.2f} ms  (n={x[4]})")
line("search", s)
line("  first requests", s[5])
line("  repeats", s[6])
l = run("/api/v1/items?q=")
line("LIKE scan", l)
print(f"ratio (LIKE / search): p50 {l[0] / s[0]:.1f}x  p95 {l[1] / s[1]:.1f}x  p99 {l[2] / s[2]:.1f}x  mean {l[3] / s[3]:.1f}x")
