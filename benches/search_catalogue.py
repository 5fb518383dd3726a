#!/usr/bin/env python3
"""Writes a large catalogue folder in the exhibits/ format for the search benchmark:
N items with realistic lengths in Chinese, English and traditional Mongolian (titles of
4–14 characters, summaries of 60–120, descriptions of 300–900 Chinese characters), spread
over the ten heritage categories, the two sample bases, the protection levels and a range of
years. Deterministic (seeded).

The filler text is drawn word by word, weighted by frequency, from the 6,000 most frequent
words of jieba's dictionary (zh_words.txt: about 2,200 distinct characters) and from a few
hundred common English words (Zipf-weighted by rank), so that common characters and words
are common and rare ones rare, as in real text. Domain terms (ZH_TERMS, EN_TERMS) are mixed
in at the same density as before (about one in 130 characters of Chinese text, one in 50
English words). An earlier version drew filler from about 100 distinct characters and 30
English words, which made every character and filler word occur in nearly every item.

Usage: search_catalogue.py OUT_DIR N
"""
import os
import random
import shutil
import sys

out, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(20261128)
here = os.path.dirname(os.path.abspath(__file__))

CATEGORIES = ["folk_literature", "traditional_music", "traditional_dance", "traditional_drama", "quyi",
              "sports_games_acrobatics", "traditional_art", "traditional_craft", "traditional_medicine", "folk_custom"]
BASES = ["banner-heritage-hall", "ganjig-school-culture-room"]
# Domain words (the search dictionary's and common ones) and filler vocabulary.
ZH_TERMS = ["乌力格尔", "好来宝", "安代舞", "潮尔", "马头琴", "呼麦", "蒙医整骨", "马具", "马鞍", "史诗", "叙事民歌",
            "蒙古文书法", "蒙古包", "敖包", "搏克", "嘎拉哈", "鼻烟壶", "刀筷套具", "头饰", "蒙古袍", "银饰", "皮雕",
            "四胡", "长调", "短调", "祭祀", "那达慕", "赛马", "奶茶", "毡绣", "木雕", "铜器", "传承人", "牧民"]
with open(os.path.join(here, "zh_words.txt"), encoding="utf-8") as f:
    ZH_WORDS, ZH_WEIGHTS = zip(*((w, int(n)) for w, n in (line.split() for line in f if not line.startswith("#"))))
ZH_CUM = list(__import__("itertools").accumulate(ZH_WEIGHTS))
EN_TERMS = ["Urliger", "storytelling", "Andai", "dance", "chuur", "morin khuur", "horsehead fiddle", "throat singing",
            "bone setting", "saddle", "horse gear", "epic", "folk song", "calligraphy", "ger", "ovoo", "wrestling",
            "ankle bones", "snuff bottle", "headdress", "deel", "silver", "leather", "four-stringed fiddle",
            "long song", "ritual", "Naadam", "horse racing", "felt embroidery", "woodcarving", "bearer", "herders"]
