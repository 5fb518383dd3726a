// The public pages with their interface in Mongolian, as visitors will see them once the
// banner's translator is done. An administrator writes every string of the public pages
// on the site (/admin/translations, for public pages, the strings still to do), each as a
// stand-in (the word ᠮᠣᠩᠭᠣᠯ with the string's variables: we do not invent Mongolian);
// the language switch then offers ᠮᠣᠩᠭᠣᠯ, and every public page in Mongolian, at phone and
// laptop size, has no axe-core WCAG 2.1 A/AA violations, no Mongolian lying on its side,
// no interface string left in Chinese in its header and footer (but the switch's 中文),
// and valid HTML. Fails on
// any console error. Saves screenshots into SHOTS_DIR.
//
// Usage: node mongolian-ui.mjs BASE_URL ADMIN_NAME ADMIN_PASSWORD SHOTS_DIR
import { mkdirSync } from "node:fs";
import { accessible, check, failed, keepHtml, LAPTOP, launch, PHONE, sideways, valid, watcher } from "./common.mjs";
import { inLanguage, PAGES } from "./pages.mjs";

const [base, adminName, password, shots] = process.argv.slice(2);
if (!base || !adminName || !password || !shots) {
  console.error("usage: node mongolian-ui.mjs BASE_URL ADMIN_NAME ADMIN_PASSWORD SHOTS_DIR");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

// A stand-in for a Chinese source string: Mongolian letters and the same variables (a
// quoted literal such as { "{ $n }" } names none).
function standIn(zh) {
  const unquoted = zh.split('"').filter((_, i) => i % 2 === 0).join("");
  const names = [...new Set([...unquoted.matchAll(/\$([A-Za-z0-9_-]+)/g)].map((m) => m[1]))];
  return ["ᠮᠣᠩᠭᠣᠯ", ...names.map((n) => `{ $${n} }`)].join(" ");
}

const browser = await launch();
// The 404 page in PAGES answers 404 on purpose.
const { problems, watch } = watcher();
const context = await browser.newContext({ locale: "zh-CN", viewport: LAPTOP });
const page = await context.newPage();
watch(page);

try {
  // 1. The administrator writes the strings of the public pages still to do.
  await page.goto(`${base}/admin/login`);
  await page.fill("#username", adminName);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(`${base}/admin`), page.click("button[type=submit]")]);
  const before = await page.request.get(`${base}/?lang=zh`).then((r) => r.text());
  if (before.includes('hreflang="mn-Mong"')) console.log("# the public pages offer Mongolian already (a second run)");
  else check(true, "until then the public pages do not offer Mongolian");
  let written = 0;
  for (let round = 0; round < 20; round++) {
    await page.goto(`${base}/admin/translations?show=todo&for=visitors`);
    const rows = await page.$$eval("ol.titles > li", (items) => items.map((li) => ({
      name: li.querySelector("textarea").name,
      zh: li.querySelector(".translations-source p[lang='zh-Hans']").textContent,
    })));
    if (rows.length === 0) break;
    for (const r of rows) await page.fill(`textarea[name="${r.name}"]`, standIn(r.zh));
    await Promise.all([page.waitForURL(/saved=/), page.click("form.titles-sheet button[type=submit]")]);
    written += rows.length;
  }
  check(await page.isVisible(".all-clear"), `${written} strings of the public pages written in Mongolian, none left`);
  check((await page.textContent("main")).includes("语言切换中已经有蒙古文"), "the translations page says the switch offers Mongolian");

  // 2. The switch offers ᠮᠣᠩᠭᠣᠯ, upright, and leads to the Mongolian page.
  const phone = await browser.newContext({ locale: "zh-CN", viewport: PHONE, isMobile: true, hasTouch: true });
  const visitor = await phone.newPage();
  watch(visitor);
  await visitor.goto(`${base}/`);
  const link = visitor.locator(".lang-switch a[hreflang='mn-Mong']");
  check(await link.isVisible(), "the language switch offers ᠮᠣᠩᠭᠣᠯ");
  check(await link.locator(".mn-ui").evaluate((e) => getComputedStyle(e).writingMode) === "vertical-lr", "its name stands upright");
  await visitor.screenshot({ path: `${shots}/switch-zh-${PHONE.width}x${PHONE.height}.png` });
  await Promise.all([visitor.waitForURL(/lang=mn/), link.click()]);
  check(await visitor.getAttribute("html", "lang") === "mn-Mong", "and leads to the Mongolian page");
  await visitor.screenshot({ path: `${shots}/home-mn-ui-${PHONE.width}x${PHONE.height}.png`, fullPage: true });

  // 3. Every public page in Mongolian, at phone and laptop size.
  const publicPages = PAGES.filter((p) => !p.startsWith("/admin"));
  for (const [size, viewer] of [["phone", visitor], ["laptop", page]]) {
    for (const path of publicPages) {
      await viewer.goto(inLanguage(base, path, "mn"));
      await viewer.evaluate(() => document.fonts.ready);
      const what = `${path} in Mongolian (${size})`;
      await accessible(viewer, what);
      const found = await sideways(viewer);
      check(found.length === 0, `${what}: no Mongolian on its side${found.length ? `: ${found.slice(0, 5).join("; ")}` : ""}`);
      const chinese = await viewer.$$eval("header [lang='zh-Hans'], footer [lang='zh-Hans']", (els) =>
        els.filter((e) => !e.closest(".lang-switch")).map((e) => e.textContent.trim()));
      check(chinese.length === 0, `${what}: header and footer all in Mongolian${chinese.length ? ` (still Chinese: ${chinese.join(", ")})` : ""}`);
      if (size === "phone") await keepHtml(viewer, what);
    }
  }
  await visitor.goto(inLanguage(base, "/items/mongolian-script-sample", "mn"));
  await visitor.screenshot({ path: `${shots}/item-mn-ui-${PHONE.width}x${PHONE.height}.png`, fullPage: true });

  valid();
  const unexpected = problems.filter((p) => !p.includes("/items/no-such-item") && !p.includes("404"));
  check(unexpected.length === 0, `no console errors (${unexpected.join(" | ")})`);
} catch (e) {
  await failed(e, page, `${shots}/mongolian-ui-failure.png`, problems);
} finally {
  await browser.close();
}
