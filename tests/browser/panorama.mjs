// A hall panorama, in a real browser (headless Chromium): a curator uploads a 360°
// photograph of a hall in the admin, names it, and marks two items by clicking where they
// stand, adds a second hall and places doors both ways; then a visitor on a phone finds the
// panorama on the base's page, sees the numbered markers and the door on the flat
// photograph, opens an item from its marker, comes back from an item page to its marker
// (scrolled into view), walks the hall in the 360° viewer (Pannellum, over WebGL), whose
// hot spots lead to the same items and through the door, and arrives in the second hall
// still in 360°, facing away from the door back. The panorama page is checked with axe-core. Fails on any console error
// (CSP violations included).
//
// The photographs are drawn here, in the browser: 4096 × 2048 equirectangular pictures of
// halls (walls, floor, display cases), so the test needs no media tools.
//
// Usage: node panorama.mjs BASE_URL CURATOR_NAME PASSWORD SHOTS_DIR
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { accessible, check, failed, LAPTOP, launch, PHONE, phoneContext, watcher } from "./common.mjs";

const [base, name, password, shots] = process.argv.slice(2);
if (!base || !name || !password || !shots) {
  console.error("usage: node panorama.mjs BASE_URL CURATOR_NAME PASSWORD SHOTS_DIR");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const photo = join(shots, "hall-360.jpg");
const photo2 = join(shots, "hall-2-360.jpg");

// A hall as an equirectangular JPEG: warm walls with six display cases around the room,
// a floor below the horizon, a ceiling above.
async function drawHall(page, path, warm) {
  const data = await page.evaluate((warm) => {
    const c = document.createElement("canvas");
    c.width = 4096;
    c.height = 2048;
    const g = c.getContext("2d");
    const sky = g.createLinearGradient(0, 0, 0, 1024);
    sky.addColorStop(0, warm ? "#f3efe6" : "#e6eef3");
    sky.addColorStop(1, warm ? "#e2d6bd" : "#bdd0e2");
    g.fillStyle = sky;
    g.fillRect(0, 0, 4096, 1024);
    const floor = g.createLinearGradient(0, 1024, 0, 2048);
    floor.addColorStop(0, "#8b6b4a");
    floor.addColorStop(1, "#4b3826");
    g.fillStyle = floor;
    g.fillRect(0, 1024, 4096, 1024);
    for (let i = 0; i < 6; i++) {
      const x = 180 + i * 660;
      g.fillStyle = ["#1d4e89", "#a4262c", "#8a6a12", "#2f6b4f", "#5b3a7a", "#1d4e89"][i];
      g.fillRect(x, 760, 300, 420);
      g.fillStyle = "rgba(255,255,255,.35)";
      g.fillRect(x + 20, 780, 260, 240);
      g.fillStyle = "#fff";
      g.font = "bold 90px sans-serif";
      g.fillText(String(i + 1), x + 120, 1120);
    }
    return c.toDataURL("image/jpeg", 0.85);
  }, warm);
  writeFileSync(path, Buffer.from(data.split(",")[1], "base64"));
}
const HALL = "banner-heritage-hall";

const browser = await launch();
const { problems, watch } = watcher();
const curator = await (await browser.newContext({ locale: "zh-CN", viewport: LAPTOP })).newPage();
watch(curator);
const visitor = await (await phoneContext(browser)).newPage();
watch(visitor);
let current = curator;

try {
  // 1. The curator adds the panorama and marks two items by clicking on it.
  await curator.goto(`${base}/admin/login`);
  await curator.fill("#username", name);
  await curator.fill("#password", password);
  await Promise.all([curator.waitForURL(`${base}/admin`), curator.click("button[type=submit]")]);
  await drawHall(curator, photo, true);
  await drawHall(curator, photo2, false);
  await curator.goto(`${base}/admin/bases/${HALL}`);
  await Promise.all([curator.waitForURL(/\/panoramas$/), curator.click(`a[href='/admin/bases/${HALL}/panoramas']`)]);
  await curator.fill("#title_zh", "一号展厅");
  await curator.fill("#title_en", "Hall one");
  await curator.fill("#alt_zh", "一号展厅的 360° 全景照片");
  await curator.setInputFiles("#panorama-file", photo);
  await Promise.all([curator.waitForURL(/\/panoramas\/\d+\?added=1$/), curator.click("form[enctype] button[type=submit]")]);
  const editor = curator.url().split("?")[0];
  const accessions = [];
  for (const slug of ["urliger", "andai-dance"]) {
    const item = await (await curator.request.get(`${base}/api/v1/items/${slug}`)).json();
    accessions.push(item.accession);
  }
  for (const [i, [fx, fy]] of [[0.25, 0.5], [0.6, 0.45]].entries()) {
    const img = curator.locator("#place-photo img");
    await img.scrollIntoViewIfNeeded();
    const box = await img.boundingBox();
    await curator.mouse.click(box.x + fx * box.width, box.y + fy * box.height);
    const x = Number(await curator.inputValue("#x"));
    check(Math.abs(x - fx * 100) < 1, `a click fills in where (${x} % across)`);
    await curator.fill("#accession", accessions[i]);
    await Promise.all([curator.waitForURL(/placed=1/), curator.click("#spot-form button[type=submit]")]);
  }
  check(await curator.locator("#spots tbody tr").count() === 2, "two items are marked");
  // A second hall, and a door to it from the first, placed by a click.
  await curator.goto(`${base}/admin/bases/${HALL}/panoramas`);
  await curator.fill("#title_zh", "二号展厅");
  await curator.fill("#alt_zh", "二号展厅的 360° 全景照片");
  await curator.setInputFiles("#panorama-file", photo2);
  await Promise.all([curator.waitForURL(/\/panoramas\/\d+\?added=1$/), curator.click("form[enctype] button[type=submit]")]);
  const second = curator.url().split("?")[0].split("/").pop();
  // Doors both ways: the first hall's at 55 % across, the way back at 25 %.
  const first = editor.split("/").pop();
  for (const [from, to, fx] of [[first, second, 0.55], [second, first, 0.25]]) {
    await curator.goto(`${base}/admin/bases/${HALL}/panoramas/${from}`);
    const img = curator.locator("#place-photo img");
    await img.scrollIntoViewIfNeeded();
    const box = await img.boundingBox();
    await curator.mouse.click(box.x + fx * box.width, box.y + 0.5 * box.height);
    const x = Number(await curator.inputValue("#door-x"));
    check(Math.abs(x - fx * 100) < 1, `the click fills in the door's place too (${x} % across)`);
    await curator.selectOption("#door-to", to);
    await Promise.all([curator.waitForURL(/door-placed=1/), curator.click("#doors button[type=submit]")]);
    check(await curator.locator("#doors tbody tr").count() === 1, `a door leads from hall ${from} to hall ${to}`);
  }
  await curator.screenshot({ path: `${shots}/panorama-admin-${LAPTOP.width}x${LAPTOP.height}.png`, fullPage: true });

  // 2. A visitor on a phone: the base page, the flat photograph, a marker to an item.
  current = visitor;
  await visitor.goto(`${base}/bases/${HALL}`);
  const number = editor.split("/").pop();
  await Promise.all([visitor.waitForURL(new RegExp(`/panoramas/${number}$`)), visitor.click(`.panorama-card a[href$="/panoramas/${number}"]`)]);
  check(await visitor.locator(".panorama-marks a:not(.door)").count() === 2, "the photograph carries two numbered markers");
  check(await visitor.locator(".panorama-marks a.door").count() === 1, "and a door");
  const photoLoaded = await visitor.evaluate(() => { const i = document.querySelector(".panorama-photo img"); return i.complete && i.naturalWidth > 0; });
  check(photoLoaded, "the flat photograph is shown");
  await accessible(visitor, "the panorama page");
  await visitor.screenshot({ path: `${shots}/panorama-${PHONE.width}x${PHONE.height}.png`, fullPage: true });
  await visitor.locator(".panorama-marks a").first().scrollIntoViewIfNeeded();
  await Promise.all([visitor.waitForURL(/\/items\/urliger$/), visitor.locator(".panorama-marks a").first().click()]);
  check(true, "marker 1 opens its item");
  // From an item's page to its marker in the hall: the photograph scrolls to it.
  await visitor.goto(`${base}/items/andai-dance`);
  await Promise.all([visitor.waitForURL(/#spot-2$/), visitor.click(`a[href$="/panoramas/${number}#spot-2"]`)]);
  const scrolled = await visitor.evaluate(() => document.querySelector(".panorama-frame").scrollLeft);
  check(scrolled > 0, `the item page leads to its marker, scrolled into view (${scrolled} px)`);

  // 3. The 360° view, where WebGL is (headless Chromium has it in software).
  check(await visitor.isVisible("#panorama-sphere"), "the 360° view is offered");
  await visitor.click("#panorama-sphere");
  await visitor.waitForSelector(".panorama-sphere[data-loaded]", { timeout: 60000 });
  check(await visitor.locator(".pnlm-hotspot").count() === 3, "the 360° view has the two items and the door as hot spots");
  const through = await visitor.evaluate(() => {
    const door = document.querySelector(".pnlm-hotspot.pnlm-scene");
    const a = door && (door.querySelector("a") || door.closest("a"));
    return a ? a.getAttribute("href") : null;
  });
  check(through === `/bases/${HALL}/panoramas/${second}#360-from-${number}`, `the door leads to the second hall in 360° (${through})`);
  check(await visitor.isHidden(".panorama-frame"), "in place of the flat photograph");
  await visitor.screenshot({ path: `${shots}/panorama-360-${PHONE.width}x${PHONE.height}.png` });
  await visitor.click("#panorama-sphere");
  check(await visitor.isVisible(".panorama-frame"), "and back to the flat photograph");
  // Through the door: the second hall opens in the 360° view at once.
  await visitor.goto(`${base}${through}`);
  await visitor.waitForSelector(".panorama-sphere[data-loaded]", { timeout: 60000 });
  check(await visitor.isHidden(".panorama-frame"), "the second hall opens in 360°");
  const yaw = await visitor.getAttribute(".panorama-sphere", "data-yaw");
  check(yaw === "90", `facing away from the door back, which is at 25 % across (yaw ${yaw}°)`);

  check(problems.length === 0, `no console errors (${problems.join(" | ")})`);
} catch (e) {
  await failed(e, current, `${shots}/panorama-failure.png`, problems);
} finally {
  await browser.close();
}
