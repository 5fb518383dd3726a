#!/usr/bin/env python3
"""Hands the Mongolian UI strings still to be written to a translator as a spreadsheet,
and takes the filled-in spreadsheet back.

    python3 locales/translate.py export mn-todo.csv   # key, Chinese, English, Mongolian (empty)
    python3 locales/translate.py import mn-todo.csv   # rows with Mongolian text go to mn.ftl

Export writes every key listed in mn-todo.txt, in that order, as UTF-8 with a byte-order
mark (so Excel and WPS show Chinese and Mongolian). The translator fills in the last column
in traditional Mongolian script and leaves a row empty when unsure: it stays marked.

Import checks every filled row before writing anything: the key must still be marked for
translation, the text one line, in traditional Mongolian script (U+1800–U+18AF), and with
exactly the placeholders of the Chinese text ({ $n }, { $name }…). On any problem it names
the rows and changes nothing; otherwise it appends the strings to mn.ftl and takes their
keys out of mn-todo.txt. `cargo test` then checks the bundles again.

Standard library only; `--locales DIR` works on another copy of the folder.
"""

import argparse
import csv
import io
import re
import sys
from pathlib import Path

PLACEHOLDER = re.compile(r"\{\s*\$([A-Za-z][A-Za-z0-9_-]*)\s*\}")
MONGOLIAN = re.compile(r"[\u1800-\u18AF]")
HEADER = ["key", "zh", "en", "mn"]


def messages(path):
    """The messages of a .ftl file, key -> text (multi-line values joined by newlines)."""
    out, key = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            key = None
            continue
        if line.startswith((" ", "\t")) and key:
            out[key] += "\n" + line.strip()
            continue
        name, sep, value = line.partition("=")
        if sep and re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", name.strip()):
            key = name.strip()
            out[key] = value.strip()
    return out


def todo_keys(path):
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def export(locales, target):
    zh = messages(locales / "zh.ftl")
    en = messages(locales / "en.ftl")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    keys = todo_keys(locales / "mn-todo.txt")
    for key in keys:
        writer.writerow([key, zh.get(key, ""), en.get(key, ""), ""])
    Path(target).write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    print(f"{len(keys)} strings to translate written to {target}")
    return 0


def problems_of(row, todo, zh):
    """What is wrong with one filled-in row, as sentences."""
    key, text = row["key"].strip(), row["mn"].strip()
    if key not in todo:
        return [f"key {key!r} is not marked for translation in mn-todo.txt"]
    found = []
    if "\n" in text or "\r" in text:
        found.append("the text must be one line")
    if not MONGOLIAN.search(text):
        found.append("the text has no traditional Mongolian script (U+1800–U+18AF)")
    wanted = sorted(PLACEHOLDER.findall(zh.get(key, "")))
    given = sorted(PLACEHOLDER.findall(text))
    if wanted != given:
        shown = ", ".join("{ $" + p + " }" for p in wanted) or "none"
        found.append(f"the placeholders must be those of the Chinese text: {shown}")
    if PLACEHOLDER.sub("", text).count("{") or PLACEHOLDER.sub("", text).count("}"):
        found.append("braces are only for placeholders such as { $n }")
    return found


def import_(locales, source):
    raw = Path(source).read_bytes()
    text = raw.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not {"key", "mn"} <= set(reader.fieldnames):
        print(f"{source}: the first row must name the columns key and mn", file=sys.stderr)
        return 1
    todo = todo_keys(locales / "mn-todo.txt")
    zh = messages(locales / "zh.ftl")
    done, errors, seen = {}, [], set()
    for number, row in enumerate(reader, start=2):
        if not (row.get("mn") or "").strip():
            continue
        key = (row.get("key") or "").strip()
        if key in seen:
            errors.append(f"row {number}: {key}: the key is filled in twice")
            continue
        seen.add(key)
        found = problems_of({"key": key, "mn": row["mn"]}, set(todo), zh)
        errors.extend(f"row {number}: {key}: {p}" for p in found)
        if not found:
            done[key] = row["mn"].strip()
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"nothing was changed ({len(errors)} problems)", file=sys.stderr)
        return 1
    if not done:
        print("no row has Mongolian text; nothing to do")
        return 0
    mn = locales / "mn.ftl"
    existing = mn.read_text(encoding="utf-8")
    if existing and not existing.endswith("\n"):
        existing += "\n"
    ordered = [k for k in zh if k in done]
    mn.write_text(existing + "".join(f"{k} = {done[k]}\n" for k in ordered), encoding="utf-8")
    marked = locales / "mn-todo.txt"
    kept = [
        line
        for line in marked.read_text(encoding="utf-8").splitlines()
        if line.strip() not in done
    ]
    marked.write_text("\n".join(kept) + "\n", encoding="utf-8")
    left = len(todo) - len(done)
    print(f"{len(done)} strings added to mn.ftl; {left} still marked in mn-todo.txt")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--locales", type=Path, default=Path(__file__).resolve().parent)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("export").add_argument("file")
    sub.add_parser("import").add_argument("file")
    args = parser.parse_args(argv)
    if args.command == "export":
        return export(args.locales, args.file)
    return import_(args.locales, args.file)


if __name__ == "__main__":
    sys.exit(main())
