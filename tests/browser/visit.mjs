// A class visit, in a real browser (headless Chromium, Chinese UI): a teacher signs in,
// creates a class and an assignment with a question at the first stop, and reads the join
// code; then, on a phone-sized screen, a student types the code, picks a nickname, walks
// every stop (answering the question), writes the essay, reloads the page mid-essay and
// finds the text still there (autosave), and submits; the teacher hands the essay back
// with a comment, and the student reads it, changes the essay and submits again; the
// teacher prints every essay, one an A4 page, a classmate's long essay in traditional
// Mongolian in columns over several pages. Each student page is checked with
// axe-core (WCAG 2.1 A/AA) and the Nu Html Checker, as a11y.mjs and html.mjs check the
// public pages. Fails on any console error (CSP violations included). Saves screenshots
// into SHOTS_DIR.
//
// Usage: node visit.mjs BASE_URL TEACHER_NAME TEACHER_PASSWORD SHOTS_DIR
import { mkdirSync } from "node:fs";
import { accessible, check, failed, keepHtml, LAPTOP, launch, PHONE, phoneContext, setAssignment, valid, watcher } from "./common.mjs";

const [base, teacherName, password, shots] = process.argv.slice(2);
if (!base || !teacherName || !password || !shots) {
  console.error("usage: node visit.mjs BASE_URL TEACHER_NAME TEACHER_PASSWORD SHOTS_DIR");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const browser = await launch();
const { problems, watch } = watcher();
const teacher = await (await browser.newContext({ locale: "zh-CN", viewport: LAPTOP })).newPage();
watch(teacher);
const phone = await phoneContext(browser);
const student = await phone.newPage();
watch(student);
let current = teacher;

try {
  // 1. The teacher sets the visit.
  const { assignmentUrl, code } = await setAssignment(teacher, base, teacherName, password, {
    school: "甘旗卡第二中学", exhibition: "life-on-the-steppe",
  });
  check(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/.test(code), `the join code is shown large (${code})`);
  check(await teacher.isVisible(".qr svg"), "with its QR code");
  await teacher.screenshot({ path: `${shots}/assignment-${LAPTOP.width}x${LAPTOP.height}.png`, fullPage: true });
  await teacher.goto(`${assignmentUrl}/handout`);
  check((await teacher.textContent(".sheet-code")).trim() === code, "the handout prints the code");
  await teacher.screenshot({ path: `${shots}/handout-${LAPTOP.width}x${LAPTOP.height}.png`, fullPage: true });

  // 2. A student on a phone joins by code.
  current = student;
  await student.goto(`${base}/visit`);
  await student.screenshot({ path: `${shots}/visit-start-${PHONE.width}x${PHONE.height}.png`, fullPage: true });
  await accessible(student, "the code page");
  await keepHtml(student, "the code page");
  await student.fill("#code", code.toLowerCase());
  await Promise.all([student.waitForURL(/\/visit\/[2-9A-Z]{8}$/), student.click(".code-form button")]);
  await student.fill("#nickname", "其木格");
  await Promise.all([student.waitForURL(/joined=1/), student.click(".join-form button")]);
  const resume = (await student.textContent("#resume-code")).trim();
  check(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/.test(resume), `a resume code is shown (${resume})`);
  await student.screenshot({ path: `${shots}/visit-joined-${PHONE.width}x${PHONE.height}.png`, fullPage: true });
  await accessible(student, "the joined start page");
  await keepHtml(student, "the joined start page");

  // 3. Every stop, with the progress bar; the question at the first.
  await Promise.all([student.waitForURL(/\/stops\/1$/), student.click("a.button.big")]);
  const total = Number(await student.getAttribute(".visit-head progress", "max"));
  check(total > 1, `the visit has ${total} stops`);
  await student.check("input[type=radio][value='0']");
  await student.screenshot({ path: `${shots}/visit-stop-${PHONE.width}x${PHONE.height}.png`, fullPage: true });
  await accessible(student, "a stop with its question");
  await keepHtml(student, "a stop with its question");
  await Promise.all([student.waitForURL(/\/stops\/2$/), student.click(".stop-questions button[type=submit]")]);
  for (let n = 2; n <= total; n++) {
    check(Number(await student.getAttribute(".visit-head progress", "value")) === n, `progress at stop ${n}`);
    const next = n < total ? new RegExp(`/stops/${n + 1}$`) : /\/essay$/;
    await Promise.all([student.waitForURL(next), student.click(".stop-nav a[rel=next]")]);
  }

  // 4. The essay: typed, autosaved, still there after a reload. A student who writes in
  // traditional Mongolian gets the box in columns as soon as a Mongolian letter is in it.
  const mode = () => student.evaluate(() => getComputedStyle(document.getElementById("essay")).writingMode);
  check(await mode() === "horizontal-tb", "the essay box on a Chinese page is horizontal");
  await student.fill("#essay", "ᠮᠢᠨᠤ ᠬᠠᠮᠤᠭ");
  check(await mode() === "vertical-lr" && (await student.getAttribute("#essay", "lang")) === "mn-Mong", "with Mongolian in it, the box is set in columns");
  await student.fill("#essay", "");
  check(await mode() === "horizontal-tb", "emptied, it is horizontal again");
  const first = "我参观了草原上的蒙古包，";
  await student.click("#essay");
  await student.keyboard.type(first);
  check((await student.textContent("#essay-count")).includes(String(Array.from(first).length)), "the character count follows the typing");
  await student.waitForFunction(() => /^已保存 \d{4}-/.test(document.getElementById("essay-saved").textContent), null, { timeout: 10000 });
  check(true, "the draft saves itself on the server");
  const more = "知道了牧民一家怎样生活，也看到了马头琴。";
  await student.keyboard.type(more);
  // Reload at once, before the next autosave: the browser's copy (and pagehide) keep it.
  await student.reload();
  check((await student.inputValue("#essay")) === first + more, "after a reload mid-essay the text is still there");
  await student.screenshot({ path: `${shots}/visit-essay-${PHONE.width}x${PHONE.height}.png`, fullPage: true });
  await accessible(student, "the essay page");
  await keepHtml(student, "the essay page");
  await Promise.all([student.waitForURL(/\/done$/), student.click("button[value=submit]")]);
  check((await student.textContent("h1")).includes("作文已提交"), "the submission is confirmed");
  await student.screenshot({ path: `${shots}/visit-done-${PHONE.width}x${PHONE.height}.png`, fullPage: true });
  await accessible(student, "the confirmation");
  await keepHtml(student, "the confirmation");

  // 5. The teacher sees it.
  current = teacher;
  await teacher.goto(assignmentUrl);
  const row = await teacher.textContent("#students tbody tr");
  check(row.includes("其木格") && row.includes(`${total}/${total}`) && row.includes("已提交"), "the dashboard shows the student's visit and essay");

  // 6. The teacher hands the essay back with a comment; the student reads it, changes
  // the essay and hands it in again.
  await Promise.all([teacher.waitForURL(/\/visits\/\d+$/), teacher.click("#students tbody a")]);
  await teacher.fill("#feedback-text", "开头写得好。\n再写写马头琴的声音给你的感受。");
  await teacher.selectOption("#feedback-grade", "good");
  await Promise.all([teacher.waitForURL(/returned=1/), teacher.click("button[value=return]")]);
  check((await teacher.textContent("#feedback .notice")).includes("退回"), "the teacher is told the essay went back");
  await teacher.screenshot({ path: `${shots}/essay-feedback-${LAPTOP.width}x${LAPTOP.height}.png`, fullPage: true });
  await accessible(teacher, "the essay with the comment form");
  current = student;
  await student.goto(`${base}/visit/${code.replace("-", "")}`);
  const note = await student.textContent(".teacher-note");
  check(note.includes("马头琴的声音") && note.includes("等级：良好"), "the student reads the comment and the grade");
  await student.screenshot({ path: `${shots}/visit-returned-${PHONE.width}x${PHONE.height}.png`, fullPage: true });
  await accessible(student, "the start page with the teacher's comment");
  await keepHtml(student, "the start page with the teacher's comment");
  await Promise.all([student.waitForURL(/\/essay$/), student.click("a.button.big")]);
  check((await student.inputValue("#essay")) === first + more, "the handed-back essay is there to change");
  await student.click("#essay");
  await student.keyboard.press("End");
  await student.keyboard.type("马头琴的声音像风吹过草原。");
  await accessible(student, "the essay page with the teacher's comment");
  await keepHtml(student, "the essay page with the teacher's comment");
  await Promise.all([student.waitForURL(/\/done$/), student.click("button[value=submit]")]);
  check((await student.textContent(".teacher-note")).includes("开头写得好"), "the confirmation keeps the comment");
  current = teacher;
  await teacher.goto(assignmentUrl);
  check((await teacher.textContent("#students tbody tr")).includes("已重新提交"), "the dashboard shows the essay handed in again");

  // 7. Every essay on A4, one a page, with the comment. A classmate writes a long essay
  // in traditional Mongolian: it prints in columns, over as many pages as it needs, with
  // every word on paper.
  const classmate = await (await phoneContext(browser)).newPage();
  watch(classmate);
  current = classmate;
  await classmate.goto(`${base}/visit/${code.replace("-", "")}`);
  await classmate.fill("#nickname", "ᠰᠠᠷᠠᠨ");
  await Promise.all([classmate.waitForURL(/joined=1/), classmate.click(".join-form button")]);
  await classmate.goto(`${base}/visit/${code.replace("-", "")}/essay`);
  const words = "ᠮᠢᠨᠤ ᠬᠠᠮᠤᠭ ᠤᠨ ᠳᠤᠷᠠᠲᠠᠢ ᠨᠢ ᠠᠨᠳᠠᠢ ᠪᠦᠵᠢᠭ ᠮᠣᠷᠢᠨ ᠬᠤᠭᠤᠷ ᠨᠠᠭᠠᠳᠤᠮ ᠭᠡᠷ ᠮᠠᠯᠴᠢᠨ".split(" ");
  const mongolian = Array.from({ length: 12 }, (_, i) =>
    Array.from({ length: 30 + 7 * i }, (_, j) => words[(3 * i + j) % words.length]).join(" ")).join("\n");
  await classmate.fill("#essay", mongolian);
  await Promise.all([classmate.waitForURL(/\/done$/), classmate.click("button[value=submit]")]);
  await classmate.context().close();
  current = teacher;
  await Promise.all([teacher.waitForURL(/\/essays$/), teacher.click(`a[href$="/essays"]`)]);
  check((await teacher.locator(".essay-sheet").count()) === 2 && (await teacher.textContent(".sheet-comment")).includes("开头写得好"), "the essays print with their comments");
  await teacher.waitForFunction(() => document.documentElement.classList.contains("essays-laid"));
  const laid = await teacher.evaluate(() => {
    const blocks = Array.from(document.querySelectorAll(".mn-page"));
    return {
      blocks: blocks.length,
      cut: blocks.filter((b) => b.scrollWidth > b.clientWidth + 1 || getComputedStyle(b).writingMode !== "vertical-lr").length,
      text: blocks.map((b) => b.textContent).join(""),
      name: getComputedStyle(document.querySelector(".essay-sheet h1 .mn-ui")).writingMode,
    };
  });
  check(laid.blocks >= 3 && laid.cut === 0, `the Mongolian essay is set in ${laid.blocks} page-high blocks of columns, none cut off`);
  check(laid.text.replace(/\s/g, "") === mongolian.replace(/\s/g, ""), "every word of it is in them, in order");
  check(laid.name === "vertical-lr", "the Mongolian nickname stands upright");
  await teacher.screenshot({ path: `${shots}/essays-print-${LAPTOP.width}x${LAPTOP.height}.png`, fullPage: true });
  const pdf = await teacher.pdf({ path: `${shots}/essays-print.pdf`, format: "A4" });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g) || []).length;
  check(pages >= 1 + laid.blocks, `the PDF has a page for the Chinese essay and one for each block (${pages} pages)`);
  await keepHtml(teacher, "the essays to print");

  // 8. The teacher gives the class its size; the dashboard says who has not joined.
  await teacher.goto(assignmentUrl);
  await Promise.all([teacher.waitForURL(/\/admin\/classes\/\d+$/), teacher.click(".breadcrumb a[href^='/admin/classes/']")]);
  await Promise.all([teacher.waitForURL(/\/edit$/), teacher.click("a[href$='/edit']")]);
  await accessible(teacher, "the class's form");
  await keepHtml(teacher, "the class's form");
  await teacher.fill("#students", "30");
  await Promise.all([teacher.waitForURL(/saved=1/), teacher.click("form[action$='/edit'] button[type=submit]")]);
  check((await teacher.textContent("main")).includes("全班 30 人"), "the class page shows its size");
  await teacher.goto(assignmentUrl);
  check((await teacher.textContent("#students-heading")).includes("还有 28 人没有加入"), "the dashboard counts who has not joined");
  await teacher.screenshot({ path: `${shots}/assignment-missing-${LAPTOP.width}x${LAPTOP.height}.png`, fullPage: true });

  valid();
  check(problems.length === 0, `no console errors (${problems.join(" | ")})`);
} catch (e) {
  await failed(e, current, `${shots}/visit-failure.png`, problems);
} finally {
  await browser.close();
}
