// The public pages with their interface in Mongolian, as visitors will see them once the
// banner's translator is done. An administrator writes every string of the public pages
// on the site (/admin/translations, for public pages, the strings still to do), each as a
// stand-in (the word ᠮᠣᠩᠭᠣᠯ with the string's variables: we do not invent Mongolian);
// the language switch then offers ᠮᠣᠩᠭᠣᠯ, and every public page in Mongolian, at phone and
// laptop size, has no axe-core WCAG 2.1 A/AA violations, no Mongolian lying on its side,
// no interface string left in Chinese in its header and footer (but the switch's 中文),
// and valid HTML. Then the students' strings too, and a class visit walked in Mongolian:
// each of its pages accessible, upright and valid, the essay box in columns; and the
// teacher's pages holding that Mongolian set it upright too, as the curator's forms do
// (tests/fixtures/mongolian, imported by .ci/run, gives them Mongolian to hold). Fails on
// any console error. Saves screenshots into SHOTS_DIR.
//
// Usage: node mongolian-ui.mjs BASE_URL ADMIN_NAME ADMIN_PASSWORD SHOTS_DIR
import { mkdirSync } from "node:fs";
import { accessible, check, failed, keepHtml, LAPTOP, launch, PHONE, setAssignment, sideways, valid, watcher } from "./common.mjs";
import { inLanguage, PAGES } from "./pages.mjs";

const [base, adminName, password, shots] = process.argv.slice(2);
if (!base || !adminName || !password || !shots) {
  console.error("usage: node mongolian-ui.mjs BASE_URL ADMIN_NAME ADMIN_PASSWORD SHOTS_DIR");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

// A stand-in for a Chinese source string, about as long as a Mongolian translation would
// be (a word for every two Chinese characters), with the same variables (a quoted literal
// such as { "{ $n }" } names none).
function standIn(zh) {
  const unquoted = zh.split('"').filter((_, i) => i % 2 === 0).join("");
  const names = [...new Set([...unquoted.matchAll(/\$([A-Za-z0-9_-]+)/g)].map((m) => m[1]))];
  const han = (unquoted.replace(/\{[^}]*\}/g, "").match(/\p{Script=Han}/gu) || []).length;
  const words = Array.from({ length: Math.max(1, Math.round(han / 2)) }, () => "ᠮᠣᠩᠭᠣᠯ");
  return [...words, ...names.map((n) => `{ $${n} }`)].join(" ");
}

// Writes every string still to do for one kind of reader (visitors, students) on the site,
// a page of the list at a time. Returns how many.
async function writeAll(readers) {
  let written = 0;
  for (let round = 0; round < 20; round++) {
    await page.goto(`${base}/admin/translations?show=todo&for=${readers}`);
    const rows = await page.$$eval("ol.titles > li", (items) => items.map((li) => ({
      name: li.querySelector("textarea").name,
      zh: li.querySelector(".translations-source p[lang='zh-Hans']").textContent,
    })));
    if (rows.length === 0) break;
    for (const r of rows) await page.fill(`textarea[name="${r.name}"]`, standIn(r.zh));
    await Promise.all([page.waitForURL(/saved=/), page.click("form.titles-sheet button[type=submit]")]);
    written += rows.length;
  }
  return written;
}

// No Mongolian lying on its side on the page now open.
async function upright(viewer, what) {
  const found = await sideways(viewer);
  check(found.length === 0, `${what}: no Mongolian on its side${found.length ? `: ${found.slice(0, 5).join("; ")}` : ""}`);
}

