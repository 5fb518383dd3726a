// Deep zoom on an item page, in a real browser, at phone size (with reduced motion, by touch
// where it matters) and laptop size: the first load does not fetch OpenSeadragon; the Zoom
// button opens it on our own IIIF Image API; it draws tiles; the keyboard zooms in (new,
// finer tiles arrive); every IIIF request answers 200; Esc closes and gives focus back.
// Also checks that the item page offers its IIIF manifest. Saves screenshots.
//
// Usage: node iiif.mjs BASE_URL [SCREENSHOT_DIR]
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const [base, shots = "shots"] = process.argv.slice(2);
if (!base) {
  console.error("usage: node iiif.mjs BASE_URL [SCREENSHOT_DIR]");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
// The largest sample photograph (2048 × 1536): several zoom levels of 512-pixel tiles.
const ITEM = "/items/mongolian-horse-gear-craft";
const SIZES = [
  { name: "phone", viewport: { width: 390, height: 844 }, reducedMotion: "reduce", hasTouch: true },
  { name: "laptop", viewport: { width: 1366, height: 768 }, reducedMotion: "no-preference", hasTouch: false },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok" : "not ok"} - ${what}`);
  if (!ok) failures += 1;
  return ok;
}

try {
  for (const size of SIZES) {
    const context = await browser.newContext({
      viewport: size.viewport, reducedMotion: size.reducedMotion, hasTouch: size.hasTouch,
    });
    const page = await context.newPage();
    const iiif = [];
    const scripts = [];
    const problems = [];
    page.on("response", (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith("/iiif/3/")) iiif.push({ path, status: r.status() });
      if (path.endsWith(".js")) scripts.push(path);
    });
    page.on("requestfailed", (r) => {
      if (new URL(r.url()).pathname.startsWith("/iiif/3/")) iiif.push({ path: r.url(), status: 0 });
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
    const where = `[${size.name}]`;

    await page.goto(`${base}${ITEM}?lang=en`, { waitUntil: "networkidle" });
    check(!scripts.some((s) => s.includes("openseadragon")), `${where} the first load does not fetch OpenSeadragon`);
    const manifest = await page.getAttribute('link[rel="alternate"][type^="application/ld+json"]', "href");
    check(manifest && manifest.endsWith("/manifest"), `${where} the page links its IIIF manifest: ${manifest}`);
    const drag = await page.getAttribute(".iiif-link", "href");
    check(drag === `${manifest}?manifest=${manifest}`, `${where} the drag-and-drop link carries the manifest`);

    const open = page.locator(".media-image .zoom-open").first();
    await open.waitFor({ state: "visible" });
    if (size.hasTouch) await open.tap(); else await open.click();
    const box = page.locator(".zoom-box").first();
    try {
      await page.waitForSelector(".zoom-box[data-state=drawn]", { timeout: 30000 });
    } catch {
      check(false, `${where} OpenSeadragon drew the picture within 30 s`);
    }
    const info = iiif.filter((r) => r.path.endsWith("/info.json"));
    check(info.length > 0 && info.every((r) => r.status === 200), `${where} info.json answered 200`);
    const tiles = () => iiif.filter((r) => /\/default\.(jpg|png|webp)$/.test(r.path));
    const before = tiles().length;
    check(before > 0, `${where} ${before} tile(s) drawn from /iiif/3/`);
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return el && el.classList.contains("openseadragon-canvas") ? el.getAttribute("aria-label") : null;
    });
    check(Boolean(focused), `${where} the zoom canvas has focus and a label: ${focused}`);
    await page.screenshot({ path: `${shots}/iiif-zoom-${size.name}.png` });

    // Zoom in with the keyboard, as OpenSeadragon's canvas takes it, until finer tiles arrive
    // (on a small screen the first level stays sharp enough for a few steps).
    for (let i = 0; i < 12 && tiles().length === before; i++) {
      await page.keyboard.press("+");
      await page.waitForTimeout(400);
    }
    try {
      await page.waitForSelector(".zoom-box[data-state=drawn]", { timeout: 30000 });
    } catch {
      check(false, `${where} the zoomed view was drawn within 30 s`);
    }
    const after = tiles();
    check(after.length > before, `${where} zooming in fetched ${after.length - before} finer tile(s)`);
    check(after.some((r) => !r.path.includes("/full/")), `${where} tiles are regions of the picture (x,y,w,h)`);
    await page.screenshot({ path: `${shots}/iiif-zoomed-${size.name}.png` });

    const bad = iiif.filter((r) => r.status !== 200);
    check(bad.length === 0, `${where} all ${iiif.length} IIIF requests answered 200${bad.length ? ": " + JSON.stringify(bad.slice(0, 5)) : ""}`);

    await page.keyboard.press("Escape");
    await box.waitFor({ state: "detached" });
    const back = await page.evaluate(() => document.activeElement && document.activeElement.className);
    check(back === "zoom-open", `${where} Esc closes the zoom and focus returns to its button`);
    check(await page.locator(".media-image .media-link").first().isVisible(), `${where} the picture is back`);
    check(problems.length === 0, `${where} no script errors or CSP violations${problems.length ? ": " + problems.join(" | ") : ""}`);
    await context.close();
  }
} finally {
  await browser.close();
}
if (failures) {
  console.error(`${failures} deep-zoom check(s) failed`);
  process.exit(1);
}
console.log("deep zoom: all checks passed");