# Common English words in rough order of frequency, weighted 1/rank (Zipf) below.
EN_FILL = """the of and to a in is it that was for on are as with his they at be this from have or by
one had not but what all were when we there can an your which their said if do will each about how up out
them then she many some so these would other into has more her two like him see time could no make than
first been its who now people my made over did down only way find use may water long little very after
words called just where most know get through back much before go good new write our used me man too any
day same right look think also around another came come work three word must because does part even place
well such here take why help put different away again off went old number great tell men say small every
found still between name should home big give air line set own under read last never us left end along
while might next sound below saw something thought both few those always looked show large often together
asked house world going want school important until form food keep children feet land side without boy
once animal life enough took sometimes four head above kind began almost live page got earth need far hand
high year mother light parts country father let night following picture being study second eyes soon times
story boys since white days ever paper hard near sentence better best across during today others however
sure means knew try told young miles sun ways thing whole hear example heard several change answer room sea
against top turned learn point city play toward five using himself usually herders craftsmen teach perform
sing festivals patterns colours history protect heritage museum collection record grassland Horqin village
region banner elders family families horse horses song songs music dance craft tools wool felt milk tea
summer winter spring autumn river mountain grass sheep cattle camel camels wooden silver leather red blue
gold carved painted sewn woven traditional ceremony wedding guests master apprentice generations""".split()
EN_CUM = list(__import__("itertools").accumulate(1 / (rank + 1) for rank in range(len(EN_FILL))))
LEVELS = ["national", "region", "city", "banner"]
MN_WORDS = ["ᠮᠣᠩᠭᠣᠯ", "ᠮᠣᠷᠢᠨ", "ᠬᠤᠭᠤᠷ", "ᠤᠯᠢᠭᠡᠷ", "ᠠᠨᠳᠠᠢ", "ᠪᠦᠵᠢᠭ", "ᠳᠠᠭᠤᠤ", "ᠡᠮᠡᠭᠡᠯ", "ᠬᠥᠬᠡ", "ᠬᠣᠲᠠ",
            "ᠰᠤᠷᠭᠠᠭᠤᠯᠢ", "ᠥᠪ", "ᠰᠣᠶᠣᠯ", "ᠪᠢᠴᠢᠭ", "ᠭᠡᠷ", "ᠣᠪᠣᠭ᠎ᠠ", "ᠪᠥᠬᠡ", "ᠨᠠᠭᠠᠳᠤᠮ"]


def zh_word():
    return rng.choices(ZH_WORDS, cum_weights=ZH_CUM)[0]


def en_word():
    return rng.choices(EN_FILL, cum_weights=EN_CUM)[0]


def zh_text(lo, hi):
    out, length, size = [], 0, rng.randint(lo, hi)
    # Every word has at least one character: `size` words are always enough.
    for word in rng.choices(ZH_WORDS, cum_weights=ZH_CUM, k=size):
        word = rng.choice(ZH_TERMS) if rng.random() < 0.015 else word
        out.append(word)
        length += len(word)
        if rng.random() < 0.06:
            out.append("。")
        if length >= size:
            break
    return "".join(out)[:size] + "。"


def en_text(words):
    drawn = rng.choices(EN_FILL, cum_weights=EN_CUM, k=words)
    return " ".join(rng.choice(EN_TERMS) if rng.random() < 0.02 else w for w in drawn).capitalize() + "."


def q(s):
    return '"""' + s.replace("\\", "\\\\").replace('"', '\\"') + '"""'


shutil.rmtree(out, ignore_errors=True)
os.makedirs(os.path.join(out, "bases"))
for b in BASES:
    shutil.copy(os.path.join(here, "..", "exhibits", "bases", f"{b}.toml"), os.path.join(out, "bases"))
items = os.path.join(out, "items")
os.makedirs(items)
for i in range(1, n + 1):
    d = os.path.join(items, f"gen-{i:06d}")
    os.mkdir(d)
    title_zh = rng.choice(ZH_TERMS) + "".join(zh_word() for _ in range(rng.randint(1, 4)))
    title_en = " ".join([rng.choice(EN_TERMS).capitalize()] + [en_word() for _ in range(rng.randint(1, 4))])
    title_mn = " ".join(rng.choices(MN_WORDS, k=rng.randint(1, 3)))
    with open(os.path.join(d, "item.toml"), "w", encoding="utf-8") as f:
        f.write(f'accession = "GEN-{i:06d}"\ncategory = "{rng.choice(CATEGORIES)}"\nbase = "{rng.choice(BASES)}"\n')
        f.write('rights = "https://creativecommons.org/publicdomain/zero/1.0/"\n')
        if rng.random() < 0.7:
            f.write(f'protection_level = "{rng.choice(LEVELS)}"\n')
        if rng.random() < 0.8:
            f.write(f"year = {rng.randint(1600, 2020)}\n")
        f.write("\n")
        f.write(f"[title]\nzh = {q(title_zh)}\nmn = {q(title_mn)}\nen = {q(title_en)}\n\n")
        f.write(f"[summary]\nzh = {q(zh_text(60, 120))}\nen = {q(en_text(rng.randint(20, 40)))}\n\n")
        f.write(f"[description]\nzh = {q(zh_text(300, 900))}\nen = {q(en_text(rng.randint(120, 320)))}\n")
print(f"wrote {n} items to {out}")
