// Accessibility and weight of the public pages, in a real browser: every page a visitor
// reaches, in every language, checked with axe-core against WCAG 2.1 levels A and AA, at
// phone and laptop sizes; then the first (cold-cache) load of item pages on a phone must
// stay under 150 KB transferred (the Mongolian font and zoom tiles excepted). Fails on any
// violation and prints what and where.
//
// Usage: node a11y.mjs BASE_URL
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { PAGES, LANGS, inLanguage } from "./pages.mjs";

const base = process.argv[2];
if (!base) {
  console.error("usage: node a11y.mjs BASE_URL");
  process.exit(2);
}
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const SIZES = [{ width: 390, height: 844 }, { width: 1366, height: 768 }];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
let failures = 0;
try {
  for (const size of SIZES) {
    const context = await browser.newContext({ viewport: size });
    const page = await context.newPage();
    for (const lang of LANGS) {
      for (const path of PAGES) {
        const url = inLanguage(base, path, lang);
        await page.goto(url, { waitUntil: "load" });
        await page.addScriptTag({ content: axeSource }).catch(async () => {
          // The CSP forbids inline scripts on our pages; evaluate instead.
          await page.evaluate(axeSource);
        });
        const result = await page.evaluate(async () =>
          // eslint-disable-next-line no-undef
          await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
        const where = `${path} [${lang}, ${size.width}px]`;
        if (result.violations.length === 0) {
          console.log(`ok - ${where}`);
          continue;
        }
        failures += 1;
        console.log(`not ok - ${where}`);
        for (const v of result.violations) {
          console.log(`  ${v.id} (${v.impact}): ${v.help}`);
          for (const n of v.nodes.slice(0, 3)) console.log(`    ${n.target.join(" ")} — ${n.failureSummary.split("\n").slice(1, 2).join(" ").trim()}`);
        }
      }
    }
    await context.close();
  }
  // Weight of a first visit on a phone: everything transferred until the network is quiet.
  const BUDGET = 150 * 1024;
  for (const path of ["/items/mongolian-horse-gear-craft", "/items/urliger", "/items/andai-dance", "/", "/exhibitions/voices-of-horqin/stops/1"]) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${base}${path}${path.includes("?") ? "&" : "?"}lang=zh`, { waitUntil: "networkidle" });
    const bytes = await page.evaluate(() =>
      [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
        .filter((e) => !e.name.endsWith(".woff2"))
        .reduce((sum, e) => sum + e.transferSize, 0));
    const line = `${path}: first load ${(bytes / 1024).toFixed(1)} KB (budget 150 KB)`;
    if (bytes > BUDGET) {
      failures += 1;
      console.log(`not ok - ${line}`);
    } else {
      console.log(`ok - ${line}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
}
if (failures) {
  console.error(`${failures} page(s) with accessibility violations or over the weight budget`);
  process.exit(1);
}
