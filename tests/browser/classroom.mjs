// What the classroom browser tests share: the browser, and a teacher setting a visit.
import { chromium } from "playwright-core";

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