// The students' page now open, in Mongolian: accessible, upright, valid.
async function studentPage(student, what) {
  await student.evaluate(() => document.fonts.ready);
  await accessible(student, what);
  await upright(student, what);
  await keepHtml(student, what);
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
  const offeredBefore = (await page.request.get(`${base}/?lang=zh`).then((r) => r.text())).includes('hreflang="mn-Mong"');
  const written = await writeAll("visitors");
  // On a second run against the same server nothing is left to write, and it was offered.
  check(written === 0 || !offeredBefore, "while public strings were missing, the public pages did not offer Mongolian");
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
      await upright(viewer, what);
      const chinese = await viewer.$$eval("header [lang='zh-Hans'], footer [lang='zh-Hans']", (els) =>
        els.filter((e) => !e.closest(".lang-switch")).map((e) => e.textContent.trim()));
      check(chinese.length === 0, `${what}: header and footer all in Mongolian${chinese.length ? ` (still Chinese: ${chinese.join(", ")})` : ""}`);
      if (size === "phone") await keepHtml(viewer, what);
    }
  }
  await visitor.goto(inLanguage(base, "/items/mongolian-script-sample", "mn"));
  await visitor.screenshot({ path: `${shots}/item-mn-ui-${PHONE.width}x${PHONE.height}.png`, fullPage: true });

  // 4. A class visit walked in Mongolian: the students' strings written too, a student of
  // a Mongolian-medium school joins, answers, writes in traditional script and submits.
  const forStudents = await writeAll("students");
  check(await page.isVisible(".all-clear"), `${forStudents} strings of the students' visit written in Mongolian`);
  const teacher = await (await browser.newContext({ locale: "zh-CN", viewport: LAPTOP })).newPage();
  watch(teacher);
  const { assignmentUrl, code } = await setAssignment(teacher, base, adminName, password, {
    school: "甘旗卡蒙古族中学", exhibition: "life-on-the-steppe",
  });
  // The teacher writes a second question, the instructions and the essay topic in
  // traditional Mongolian (stand-ins again).
  await teacher.fill("#prompt", "ᠮᠣᠩᠭᠣᠯ ᠮᠣᠩᠭᠣᠯ?");
  await teacher.fill("#choices", "ᠮᠣᠩᠭᠣᠯ\nᠮᠣᠩᠭᠣᠯ ᠮᠣᠩᠭᠣᠯ");
  await teacher.fill("#answer", "1");
  await Promise.all([teacher.waitForNavigation(), teacher.click("form[action$='/questions'] button[type=submit]")]);
  check((await teacher.locator("#questions li", { hasText: "ᠮᠣᠩᠭᠣᠯ ᠮᠣᠩᠭᠣᠯ?" }).count()) === 1, "the teacher adds a question in Mongolian");
  await teacher.goto(`${assignmentUrl}/edit`);
  await teacher.fill("#instructions", "ᠮᠣᠩᠭᠣᠯ ᠮᠣᠩᠭᠣᠯ ᠮᠣᠩᠭᠣᠯ");
  await teacher.fill("#essay_prompt", "ᠮᠣᠩᠭᠣᠯ ᠮᠣᠩᠭᠣᠯ");
  await Promise.all([teacher.waitForURL(/saved=1/), teacher.click("form[action$='/edit'] button[type=submit]")]);
  const student = await (await browser.newContext({ locale: "zh-CN", viewport: PHONE, isMobile: true, hasTouch: true })).newPage();
  watch(student);
  await student.goto(`${base}/visit?lang=mn`);
  await studentPage(student, "the code page in Mongolian");
  await student.fill("#code", code);
  await Promise.all([student.waitForURL(/\/visit\/[2-9A-Z]{8}$/), student.click(".code-form button")]);
  await studentPage(student, "the join page in Mongolian");
  await student.fill("#nickname", "ᠰᠠᠷᠠᠨ");
  await Promise.all([student.waitForURL(/joined=1/), student.click(".join-form button")]);
  await studentPage(student, "the start page in Mongolian");
  await student.screenshot({ path: `${shots}/visit-mn-ui-${PHONE.width}x${PHONE.height}.png`, fullPage: true });
  await Promise.all([student.waitForURL(/\/stops\/1$/), student.click("a.button.big")]);
  for (const choice of await student.locator("input[type=radio][value='0']").all()) await choice.check();
  await studentPage(student, "a stop with its questions in Mongolian");
  // The same stop on a Chinese page: the teacher's Mongolian still stands upright.
  await student.goto(`${student.url()}?lang=zh`);
  await studentPage(student, "a stop with a question in Mongolian, on a Chinese page");
  await student.goto(student.url().replace("lang=zh", "lang=mn"));
  for (const choice of await student.locator("input[type=radio][value='0']").all()) await choice.check();
  await student.screenshot({ path: `${shots}/visit-stop-mn-ui-${PHONE.width}x${PHONE.height}.png`, fullPage: true });
  await Promise.all([student.waitForURL(/\/stops\/2$/), student.click(".stop-questions button[type=submit]")]);
  await student.goto(`${base}/visit/${code.replace("-", "")}/essay`);
  await student.fill("#essay", "ᠮᠣᠩᠭᠣᠯ ᠮᠣᠩᠭᠣᠯ ᠮᠣᠩᠭᠣᠯ ᠮᠣᠩᠭᠣᠯ ᠮᠣᠩᠭᠣᠯ ᠮᠣᠩᠭᠣᠯ");
  check(await student.evaluate(() => getComputedStyle(document.getElementById("essay")).writingMode) === "vertical-lr", "the essay box is in columns");
  await studentPage(student, "the essay page in Mongolian");
  await student.screenshot({ path: `${shots}/visit-essay-mn-ui-${PHONE.width}x${PHONE.height}.png`, fullPage: true });
  await Promise.all([student.waitForURL(/\/done$/), student.click("button[value=submit]")]);
  await studentPage(student, "the confirmation in Mongolian");

  // 5. The teacher's pages (in Chinese) show the Mongolian they hold upright: the
  // dashboard with the student's name and the questions, the essay with its answers, the
  // handout, the essays to print, the form to change the visit.
  await teacher.goto(assignmentUrl);
  const review = await teacher.getAttribute("#students tbody a", "href");
  for (const [path, what] of [
    [assignmentUrl, "the teacher's dashboard"],
    [`${base}${review}`, "the essay with its answers"],
    [`${assignmentUrl}/handout`, "the handout"],
    [`${assignmentUrl}/essays`, "the essays to print"],
    [`${assignmentUrl}/edit`, "the form to change the visit"],
  ]) {
    await teacher.goto(path);
    await teacher.evaluate(() => document.fonts.ready);
    await upright(teacher, what);
  }

  // The handout is for the students: with their strings written, it offers Mongolian.
  await teacher.goto(`${assignmentUrl}/handout`);
  const inMongolian = teacher.locator(".handout-langs a[hreflang='mn-Mong']");
  check(await inMongolian.isVisible(), "the handout offers ᠮᠣᠩᠭᠣᠯ");
  await Promise.all([teacher.waitForURL(/lang=mn/), inMongolian.click()]);
  check(await teacher.getAttribute("html", "lang") === "mn-Mong", "and prints in Mongolian");
  await studentPage(teacher, "the handout in Mongolian");
  await teacher.screenshot({ path: `${shots}/handout-mn-ui-${LAPTOP.width}x${LAPTOP.height}.png`, fullPage: true });
  await teacher.goto(`${assignmentUrl}?lang=zh`);

  // 6. The curator's pages type and show Mongolian upright too: the record's form, the
  // exhibition's, its whole Mongolian text, the titles still to write, the translations.
  for (const path of [
    "/admin/items/mongolian-script-sample",
    "/admin/exhibitions/mongolian-script-walk",
    "/admin/exhibitions/mongolian-script-walk/mongolian",
    "/admin/item-titles",
    "/admin/translations?show=site",
  ]) {
    await page.goto(`${base}${path}`);
    await page.evaluate(() => document.fonts.ready);
    await upright(page, path);
  }
  check(await page.evaluate(() => getComputedStyle(document.querySelector("textarea[lang='mn-Mong']")).writingMode) === "vertical-lr",
    "a translator types Mongolian in columns");

  valid();
  const unexpected = problems.filter((p) => !p.includes("/items/no-such-item") && !p.includes("404"));
  check(unexpected.length === 0, `no console errors (${unexpected.join(" | ")})`);
} catch (e) {
  await failed(e, page, `${shots}/mongolian-ui-failure.png`, problems);
} finally {
  await browser.close();
}
