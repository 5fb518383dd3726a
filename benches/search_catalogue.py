#!/usr/bin/env python3
"""Writes a large catalogue folder in the exhibits/ format for the search benchmark:
N items with realistic lengths in Chinese, English and traditional Mongolian (titles of
4–14 characters, summaries of 60–120, descriptions of 300–900 Chinese characters), spread
over the ten heritage categories and the two sample bases. Deterministic (seeded).

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
ZH_FILL = ("科尔沁草原上的牧民世代相传这项技艺老艺人用心教授年轻人学习制作演唱表演节日庆典里大家围坐"
           "听故事手工精细图案吉祥色彩鲜艳历史悠久保护传承文化遗产学校展室博物馆收藏记录整理研究")
EN_TERMS = ["Urliger", "storytelling", "Andai", "dance", "chuur", "morin khuur", "horsehead fiddle", "throat singing",
            "bone setting", "saddle", "horse gear", "epic", "folk song", "calligraphy", "ger", "ovoo", "wrestling",
            "ankle bones", "snuff bottle", "headdress", "deel", "silver", "leather", "four-stringed fiddle",
            "long song", "ritual", "Naadam", "horse racing", "felt embroidery", "woodcarving", "bearer", "herders"]
EN_FILL = ("the of and in on with by for herders craftsmen teach young people make perform sing festivals "
           "patterns colours history protect heritage school museum collection record study grassland Horqin").split()
MN_WORDS = ["ᠮᠣᠩᠭᠣᠯ", "ᠮᠣᠷᠢᠨ", "ᠬᠤᠭᠤᠷ", "ᠤᠯᠢᠭᠡᠷ", "ᠠᠨᠳᠠᠢ", "ᠪᠦᠵᠢᠭ", "ᠳᠠᠭᠤᠤ", "ᠡᠮᠡᠭᠡᠯ", "ᠬᠥᠬᠡ", "ᠬᠣᠲᠠ",
            "ᠰᠤᠷᠭᠠᠭᠤᠯᠢ", "ᠥᠪ", "ᠰᠣᠶᠣᠯ", "ᠪᠢᠴᠢᠭ", "ᠭᠡᠷ", "ᠣᠪᠣᠭ᠎ᠠ", "ᠪᠥᠬᠡ", "ᠨᠠᠭᠠᠳᠤᠮ"]


def zh_text(lo, hi):
    out, size = [], rng.randint(lo, hi)
    while sum(map(len, out)) < size:
        out.append(rng.choice(ZH_TERMS) if rng.random() < 0.03 else "".join(rng.choices(ZH_FILL, k=rng.randint(2, 6))))
        if rng.random() < 0.12:
            out.append("。")
    return "".join(out)[:size] + "。"


def en_text(words):
    return " ".join(rng.choice(EN_TERMS) if rng.random() < 0.02 else rng.choice(EN_FILL) for _ in range(words)).capitalize() + "."


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
    title_zh = rng.choice(ZH_TERMS) + "".join(rng.choices(ZH_FILL, k=rng.randint(2, 10)))
    title_en = " ".join([rng.choice(EN_TERMS).capitalize()] + rng.choices(EN_FILL, k=rng.randint(1, 4)))
    title_mn = " ".join(rng.choices(MN_WORDS, k=rng.randint(1, 3)))
    with open(os.path.join(d, "item.toml"), "w", encoding="utf-8") as f:
        f.write(f'accession = "GEN-{i:06d}"\ncategory = "{rng.choice(CATEGORIES)}"\nbase = "{rng.choice(BASES)}"\n')
        f.write('rights = "https://creativecommons.org/publicdomain/zero/1.0/"\n\n')
        f.write(f"[title]\nzh = {q(title_zh)}\nmn = {q(title_mn)}\nen = {q(title_en)}\n\n")
        f.write(f"[summary]\nzh = {q(zh_text(60, 120))}\nen = {q(en_text(rng.randint(20, 40)))}\n\n")
        f.write(f"[description]\nzh = {q(zh_text(300, 900))}\nen = {q(en_text(rng.randint(120, 320)))}\n")
print(f"wrote {n} items to {out}")
