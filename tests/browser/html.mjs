// Every public page, in every language, must be valid HTML: fetched from the running server
// and checked by the Nu Html Checker (npm vnu-jar, run offline with the machine's Java).
// Fails on any error and prints what and where.
//
// Usage: node html.mjs BASE_URL
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vnu from "vnu-jar";
import { PAGES, LANGS, inLanguage } from "./pages.mjs";

const base = process.argv[2];
if (!base) {
  console.error("usage: node html.mjs BASE_URL");
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), "edubase-html-"));
const files = new Map();
for (const lang of LANGS) {
  for (const path of PAGES) {
    const url = inLanguage(base, path, lang);
    const response = await fetch(url);
    const type = response.headers.get("content-type") || "";
    if (!type.startsWith("text/html")) {
      console.error(`not ok - ${url}: expected an HTML page, got ${type}`);
      process.exit(1);
    }
    const file = join(dir, `page-${files.size}.html`);
    writeFileSync(file, await response.text());
    files.set(file, url);
  }
}
let output = "";
try {
  execFileSync("java", ["-jar", String(vnu), "--errors-only", "--format", "gnu", ...files.keys()], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
} catch (e) {
  output = `${e.stdout || ""}${e.stderr || ""}`;
  if (!output.trim()) throw e;
}
// vnu names each file; name the page instead.
const errors = output.split("\n").filter((l) => l.trim());
for (const line of errors) {
  const file = [...files.keys()].find((f) => line.includes(f));
  console.log(file ? line.replace(`"file:${file}"`, files.get(file)).replace(file, files.get(file)) : line);
}
console.log(`${files.size} pages checked, ${errors.length} errors`);
process.exit(errors.length === 0 ? 0 : 1);
