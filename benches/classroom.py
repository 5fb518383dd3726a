#!/usr/bin/env python3
"""Classroom benchmark: a teacher's dashboard and one essay's page, for a class of N
students who each handed in an essay of about L characters (a mix of their own sentences,
the exhibition's text and a classmate's), with CLASSES - 1 more classes of the same
teacher on the same walk. Every view of these pages compares each essay with the
exhibition's text and with every other essay of those classes (src/classroom/overlap.rs), and the
dashboard reloads itself every 30 seconds, so their time is what a teacher waits for.

Usage: benches/classroom.py BASE_URL TEACHER PASSWORD [N] [L] [CLASSES]
       (a running server with the sample exhibits; the teacher made with `edubase user add
       --role teacher`). benches/classroom.sh starts one and runs this.
"""
import http.cookiejar
import random
import re
import statistics
import sys
import time
import urllib.parse
import urllib.request

base, teacher, password = sys.argv[1:4]
n = int(sys.argv[4]) if len(sys.argv) > 4 else 45
length = int(sys.argv[5]) if len(sys.argv) > 5 else 1500
classes = int(sys.argv[6]) if len(sys.argv) > 6 else 1
random.seed(7)

# The ger's text at the exhibition's first stop, and words to make own sentences from.
LABEL = "蒙古包是为游牧迁徙而设计的可拆装住房：木架不用一根钉子，外面盖着毛毡，几个人不到一小时就能搭好或拆下。"
WORDS = "草原 牧民 马头琴 安代舞 那达慕 蒙古包 爷爷 奶奶 夏天 冬天 骏马 摔跤 故事 声音 羊群 河流 星星 毡子 奶茶 歌声 展览 老师 同学 家乡".split()


def opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def post(o, path, fields):
    data = urllib.parse.urlencode(fields).encode()
    return o.open(urllib.request.Request(base + path, data=data)).read().decode()


def get(o, path):
    return o.open(base + path).read().decode()


def own_sentence():
    return "我" + "".join(random.choice(WORDS) for _ in range(6)) + "。"


def essay(i, essays):
    parts = []
    while sum(len(p) for p in parts) < length:
        r = random.random()
        if r < 0.1:
            parts.append(LABEL)
        elif r < 0.15 and essays:
            other = random.choice(essays)
            start = random.randrange(max(1, len(other) - 40))
            parts.append(other[start:start + 40])
        else:
            parts.append(own_sentence())
    return "".join(parts)


t = opener()
post(t, "/admin/login", {"username": teacher, "password": password})
csrf = re.search(r'name="_csrf" value="([^"]+)"', get(t, "/admin/classes")).group(1)
today = time.strftime("%Y-%m-%d")
later = time.strftime("%Y-%m-%d", time.localtime(time.time() + 7 * 86400))
essays = []


def make_class(name):
    """A class with the walk set and n essays handed in; the assignment's path."""
    post(t, "/admin/classes", {"_csrf": csrf, "school": "甘旗卡第二中学", "grade": "七年级", "name": name})
    classes = get(t, "/admin/classes")
    class_path = re.findall(r'href="(/admin/classes/\d+)"', classes)[0]
    post(t, class_path + "/assignments", {
        "_csrf": csrf, "exhibition": "life-on-the-steppe", "essay_prompt": "写一写草原上的生活",
        "essay_min_chars": "10", "opens": today, "closes": later,
    })
    page = get(t, class_path)
    assignment = re.findall(r'href="(/admin/assignments/\d+)"', page)[-1]
    code = re.search(r'id="join-code">([^<]+)<', get(t, assignment)).group(1).replace("-", "")
    for i in range(n):
        s = opener()
        post(s, f"/visit/{code}/join", {"nickname": f"学生{i + 1}"})
        text = essay(i, essays)
        essays.append(text)
        post(s, f"/visit/{code}/essay", {"essay": text, "action": "submit"})
    return assignment


# The teacher's other classes on the same walk are compared too (their essays are made
# first); the first class made is the one timed.
for c in range(classes - 1):
    make_class(f"{c + 4}班")
assignment = make_class("三班")


def timed(path, runs=20):
    get(t, path)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        body = get(t, path)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), body


board_ms, board = timed(assignment)
flagged = board.count('class="overlap flagged"')
visit = re.search(r'href="(' + re.escape(assignment) + r'/visits/\d+)"', board).group(1)
essay_ms, _ = timed(visit)
print(f"{n} essays of about {length} characters ({flagged} flagged), {classes} class(es) on the walk")
print(f"dashboard: {board_ms:.1f} ms (median of 20)")
print(f"one essay's page: {essay_ms:.1f} ms (median of 20)")
