import { launch } from "./common.mjs";
const [base, out, ...paths] = process.argv.slice(2);
const browser = await launch();
for (const [w, h] of [[390, 844], [1366, 768]]) {
  const page = await browser.newPage({ viewport: { width: w, height: h } });
  let i = 0;
  for (const p of paths) { await page.goto(base + p); await page.evaluate(() => document.fonts.ready); await page.screenshot({ path: `${out}-${i++}-${w}.png`, fullPage: false }); }
}
await browser.close();
