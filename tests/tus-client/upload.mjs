// Uploads files to a running edubase with tus-js-client, the reference tus client, the
// way the admin's browser will: signed in as a curator, CSRF token in a header.
// 1. A 3 MB file in 256 KB chunks, start to finish.
// 2. A file whose upload is aborted midway and resumed from the server's offset.
// Then checks through the JSON API that both became media of the item, byte for byte —
// and, given a second node of the same site, that it serves both files, whole and in part.
//
// Usage: node upload.mjs BASE_URL USERNAME PASSWORD ITEM_SLUG [SECOND_NODE_URL]
//        (password also via env)
import * as tus from "tus-js-client";
import { createHash, randomBytes } from "node:crypto";

const [base, username, password, item, secondNode] = process.argv.slice(2);
if (!base || !username || !item) {
  console.error("usage: node upload.mjs BASE_URL USERNAME PASSWORD ITEM_SLUG");
  process.exit(2);
}

async function signIn() {
  const form = new URLSearchParams({ username, password: password || process.env.EDUBASE_PASSWORD });
  const r = await fetch(`${base}/admin/login`, { method: "POST", body: form, redirect: "manual" });
  if (r.status !== 303) throw new Error(`sign-in failed: ${r.status} ${await r.text()}`);
  const cookie = r.headers.get("set-cookie").split(";")[0];
  const page = await (await fetch(`${base}/admin`, { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  if (!csrf) throw new Error("no CSRF token on the dashboard");
  return { cookie, csrf };
}

/// A WAV file (so the server can read its duration) of `bytes` length.
function wav(bytes) {
  const data = bytes - 44;
  const b = Buffer.alloc(bytes);
  b.write("RIFF", 0); b.writeUInt32LE(36 + data, 4); b.write("WAVEfmt ", 8);
  b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22);
  b.writeUInt32LE(8000, 24); b.writeUInt32LE(16000, 28); b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34);
  b.write("data", 36); b.writeUInt32LE(data, 40);
  randomBytes(data).copy(b, 44);
  return b;
}

function upload(file, name, session, { abortAfter, uploadUrl } = {}) {
  return new Promise((resolve, reject) => {
    let upload;
    upload = new tus.Upload(file, {
      endpoint: `${base}/api/v1/uploads`,
      uploadUrl,
      chunkSize: 256 * 1024,
      retryDelays: [0, 500, 1000],
      metadata: { item, filename: name, alt_zh: "测试录音", credit: "tus-js-client test" },
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf },
      onProgress(sent, total) {
        if (abortAfter && sent >= abortAfter) {
          upload.abort().then(() => resolve({ aborted: true, url: upload.url, sent }));
        }
      },
      onAfterResponse(req, res) {
        const id = res.getHeader("edubase-media-id");
        if (id) upload.mediaId = id;
      },
      onError: reject,
      onSuccess: () => resolve({ aborted: false, url: upload.url, mediaId: upload.mediaId }),
    });
    upload.start();
  });
}

const sha256 = (b) => createHash("sha256").update(b).digest("hex");

const session = await signIn();

const whole = wav(3 * 1024 * 1024);
const first = await upload(whole, "整段录音.wav", session);
if (!first.mediaId) throw new Error("the finished upload did not report its media id");
console.log(`uploaded ${whole.length} bytes in 256 KB chunks -> media ${first.mediaId}`);

const resumed = wav(2 * 1024 * 1024 + 12345);
const part = await upload(resumed, "中断后续传.wav", session, { abortAfter: 700 * 1024 });
if (!part.aborted) throw new Error("the upload finished before it could be interrupted");
const head = await fetch(part.url, { method: "HEAD", headers: { cookie: session.cookie, "tus-resumable": "1.0.0" } });
const offset = Number(head.headers.get("upload-offset"));
console.log(`interrupted after ${part.sent} bytes; the server kept ${offset}`);
if (!(offset > 0 && offset < resumed.length)) throw new Error(`unexpected offset ${offset}`);
const second = await upload(resumed, "中断后续传.wav", session, { uploadUrl: part.url });
if (!second.mediaId) throw new Error("the resumed upload did not report its media id");
console.log(`resumed and finished -> media ${second.mediaId}`);

const record = await (await fetch(`${base}/api/v1/items/${item}`)).json();
for (const [bytes, label] of [[whole, "whole"], [resumed, "resumed"]]) {
  const m = record.media.find((m) => m.sha256 === sha256(bytes));
  if (!m) throw new Error(`the ${label} upload is not among the item's media (sha256 mismatch?)`);
  if (m.bytes !== bytes.length) throw new Error(`${label}: ${m.bytes} bytes stored, ${bytes.length} sent`);
  if (m.kind !== "audio" || !m.duration_ms) throw new Error(`${label}: not probed as audio: ${JSON.stringify(m)}`);
}
console.log("both files are media of the item, byte for byte: ok");

if (secondNode) {
  for (const [bytes, label] of [[whole, "whole"], [resumed, "resumed"]]) {
    const url = `${secondNode}/media/${sha256(bytes)}/original`;
    const all = await fetch(url);
    if (all.status !== 200) throw new Error(`second node: ${label}: ${all.status}`);
    if (sha256(Buffer.from(await all.arrayBuffer())) !== sha256(bytes)) throw new Error(`second node: ${label}: other bytes`);
    const part = await fetch(url, { headers: { range: "bytes=1000-1999" } });
    const got = Buffer.from(await part.arrayBuffer());
    if (part.status !== 206 || !got.equals(bytes.subarray(1000, 2000))) {
      throw new Error(`second node: ${label}: a range gave ${part.status}, ${got.length} bytes`);
    }
  }
  console.log("the second node serves both files, whole and in ranges: ok");
}
