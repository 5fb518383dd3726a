// What the browser tests of people's journeys share (visit.mjs, offline.mjs, panorama.mjs):
// the browser, watching pages for errors, failing with a screenshot, axe-core and the Nu
// Html Checker on pages only they reach, and a teacher setting a visit.
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vnu from "vnu-jar";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export const LAPTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

export function check(ok, what) {
  if (!ok) throw new Error(`failed: ${what}`);
  console.log(`ok - ${what}`);
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

// A phone in Chinese, with touch.
export function phoneContext(browser) {
  return browser.newContext({ locale: "zh-CN", viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
}

// The teacher signs in, creates a class and an assignment on `exhibition` with one
// multiple-choice question at stop `stop` (answer: the second choice). Returns the
// assignment page's URL and the join code.
export async function setAssignment(teacher, base, name, password, { school, exhibition, stop = 1 }) {
  await teacher.goto(`${base}/admin/login`);
  await teacher.fill("#username", name);
  await teacher.fill("#password", password);
  await Promise.all([teacher.waitForURL(`${base}/admin`), teacher.click("button[type=submit]")]);
  await Promise.all([teacher.waitForURL(`${base}/admin/classes`), teacher.click("nav.admin-nav a[href='/admin/classes']")]);
  await teacher.fill("#school", school);
  await teacher.fill("#grade", "七年级");
  await teacher.fill("#name", "三班");
  await Promise.all([teacher.waitForURL(/\/admin\/classes\/\d+$/), teacher.click("form[action='/admin/classes'] button[type=submit]")]);
  await teacher.selectOption("#exhibition", exhibition);
  await teacher.fill("#instructions", "周五前完成参观和作文。");
  await teacher.fill("#essay_prompt", "写一写草原上的生活。");
  await teacher.fill("#essay_min_chars", "20");
  await Promise.all([teacher.waitForURL(/\/admin\/assignments\/\d+$/), teacher.click("form[action$='/assignments'] button[type=submit]")]);
  if (stop !== 1) await teacher.selectOption("#stop", String(stop));
  await teacher.fill("#prompt", "蒙古包的门通常朝哪个方向？");
  await teacher.fill("#choices", "东南\n西北");
  await teacher.fill("#answer", "1");
  await Promise.all([teacher.waitForURL(/question=1/), teacher.click("form[action$='/questions'] button[type=submit]")]);
  const code = (await teacher.textContent("#join-code")).trim();
  return { assignmentUrl: teacher.url().split("?")[0], code };
}

// axe-core on the page as it is now, against WCAG 2.1 A and AA: the students' pages need
// an assignment, so a11y.mjs (which walks the public pages) cannot reach them.
export async function accessible(page, what) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  const found = result.violations.map((v) =>
    `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")})`);
  check(found.length === 0, `${what} has no WCAG 2.1 A/AA violations${found.length ? `: ${found.join("; ")}` : ""}`);
}

// Mongolian lying on its side on the page now open: each visible text with Mongolian
// letters whose element is set horizontally (option lists and the title bar cannot be
// vertical; hidden text is not shown). Returns them described, none when all is well.
export function sideways(page) {
  return page.evaluate(() => {
    const found = [];
    const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = texts.nextNode(); n; n = texts.nextNode()) {
      if (!/[\u1800-\u18AF]/.test(n.data)) continue;
      const el = n.parentElement;
      if (el.closest("option, script, style, template")) continue;
      const box = el.getBoundingClientRect();
      if (!el.checkVisibility({ visibilityProperty: true }) || box.width <= 1 || box.height <= 1) continue;
      if (getComputedStyle(el).writingMode === "horizontal-tb") {
        found.push(`<${el.tagName.toLowerCase()} class="${el.className}"> ${n.data.trim().slice(0, 24)}`);
      }
    }
    return found;
  });
}

// The server's HTML of the page now open (with the browser's cookies), kept for `valid`.
const kept = [];
export async function keepHtml(page, what) {
  const response = await page.context().request.get(page.url().split("#")[0]);
  kept.push({ what, html: await response.text() });
}

// The Nu Html Checker on every page kept, as html.mjs checks the public pages.
export function valid() {
  const dir = mkdtempSync(join(tmpdir(), "edubase-class-html-"));
  const files = kept.map((k, i) => {
    const file = join(dir, `page-${i}.html`);
    writeFileSync(file, k.html);
    return file;
  });
  let output = "";
  try {
    execFileSync("java", ["-jar", String(vnu), "--errors-only", "--format", "gnu", ...files], {
      encoding: "utf8", stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    output = `${e.stdout || ""}${e.stderr || ""}`;
    if (!output.trim()) throw e;
  }
  const errors = output.split("\n").filter((l) => l.trim())
    .map((l) => { const i = files.findIndex((f) => l.includes(f)); return i < 0 ? l : `${kept[i].what}: ${l}`; });
  check(errors.length === 0, `${kept.length} pages are valid HTML${errors.length ? `:\n${errors.join("\n")}` : ""}`);
}

// Collects what goes wrong on the pages it watches: console errors (CSP violations
// included), page errors, answers of 400 and above, and failed requests. `expected(text)`
// may excuse console errors a test provokes on purpose.
export function watcher(expected = () => false) {
  const problems = [];
  const watch = (page) => {
    page.on("console", (m) => { if (m.type() === "error" && !expected(m.text())) problems.push(m.text()); });
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("response", (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
    page.on("requestfailed", (r) => {
      const error = r.failure()?.errorText ?? "";
      if (!error.includes("ERR_ABORTED") && !expected(error)) problems.push(`request failed: ${r.url()} ${error}`);
    });
  };
  return { problems, watch };
}

// A journey that threw: a screenshot of where it stood, the error, what the browser said.
export async function failed(e, page, file, problems) {
  await page.screenshot({ path: file, fullPage: true }).catch(() => {});
  console.error(e);
  if (problems.length) console.error("browser console:", problems);
  process.exitCode = 1;
}
