"""locales/translate.py on a copy of the locales folder: export, a translator's broken
file refused with nothing changed, a good one taken in.

    python3 -m unittest discover -s tests/translate
"""

import csv
import importlib.util
import io
import shutil
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("translate", ROOT / "locales" / "translate.py")
translate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(translate)


class RoundTrip(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())
        self.locales = self.dir / "locales"
        shutil.copytree(ROOT / "locales", self.locales)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def run_tool(self, *args):
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = translate.main(["--locales", str(self.locales), *args])
        return code, out.getvalue(), err.getvalue()

    def exported(self):
        sheet = self.dir / "todo.csv"
        code, out, _ = self.run_tool("export", str(sheet))
        self.assertEqual(code, 0)
        raw = sheet.read_bytes()
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark")
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        return sheet, rows

    def write(self, sheet, rows):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=translate.HEADER)
        writer.writeheader()
        writer.writerows(rows)
        sheet.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))

    def test_every_marked_key_is_exported_with_its_chinese_and_english(self):
        _, rows = self.exported()
        marked = translate.todo_keys(self.locales / "mn-todo.txt")
        self.assertEqual([r["key"] for r in rows], marked)
        by_key = {r["key"]: r for r in rows}
        self.assertEqual(by_key["site-name"]["zh"], "数字教育基地")
        self.assertEqual(by_key["items-count"]["zh"], "{ $n } 件藏品")
        self.assertTrue(all(r["mn"] == "" for r in rows))

    def test_a_broken_sheet_changes_nothing_and_names_each_row(self):
        sheet, rows = self.exported()
        before = {p.name: p.read_bytes() for p in self.locales.iterdir()}
        by_key = {r["key"]: r for r in rows}
        by_key["site-name"]["mn"] = "Digital base"  # not Mongolian script
        by_key["items-count"]["mn"] = "ᠵᠦᠢᠯ"  # the count is lost
        by_key["stops-count"]["mn"] = "{ $m } ᠵᠢᠭᠰᠠᠭᠠᠯ"  # another placeholder
        rows.append({"key": "no-such-key", "zh": "", "en": "", "mn": "ᠠ"})
        self.write(sheet, rows)
        code, _, err = self.run_tool("import", str(sheet))
        self.assertEqual(code, 1)
        for expected in [
            "site-name: the text has no traditional Mongolian script",
            "items-count: the placeholders must be those of the Chinese text: { $n }",
            "stops-count: the placeholders must be those of the Chinese text: { $n }",
            "no-such-key: key 'no-such-key' is not marked",
            "nothing was changed",
        ]:
            self.assertIn(expected, err)
        after = {p.name: p.read_bytes() for p in self.locales.iterdir()}
        self.assertEqual(before, after)

    def test_filled_rows_move_to_mn_ftl_and_the_rest_stay_marked(self):
        sheet, rows = self.exported()
        by_key = {r["key"]: r for r in rows}
        by_key["items-count"]["mn"] = " { $n } ᠵᠦᠢᠯ "
        by_key["site-name"]["mn"] = "ᠲᠤᠭᠠᠨ ᠤ ᠰᠤᠷᠭᠠᠨ ᠬᠦᠮᠦᠵᠢᠯ ᠦᠨ ᠪᠠᠢᠷᠢ"
        self.write(sheet, rows)
        code, out, err = self.run_tool("import", str(sheet))
        self.assertEqual(code, 0, err)
        self.assertIn("2 strings added to mn.ftl", out)
        mn = translate.messages(self.locales / "mn.ftl")
        self.assertEqual(mn["items-count"], "{ $n } ᠵᠦᠢᠯ")
        self.assertEqual(list(mn), ["site-name", "items-count"], "in the order of zh.ftl")
        marked = translate.todo_keys(self.locales / "mn-todo.txt")
        self.assertNotIn("site-name", marked)
        self.assertNotIn("items-count", marked)
        self.assertEqual(len(marked), len(rows) - 2)
        # Imported once: the same sheet again names the keys as no longer marked.
        code, _, err = self.run_tool("import", str(sheet))
        self.assertEqual(code, 1)
        self.assertIn("key 'site-name' is not marked", err)


if __name__ == "__main__":
    unittest.main()
