// A curator's first day, in a real browser (headless Chromium, Chinese UI):
// create the first administrator from the setup link, catalogue an item in Chinese and
// English, upload a photo with the resumable uploader, describe it, publish, see it on
// the public site, build and publish an exhibition around it, start archiving the item
// and be asked first (then cancel), edit a base, add a curator,
// read the audit log, import a spreadsheet with a media zip (sent resumably), publish the
// imported drafts together from the list, download the catalogue as an Excel workbook,
// translate an interface string into Mongolian on the site (and take it back), download
// the strings as a workbook, check every kind of admin page with axe-core, sign out. Fails on any browser console error (CSP violations
// included). Saves screenshots at laptop and tablet sizes into SHOTS_DIR.
//
// Usage: node admin.mjs BASE_URL SETUP_URL PHOTO SHOTS_DIR
import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
import { accessible } from "./common.mjs";

const [base, setupUrl, photo, shots] = process.argv.slice(2);
if (!base || !setupUrl || !photo || !shots) {
  console.error("usage: node admin.mjs BASE_URL SETUP_URL PHOTO SHOTS_DIR");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const LAPTOP = { width: 1366, height: 768 };
const TABLET = { width: 820, height: 1180 };
const PASSWORD = "马头琴的声音-2026";

// A zip archive of one stored (uncompressed) file: enough for an import's media zip.
function storedZip(name, data) {
  let crc = 0xffffffff;
  for (const b of data) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  crc = (crc ^ 0xffffffff) >>> 0;
  const n = Buffer.from(name, "utf8");
  const date = ((2026 - 1980) << 9) | (11 << 5) | 29;
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0x0800, 6); // UTF-8 names
  local.writeUInt16LE(date, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x0800, 8);
  central.writeUInt16LE(date, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(n.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + n.length, 12);
  end.writeUInt32LE(30 + n.length + data.length, 16);
  return Buffer.concat([local, n, data, central, n, end]);
}

function check(ok, what) {
  if (!ok) throw new Error(`failed: ${what}`);
  console.log(`ok - ${what}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const context = await browser.newContext({ locale: "zh-CN", viewport: LAPTOP });
// Every upload progress bar and state the page shows, kept across the reload that
// follows the upload.
const uploadLog = [];
await context.exposeFunction("reportUpload", (value, state) => uploadLog.push({ value, state }));
await context.addInitScript(() => {
  document.addEventListener("DOMContentLoaded", () => {
    const list = document.querySelector(".upload-list");
    if (!list) return;
    new MutationObserver(() => {
      list.querySelectorAll("li").forEach((li) => {
        window.reportUpload(Number(li.querySelector("progress").value), li.querySelector(".state").textContent);
      });
    }).observe(list, { subtree: true, childList: true, attributes: true, characterData: true });
  });
});
const page = await context.newPage();
const problems = [];
page.on("console", (m) => {
  if (m.type() !== "error") return;
  // The import's dry run answers a spreadsheet with problems with 422, by design.
  const expected = m.text().includes("status of 422") && (m.location().url || "").endsWith("/admin/import");
  if (!expected) problems.push(m.text());
});
page.on("pageerror", (e) => problems.push(String(e)));
// A request cut short by the next navigation (ERR_ABORTED) is not a failure of the page.
page.on("requestfailed", (r) => {
  const error = r.failure()?.errorText ?? "";
  if (!error.includes("ERR_ABORTED")) problems.push(`request failed: ${r.url()} ${error}`);
});

async function shot(name, size = LAPTOP) {
  await page.setViewportSize(size);
  await page.screenshot({ path: `${shots}/${name}-${size.width}x${size.height}.png`, fullPage: true });
}

try {
  // 1. The first administrator, from the one-time link the server printed.
  await page.goto(setupUrl);
  await shot("setup");
  await page.fill("#username", "wang.admin");
  await page.fill("#display_name", "王老师");
  await page.fill("#password", PASSWORD);
  await page.fill("#password2", PASSWORD);
  await Promise.all([page.waitForURL(`${base}/admin`), page.click("button[type=submit]")]);
  check(await page.isVisible("nav.admin-nav"), "setup signs the new administrator in");
  await shot("dashboard");

  // 2. A new item, in Chinese and English.
  await page.click("nav.admin-nav a[href='/admin/items']");
  await page.click("a[href='/admin/items/new']");
  await page.fill("#accession", "KZ-T-001");
  await page.fill("#slug", "silver-saddle");
  await page.selectOption("#base", "banner-heritage-hall");
  await page.selectOption("#category", "traditional_craft");
  await page.fill("#title_zh", "银饰马鞍");
  await page.fill("#title_en", "Silver-inlaid saddle");
  await page.fill("#summary_zh", "科尔沁工匠制作的银饰马鞍。");
  await page.fill("#summary_en", "A saddle with silver inlay, made by Horqin craftsmen.");
  await page.fill("#description_zh", "马鞍以桦木为骨。\n\n银饰錾刻吉祥纹样。");
  await shot("item-new");
  await Promise.all([page.waitForURL(/\/admin\/items\/silver-saddle\?created=1/), page.click("form.item-form button[type=submit]")]);
  check((await page.textContent(".notice")).includes("草稿"), "the item is created as a draft");

  // 3. A photo, through the resumable uploader (tus), with a progress bar.
  check(await page.isVisible(".upload-zone.enhanced"), "the upload zone is enhanced by the script");
  await Promise.all([
    page.waitForURL(/media=1/, { timeout: 30000 }),
    page.setInputFiles("#files", photo),
  ]);
    check(uploadLog.length > 0 && uploadLog.every((e, i) => i === 0 || e.value >= uploadLog[i - 1].value), "the progress bar only moves forward");
  check(uploadLog.some((e) => e.value === 100 && e.state === "完成"), `the progress bar finishes (${JSON.stringify(uploadLog.slice(-2))})`);
  await page.waitForSelector(".media-item");
  const thumb = page.locator(".media-item img.thumb");
  await thumb.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => { const i = document.querySelector(".media-item img.thumb"); return i.complete && i.naturalWidth > 0; });
  check(true, "the private preview of the photo loads in the editor");
  check((await page.locator(".media-item").count()) === 1, "the uploaded photo is listed");
  check(await page.isVisible(".workflow .problems"), "publishing waits for a text alternative");
  check(await page.isDisabled(".workflow button.primary"), "the publish button is disabled meanwhile");
  await shot("item-media");

  // 4. Describe the photo, then publish.
  await page.fill(".media-form input[name=alt_zh]", "一副镶银的马鞍，放在毛毡上");
  await page.fill(".media-form input[name=alt_en]", "A silver-inlaid saddle on felt");
  await Promise.all([page.waitForURL(/media=1/), page.click(".media-form button[type=submit]")]);
  check(!(await page.isVisible(".workflow .problems")), "nothing is missing any more");
  await Promise.all([page.waitForURL(/published=1/), page.click(".workflow button.primary")]);
  check((await page.textContent(".notice")).includes("已发布"), "the item is published");
  await shot("item-published");
  await shot("item-published", TABLET);

  // 5. The public sees it, photo and all.
  await page.setViewportSize(LAPTOP);
  await page.goto(`${base}/items/silver-saddle`);
  check((await page.textContent("h1")).includes("银饰马鞍"), "the public page shows the title");
  const img = page.locator("img[alt='一副镶银的马鞍，放在毛毡上']").first();
  await img.scrollIntoViewIfNeeded();
  check(await img.evaluate((i) => i.complete && i.naturalWidth > 0), "the photo loads on the public page");
  await shot("public-item");
  await shot("public-item", TABLET);

  // 6. An exhibition with the new item as its first stop, previewed, then published.
  await page.setViewportSize(LAPTOP);
  await page.goto(`${base}/admin/exhibitions/new`);
  await page.fill("#slug", "saddle-makers");
  await page.selectOption("#base", "banner-heritage-hall");
  await page.fill("#title_zh", "马鞍匠人");
  await page.fill("#title_en", "The saddle makers");
  await page.fill("#introduction_zh", "从桦木到银饰，一副马鞍的诞生。");
  await Promise.all([page.waitForURL(/\/admin\/exhibitions\/saddle-makers\?created=1/), page.click("form.item-form button[type=submit]")]);
  await page.fill("#q", "银饰");
  await Promise.all([page.waitForURL(/q=/), page.click("form[role=search] button[type=submit]")]);
  await Promise.all([page.waitForURL(/saddle-makers\?/), page.click(".search-results form button")]);
  check((await page.locator(".stop-edit").count()) === 1, "a stop is added by searching for the item");
  await page.fill("#narrative_zh-1", "请注意鞍桥上的银饰纹样。");
  await Promise.all([page.waitForURL(/saddle-makers\?/), page.click(".stop-edit form[novalidate] button[type=submit]")]);
  check((await page.inputValue("#narrative_zh-1")).includes("银饰纹样"), "the stop's narrative is saved");
  await shot("exhibition-editor");
  await shot("exhibition-editor", TABLET);
  await page.setViewportSize(LAPTOP);
  const preview = await page.request.get(`${base}/admin/exhibitions/saddle-makers/preview`);
  check(preview.ok(), "the draft can be previewed");
  await Promise.all([page.waitForURL(/published=1/), page.click(".workflow button.primary")]);
  await page.goto(`${base}/exhibitions/saddle-makers`);
  check((await page.textContent("h1")).includes("马鞍匠人"), "the published exhibition is public");
  await shot("public-exhibition", TABLET);

  // 6b. Archiving the saddle would take it out of the exhibition: the page asks first and
  // names it; cancelling changes nothing.
  await page.setViewportSize(LAPTOP);
  await page.goto(`${base}/admin/items/silver-saddle`);
  await Promise.all([page.waitForURL(/\/status$/), page.click(".workflow form:has(input[value=archived]) button")]);
  check((await page.textContent(".withdraw-confirm")).includes("马鞍匠人"), "archiving a published item first names the exhibition it leaves");
  await shot("withdraw-confirm");
  await Promise.all([page.waitForURL(/\/admin\/items\/silver-saddle$/), page.click(".withdraw-confirm .form-actions a")]);
  check((await page.request.get(`${base}/items/silver-saddle`)).ok(), "cancelling leaves the item published");

  // 7. Bases, people, the log and the importer, as the administrator sees them.
  await page.setViewportSize(LAPTOP);
  await page.goto(`${base}/admin/bases`);
  await shot("bases");
  await page.goto(`${base}/admin/bases/banner-heritage-hall`);
  await page.fill("#opening_hours_zh", "周二至周日 9:00–17:00");
  await Promise.all([page.waitForURL(/saved=1/), page.click("form.item-form button[type=submit]")]);
  check((await page.inputValue("#opening_hours_zh")).includes("9:00"), "a base is edited");
  await shot("base-form");
  await shot("base-form", TABLET);
  await page.setViewportSize(LAPTOP);
  await page.goto(`${base}/admin/users/new`);
  await page.fill("#username", "saran");
  await page.fill("#display_name", "萨仁");
  await page.check("input[name=role][value=curator]");
  await page.check("input[name=base][value=banner-heritage-hall]");
  await page.fill("#password", PASSWORD);
  await page.fill("#password2", PASSWORD);
  await shot("user-new");
  await Promise.all([page.waitForURL(/\/admin\/users\/saran\?created=1/), page.click("form.panel button[type=submit]")]);
  check((await page.textContent(".notice")).includes("用户已创建"), "a curator account is created");
  await shot("user");
  await shot("user", TABLET);
  await page.setViewportSize(LAPTOP);
  await page.goto(`${base}/admin/users`);
  await shot("users");
  await page.goto(`${base}/admin/audit`);
  check((await page.content()).includes("exhibition.create") && (await page.content()).includes("user.create"), "the audit log lists the changes");
  await shot("audit");
  await shot("audit", TABLET);
  await page.setViewportSize(LAPTOP);
  // 7b. A bulk import with a media zip: the page's script sends the zip resumably first
  // (with a progress bar), then the dry run, the run, and its report.
  await page.goto(`${base}/admin/import`);
  await shot("import");
  const zip = storedZip("photos/马鞍.jpg", readFileSync(photo));
  const tusPatches = [];
  page.on("request", (r) => {
    if (r.method() === "PATCH" && r.url().includes("/api/v1/uploads/")) tusPatches.push(r.url());
  });
  const csvFile = (category) => ({
    name: "藏品.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("\ufeffaccession,title_zh,title_en,category,base,media,media_alt_zh\n" +
      `KZ-BR-1,浏览器导入的马鞍,Saddle imported in a browser,${category},banner-heritage-hall,photos/马鞍.jpg,马鞍\n`),
  });
  // First with a mistake in the spreadsheet: the problem is shown, the zip is kept.
  await page.setInputFiles("#csv", csvFile("no-such-category"));
  await page.setInputFiles("#media", { name: "媒体.zip", mimeType: "application/zip", buffer: zip });
  await Promise.all([
    page.waitForSelector("table.import-problems", { timeout: 30000 }),
    page.click("form.import-form button[type=submit]"),
  ]);
  check((await page.textContent("form.import-form")).includes("已上传的媒体压缩包：媒体.zip"), "the uploaded zip is kept while the spreadsheet is fixed");
  await shot("import-problems");
  // Then the corrected spreadsheet alone.
  await page.setInputFiles("#csv", csvFile("quyi"));
  await Promise.all([
    page.waitForSelector("form[action$='/run']", { timeout: 30000 }),
    page.click("form.import-form button[type=submit]"),
  ]);
  check(tusPatches.length >= 1, `the zip went up resumably (${tusPatches.length} PATCH)`);
  // The form named the upload instead of carrying the zip again: the dry run took it.
  const taken = await page.request.head(tusPatches[0], { headers: { "tus-resumable": "1.0.0" } });
  check(taken.status() === 404, `the dry run used the resumable upload (HEAD ${taken.status()})`);
  check((await page.textContent(".notice")).includes("1 行检查通过"), "the dry run passes the row");
  await shot("import-checked");
  await Promise.all([page.waitForURL(/\/admin\/import\/[A-Za-z0-9_-]+$/), page.click("form[action$='/run'] button")]);
  // Finished: the page stops refreshing and offers the report.
  await page.waitForSelector("a[href$='/report.csv']", { timeout: 60000 });
  check((await page.textContent("main")).includes("创建 1 件，失败 0 行"), "the import created the item");
  await shot("import-done");
  await page.goto(`${base}/admin/items/kz-br-1`);
  check((await page.content()).includes("浏览器导入的马鞍"), "the imported item opens in the admin");

  // 7c. The imported drafts go out together: the report leads to them on the list, where
  // they are ticked (the header box ticks the page), "publish", and the list says what moved.
  await page.goBack();
  await Promise.all([page.waitForURL(/\/admin\/items\?import=/), page.click("a[href^='/admin/items?import=']")]);
  check((await page.textContent("main")).includes("只列出一次批量导入创建的藏品"), "the import's report leads to the items it created");
  await page.check("form.batch input[data-select-all]");
  const ticked = await page.locator("form.batch input[name=item]:checked").count();
  check(ticked >= 1 && ticked === await page.locator("form.batch input[name=item]").count(), `the header box ticks every draft on the page (${ticked})`);
  check(/已选 \d+ 件/.test(await page.textContent("[data-batch-count]")), "the bar counts the chosen items");
  await page.selectOption("#batch-to", "published");
  await Promise.all([page.waitForLoadState(), page.click("form.batch .batch-bar button")]);
  check((await page.textContent(".batch-result")).includes("件藏品现在的状态是“已发布”"), "the list says the drafts were published");
  await shot("items-batch");
  const published = await page.request.get(`${base}/items/kz-br-1`);
  check(published.status() === 200, `the imported item is on the public site (${published.status()})`);

  // 7d. The catalogue goes out as an Excel workbook, to edit and import again.
  await page.goto(`${base}/admin/items`);
  const [workbook] = await Promise.all([page.waitForEvent("download"), page.click("a[href^='/admin/items.xlsx']")]);
  check(/^edubase-items-\d{4}-\d{2}-\d{2}\.xlsx$/.test(workbook.suggestedFilename()), `the list downloads as a workbook (${workbook.suggestedFilename()})`);

  // 7e. The administrator writes one interface string in Mongolian: Mongolian pages show
  // it at once; removed, they show the Chinese again.
  await page.goto(`${base}/admin`);
  await Promise.all([page.waitForURL(/\/admin\/translations$/), page.click("a[href='/admin/translations']")]);
  await accessible(page, "the translation page");
  await shot("translations");
  const sample = "ᠲᠧᠰᠲ";
  await page.goto(`${base}/admin/translations?show=all&after=nav-exhibitions`);
  await page.fill("textarea[name='t:nav-exhibitions']", sample);
  await Promise.all([page.waitForURL(/saved=1/), page.click("form.titles-sheet button[type=submit]")]);
  const mnHome = await (await page.request.get(`${base}/?lang=mn`)).text();
  check(mnHome.includes(sample), "a Mongolian page shows the string at once");
  // Set upright in its own column, as Mongolian is written; a string still in Chinese
  // stays a horizontal line, marked as Chinese.
  const visitor = await browser.newPage({ viewport: LAPTOP });
  await visitor.goto(`${base}/?lang=mn`);
  const modes = await visitor.evaluate(() => {
    const mode = (sel) => { const el = document.querySelector(sel); return el && getComputedStyle(el).writingMode; };
    return {
      mn: mode(".main-nav a[href='/exhibitions'] .mn-ui"),
      zh: mode(".main-nav a[href='/items'] span[lang='zh-Hans']"),
    };
  });
  check(modes.mn === "vertical-lr" && modes.zh === "horizontal-tb", `the Mongolian string stands vertically, the Chinese one lies flat (${JSON.stringify(modes)})`);
  await visitor.screenshot({ path: `${shots}/mn-home-one-string.png` });
  await visitor.close();
  await page.goto(`${base}/admin/translations?show=site`);
  await accessible(page, "the translations written on the site");
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/admin/translations/remove")),
    page.click("button[form='remove-1']"),
  ]);
  await page.waitForLoadState();
  const mnAgain = await (await page.request.get(`${base}/?lang=mn`)).text();
  check(!mnAgain.includes(sample), "removed, it is Chinese again");

  // 7f. The strings to translate go out as a workbook too, for Excel or WPS.
  await page.goto(`${base}/admin/translations?for=visitors`);
  await page.click("details.translations-sheet summary");
  const [sheet] = await Promise.all([page.waitForEvent("download"), page.click("a[href^='/admin/translations.xlsx']")]);
  check(/^edubase-mn-\d{4}-\d{2}-\d{2}\.xlsx$/.test(sheet.suggestedFilename()), `the strings download as a workbook (${sheet.suggestedFilename()})`);

  // 7g. Every kind of admin page the day has touched meets WCAG 2.1 AA, like the public ones.
  for (const path of [
    "/admin", "/admin/items", "/admin/items/silver-saddle", "/admin/items/silver-saddle/history",
    "/admin/item-titles", "/admin/import", "/admin/exhibitions", "/admin/exhibitions/saddle-makers",
    "/admin/exhibitions/saddle-makers/history", "/admin/exhibitions/saddle-makers/mongolian",
    "/admin/bases", "/admin/bases/banner-heritage-hall", "/admin/bases/banner-heritage-hall/panoramas",
    "/admin/users", "/admin/audit", "/admin/report/bases", "/admin/classes",
  ]) {
    const r = await page.goto(`${base}${path}`);
    check(r.status() === 200, `${path} opens (${r.status()})`);
    await accessible(page, path);
  }

  // 8. Sign out: the admin is closed again.
  await page.setViewportSize(LAPTOP);
  await page.goto(`${base}/admin`);
  await Promise.all([page.waitForURL(/\/admin\/login/), page.click(".admin-user button")]);
  await page.goto(`${base}/admin/items`);
  check(page.url().startsWith(`${base}/admin/login`), "after signing out the admin asks to sign in");
  await shot("login");

  check(problems.length === 0, `no console errors (${problems.join(" | ")})`);
} catch (e) {
  await page.screenshot({ path: `${shots}/failure.png`, fullPage: true }).catch(() => {});
  console.error(e);
  if (problems.length) console.error("browser console:", problems);
  process.exitCode = 1;
} finally {
  await browser.close();
}
