// An offline class visit, in a real browser (headless Chromium, a phone, Chinese UI): a
// teacher sets a visit with a question at stop 2; a student joins and saves the visit on
// the phone. Then the phone loses its network: the student still walks every stop (pages
// and pictures from the saved copy, with a note saying so), answers the question, writes
// the essay, and is told that it cannot be handed in offline. The teacher, meanwhile,
// sees nothing arrive. The network comes back: the answer and the stops seen reach the
// server, the essay (kept on the phone) is handed in, and the saved copy is removed. Then
// the next child on the same phone saves the visit and hands the phone on: the copy goes.
// Fails on any page error. Saves screenshots into SHOTS_DIR.
//
// Usage: node offline.mjs BASE_URL TEACHER_NAME TEACHER_PASSWORD SHOTS_DIR
import { mkdirSync } from "node:fs";
import { accessible, check, failed, LAPTOP, launch, PHONE, phoneContext, setAssignment, watcher } from "./common.mjs";

const [base, teacherName, password, shots] = process.argv.slice(2);
if (!base || !teacherName || !password || !shots) {
  console.error("usage: node offline.mjs BASE_URL TEACHER_NAME TEACHER_PASSWORD SHOTS_DIR");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const browser = await launch();
// Offline, the browser reports the requests the network could not carry; that is the point.
let offline = false;
const { problems, watch } = watcher((text) => offline && /ERR_INTERNET_DISCONNECTED|Failed to (fetch|load resource)/.test(text));
const teacher = await (await browser.newContext({ locale: "zh-CN", viewport: LAPTOP })).newPage();
watch(teacher);
const phone = await phoneContext(browser);
const student = await phone.newPage();
watch(student);
let current = teacher;

async function studentRow(assignmentUrl) {
  await teacher.goto(assignmentUrl);
  return (await teacher.textContent("#students tbody tr")) ?? "";
}

try {
  const { assignmentUrl, code } = await setAssignment(teacher, base, teacherName, password, {
    school: "阿古拉镇中学", exhibition: "life-on-the-steppe", stop: 2,
  });
  const path = `/visit/${code.replace("-", "")}`;

  // 1. Online: join, and save the visit on the phone.
  current = student;
  await student.goto(`${base}${path}`);
  await student.fill("#nickname", "巴特尔");
  await Promise.all([student.waitForURL(/joined=1/), student.click(".join-form button")]);
  check(await student.isVisible("#offline-save"), "the start page offers to save the visit on the phone");
  await student.click("#offline-save");
  await student.waitForFunction(() => /^已保存到本机/.test(document.getElementById("offline-status").textContent), null, { timeout: 60000 });
  const status = await student.textContent("#offline-status");
  check(/已保存到本机：10 个页面，共 [\d.]+ (KB|MB)/.test(status), `the download is reported (${status})`);
  check((await student.textContent("#offline-save")).includes("更新"), "the button now offers to update the copy");
  await student.screenshot({ path: `${shots}/offline-saved-${PHONE.width}x${PHONE.height}.png`, fullPage: true });
  await accessible(student, "the start page with the offline card");
  const scope = await student.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active && r.scope));
  check(scope === `${base}/visit/`, `a service worker looks after the visits (${scope})`);

  // 2. Offline: every stop, the question, the essay.
  offline = true;
  await phone.setOffline(true);
  await Promise.all([student.waitForURL(/\/stops\/1$/), student.click("a.button.big")]);
  check(await student.isVisible("[data-offline-note]"), "stop 1 opens from the saved copy, and says so");
  check(await student.evaluate(() => { const img = document.querySelector(".stop-figure img"); return !img || (img.complete && img.naturalWidth > 0); }),
    "with its picture");
  // Players ask for byte ranges (an audio guide seeks); the saved copy answers them.
  const ranged = await student.evaluate(async () => {
    const src = document.querySelector(".stop-figure img")?.getAttribute("src");
    if (!src) return null;
    const all = new Uint8Array(await (await fetch(src)).arrayBuffer());
    const part = await fetch(src, { headers: { Range: "bytes=100-199" } });
    const got = new Uint8Array(await part.arrayBuffer());
    return { status: part.status, range: part.headers.get("content-range"),
      same: got.length === 100 && got.every((b, i) => b === all[100 + i]), size: all.length };
  });
  check(ranged && ranged.status === 206 && ranged.same && ranged.range === `bytes 100-199/${ranged.size}`,
    `a saved file answers a byte range offline (${JSON.stringify(ranged)})`);
  const total = Number(await student.getAttribute(".visit-head progress", "max"));
  await Promise.all([student.waitForURL(/\/stops\/2$/), student.click(".stop-nav a[rel=next]")]);
  await student.check("input[type=radio][value='0']");
  await student.screenshot({ path: `${shots}/offline-stop-${PHONE.width}x${PHONE.height}.png`, fullPage: true });
  await accessible(student, "a stop from the saved copy");
  await Promise.all([student.waitForURL(/\/stops\/3$/), student.click(".stop-questions button[type=submit]")]);
  check(await student.isVisible("[data-offline-note]"), "answering offline moves on to stop 3");
  // Back to stop 2: the saved page predates the answer, which is put back.
  await Promise.all([student.waitForURL(/\/stops\/2$/), student.click(".stop-nav a[rel=prev]")]);
  check(await student.isChecked("input[type=radio][value='0']"), "going back shows the answer given offline");
  await Promise.all([student.waitForURL(/\/stops\/3$/), student.click(".stop-questions button[type=submit]")]);
  for (let n = 3; n <= total; n++) {
    const next = n < total ? new RegExp(`/stops/${n + 1}$`) : /\/essay$/;
    await Promise.all([student.waitForURL(next), student.click(".stop-nav a[rel=next]")]);
  }
  check(await student.isVisible("[data-offline-note]"), `all ${total} stops walked offline, and the essay page opens`);
  const essay = "我在草原上参观了蒙古包，知道了牧民一家怎样生活，也听到了马头琴。";
  await student.click("#essay");
  await student.keyboard.type(essay);
  await Promise.all([student.waitForURL(/#offline-submit$/), student.click("button[value=submit]")]);
  check(await student.isVisible("#offline-submit"), "handing in offline is refused with an explanation");
  check((await student.inputValue("#essay")) === essay, "and the essay is still in the box");
  await student.screenshot({ path: `${shots}/offline-essay-${PHONE.width}x${PHONE.height}.png`, fullPage: true });
  await accessible(student, "the essay page refusing an offline hand-in");

  current = teacher;
  const before = await studentRow(assignmentUrl);
  check(before.includes("巴特尔") && before.includes(`0/${total}`), `the teacher sees nothing arrive yet (${before.replace(/\s+/g, " ").trim()})`);

  // 3. Online again: the outbox goes first, then the essay is handed in.
  current = student;
  offline = false;
  await phone.setOffline(false);
  await student.goto(`${base}${path}/essay`);
  check((await student.inputValue("#essay")) === essay, "the essay kept on the phone is back in the box");
  await Promise.all([student.waitForURL(/\/done$/), student.click("button[value=submit]")]);
  check((await student.textContent("h1")).includes("作文已提交"), "the essay is handed in");
  await student.waitForFunction((name) => caches.has(name).then((has) => !has), `edubase-visit-${code.replace("-", "")}`, { timeout: 10000 });
  check(true, "handing in removes the saved copy from the phone");

  current = teacher;
  const after = (await studentRow(assignmentUrl)).replace(/\s+/g, " ").trim();
  check(after.startsWith(`巴特尔 ${total}/${total} 1/1 1/1 已提交`), `the teacher sees every stop, the answer given offline (right), and the essay (${after})`);

  // 4. A shared phone: the next child saves the visit, then hands the phone on ("not me").
  current = student;
  await student.goto(`${base}${path}`);
  await student.click(".leave-form button");
  await student.waitForSelector("#nickname");
  await student.fill("#nickname", "乌云");
  await Promise.all([student.waitForURL(/joined=1/), student.click(".join-form button")]);
  await student.click("#offline-save");
  await student.waitForFunction(() => /^已保存到本机/.test(document.getElementById("offline-status").textContent), null, { timeout: 60000 });
  await student.click(".leave-form button");
  await student.waitForSelector("#nickname");
  await student.waitForFunction((name) => caches.has(name).then((has) => !has), `edubase-visit-${code.replace("-", "")}`, { timeout: 10000 });
  check(await student.isVisible("#nickname"), "leaving the visit removes its saved copy from the phone");

  check(problems.length === 0, `no page errors (${problems.join(" | ")})`);
} catch (e) {
  await failed(e, current, `${shots}/offline-failure.png`, problems);
} finally {
  await browser.close();
}
