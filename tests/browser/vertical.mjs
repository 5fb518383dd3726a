// Traditional Mongolian set vertically, checked in a real browser: on the test sheet item
// (tests/fixtures/mongolian, imported by .ci/run), each Mongolian reading area is in
// `writing-mode: vertical-lr`, drawn with the vendored Noto Sans Mongolian (so letters join
// and columns run top to bottom, left to right), and looks like its reference screenshot in
// reference/ within a tolerance. `UPDATE_REFERENCE=1` rewrites the references (look at them
// before committing). Then, on every public page in every language (pages.mjs) and on the
// pages of the test exhibition whose title and texts are Mongolian (the same fixtures),
// no visible Mongolian word lies on its side: each is inside an element set vertically.
//
// Usage: node vertical.mjs BASE_URL [SHOTS_DIR]
import { chromium } from "playwright-core";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";
import { sideways } from "./common.mjs";
import { inLanguage, LANGS, PAGES } from "./pages.mjs";

const [base, shots = "/tmp/edubase-vertical"] = process.argv.slice(2);
if (!base) {
  console.error("usage: node vertical.mjs BASE_URL [SHOTS_DIR]");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const update = process.env.UPDATE_REFERENCE === "1";
// At most this share of pixels may differ (anti-aliasing, font hinting between Chromium builds).
const TOLERANCE = 0.02;
const CASES = [
  { name: "mn-title", lang: "mn", selector: "main h1" },
  { name: "mn-summary", lang: "mn", selector: "main .lead" },
  { name: "mn-text", lang: "mn", selector: "main .prose" },
  { name: "zh-mongolian-title", lang: "zh", selector: "main .alt-title[lang='mn-Mong']" },
];

mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--font-render-hinting=none",
  ],
});
let failures = 0;
const fail = (msg) => { failures += 1; console.log(`not ok - ${msg}`); };
try {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  for (const c of CASES) {
    await page.goto(`${base}/items/mongolian-script-sample?lang=${c.lang}`, { waitUntil: "networkidle" });
    await page.evaluate(() => document.fonts.ready);
    const el = page.locator(c.selector).first();
    const facts = await el.evaluate((e) => {
      const style = getComputedStyle(e);
      const box = e.getBoundingClientRect();
      return {
        writingMode: style.writingMode,
        lang: e.lang,
        fontLoaded: document.fonts.check(`16px "Noto Sans Mongolian"`, "ᠮᠣᠩᠭᠣᠯ"),
        width: box.width,
        height: box.height,
        scrolls: e.scrollWidth > e.clientWidth + 1,
      };
    });
    const where = `${c.name} (${c.selector}, lang=${c.lang})`;
    if (facts.lang !== "mn-Mong") fail(`${where}: lang is ${facts.lang}`);
    if (facts.writingMode !== "vertical-lr") fail(`${where}: writing-mode is ${facts.writingMode}`);
    if (!facts.fontLoaded) fail(`${where}: Noto Sans Mongolian is not loaded`);
    if (c.name === "mn-title" && !(facts.height > facts.width)) fail(`${where}: a one-word title should stand upright, got ${facts.width}×${facts.height}`);
    const shot = await el.screenshot();
    writeFileSync(join(shots, `${c.name}.png`), shot);
    const refPath = join(here, "reference", `${c.name}.png`);
    if (update || !existsSync(refPath)) {
      if (!update) { fail(`${where}: no reference image ${refPath} (run with UPDATE_REFERENCE=1)`); continue; }
      writeFileSync(refPath, shot);
      console.log(`updated ${refPath}`);
      continue;
    }
    const got = PNG.sync.read(shot);
    const want = PNG.sync.read(readFileSync(refPath));
    if (got.width !== want.width || got.height !== want.height) {
      // Sizes may move by a pixel with hinting; beyond that the layout changed.
      if (Math.abs(got.width - want.width) > 2 || Math.abs(got.height - want.height) > 2) {
        fail(`${where}: ${got.width}×${got.height}, reference ${want.width}×${want.height}`);
        continue;
      }
    }
    const w = Math.min(got.width, want.width), h = Math.min(got.height, want.height);
    const crop = (img) => {
      const out = new PNG({ width: w, height: h });
      PNG.bitblt(img, out, 0, 0, w, h, 0, 0);
      return out;
    };
    const diff = new PNG({ width: w, height: h });
    const differing = pixelmatch(crop(got).data, crop(want).data, diff.data, w, h, { threshold: 0.2 });
    const share = differing / (w * h);
    writeFileSync(join(shots, `${c.name}-diff.png`), PNG.sync.write(diff));
    if (share > TOLERANCE) fail(`${where}: ${(share * 100).toFixed(2)} % of pixels differ from the reference (limit ${TOLERANCE * 100} %); see ${shots}`);
    else console.log(`ok - ${where}: ${(share * 100).toFixed(2)} % of pixels differ`);
  }

  // Nothing Mongolian lying on its side, wherever it is shown.
  const walk = [
    ...PAGES,
    "/items/mongolian-script-sample",
    "/items?q=%E1%A0%AE%E1%A0%A3%E1%A0%A9%E1%A0%AD%E1%A0%A3%E1%A0%AF",
    "/exhibitions/mongolian-script-walk",
    "/exhibitions/mongolian-script-walk/stops/1",
    "/exhibitions/mongolian-script-walk/labels",
  ];
  let pages = 0;
  for (const lang of LANGS) {
    for (const path of walk) {
      await page.goto(inLanguage(base, path, lang));
      const found = await sideways(page);
      pages += 1;
      if (found.length) fail(`${path} (lang=${lang}): Mongolian lies on its side in ${found.slice(0, 5).join("; ")}`);
    }
  }
  console.log(`ok - looked for Mongolian lying on its side on ${pages} pages`);
} finally {
  await browser.close();
}
process.exit(failures === 0 ? 0 : 1);
