// The offline visit: a service worker for /visit/, served from /visit-sw.js.
//
// A student on a poor connection saves their visit once (visit-offline.js fills a cache
// named after the assignment code with its pages, images, audio guides, styles and
// scripts). From then
// on, for that assignment only:
// - pages come from the network when it answers, and from the saved copy when it does
//   not; each fresh copy replaces the saved one, so the saved copy is as recent as the
//   last page the student saw online;
// - answers given at a stop while offline are kept in an outbox (IndexedDB) and the
//   student moves on to the next stop; stops opened from the saved copy are noted too;
// - the outbox is sent, in order, the next time any request reaches the server (and
//   when a page says the network is back);
// - an essay is never handed in offline: the server must check it. The essay page says
//   so, and essay.js keeps the text on the device until it can be saved.
// Assignments not saved for offline use, and everything outside /visit/, go to the
// network exactly as without this worker.
"use strict";

var PREFIX = "edubase-visit-";
// How long a page may take before the saved copy is shown instead.
var PATIENCE_MS = 8000;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim().then(flush));
});
self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "flush") event.waitUntil(flush());
});
self.addEventListener("sync", function (event) {
  if (event.tag === "edubase-outbox") event.waitUntil(flush());
});

// "/visit/ABCDEFGH/stops/2" -> "ABCDEFGH"
function codeOf(path) {
  var m = /^\/visit\/([2-9A-Z]{8})(?:\/|$)/.exec(path);
  return m ? m[1] : null;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var code = codeOf(url.pathname);
  if (code && request.mode === "navigate") {
    if (request.method === "GET") event.respondWith(page(event, code));
    else if (request.method === "POST") event.respondWith(post(event, code));
  } else if (request.method === "GET" && /^\/(static|media)\//.test(url.pathname)) {
    event.respondWith(file(request, url));
  }
});

// A page of an assignment: the network first, the saved copy when it fails or dawdles.
async function page(event, code) {
  var request = event.request;
  var cache = await savedCache(code);
  if (!cache) return fetch(request);
  // Answers kept offline reach the server before it draws a page that shows them.
  await within(flush(), PATIENCE_MS);
  var network = fetch(request).then(function (response) {
    if (response.ok && response.type === "basic" && !new URL(request.url).search) {
      var copy = response.clone();
      event.waitUntil(cache.put(request.url, copy).then(flush));
    }
    return response;
  });
  var saved = await cache.match(request.url, { ignoreSearch: true, ignoreVary: true });
  if (!saved) return network;
  var first = await within(network.catch(function () { return "failed"; }), PATIENCE_MS);
  if (first !== "failed" && first !== "late") return first;
  if (first === "late") network.catch(function () {});
  // Opening a stop counts it as seen: tell the server later.
  if (/\/stops\/\d+$/.test(new URL(request.url).pathname)) {
    event.waitUntil(enqueue({ method: "GET", url: request.url }));
  }
  return offlineCopy(saved);
}

// What `promise` gives, or "late" after `ms`.
function within(promise, ms) {
  var timer;
  var late = new Promise(function (resolve) { timer = setTimeout(resolve, ms, "late"); });
  return Promise.race([promise, late]).finally(function () { clearTimeout(timer); });
}

// The saved page, with its "you are offline" note shown.
async function offlineCopy(saved) {
  var html = await saved.text();
  html = html.replace(/ data-offline-note hidden/g, " data-offline-note");
  var headers = new Headers(saved.headers);
  headers.delete("content-length");
  headers.delete("content-encoding");
  return new Response(html, { status: 200, headers: headers });
}

// A form sent from an assignment's page. Answers at a stop are kept for later when the
// network fails; the essay form goes back to the essay page, which explains.
async function post(event, code) {
  var request = event.request;
  var cache = await savedCache(code);
  if (!cache) return fetch(request);
  var body = await request.clone().text();
  var type = request.headers.get("content-type") || "application/x-www-form-urlencoded";
  // Older answers first, so a newer answer to the same question wins.
  await within(flush(), PATIENCE_MS);
  try {
    var response = await fetch(request);
    event.waitUntil(flush());
    return response;
  } catch (e) {
    var path = new URL(request.url).pathname;
    var stop = /^\/visit\/[2-9A-Z]{8}\/stops\/(\d+)$/.exec(path);
    if (stop) {
      await enqueue({ method: "POST", url: request.url, body: body, type: type });
      return Response.redirect(await nextPage(cache, code, Number(stop[1])), 303);
    }
    if (path === "/visit/" + code + "/essay") {
      var handIn = new URLSearchParams(body).get("action") === "submit";
      return Response.redirect("/visit/" + code + "/essay#" + (handIn ? "offline-submit" : "offline"), 303);
    }
    throw e;
  }
}

// The page after stop n: the next stop, or the essay after the last.
async function nextPage(cache, code, n) {
  var next = "/visit/" + code + "/stops/" + (n + 1);
  return (await cache.match(next, { ignoreVary: true })) ? next : "/visit/" + code + "/essay";
}

// Styles, scripts, fonts and images: the saved copy first (their URLs never change what
// they name), else the network. An image saved at another width stands in for a width
// that was not saved, when the network fails.
async function file(request, url) {
  var saved = await caches.match(request, { ignoreVary: true });
  if (saved) return part(request, saved);
  try {
    return await fetch(request);
  } catch (e) {
    var sha = /^\/media\/([0-9a-f]{64})\//.exec(url.pathname);
    if (sha) {
      var other = await anyVariant(sha[1]);
      if (other) return other;
    }
    throw e;
  }
}

// Players ask for byte ranges (an audio guide seeks, and Safari plays nothing without
// them); the saved copy is the whole file, so the range is cut from it here.
async function part(request, saved) {
  var range = /^bytes=(\d*)-(\d*)$/.exec((request.headers.get("range") || "").trim());
  if (!range || saved.status !== 200 || (!range[1] && !range[2])) return saved;
  var body = await saved.blob();
  var size = body.size;
  var start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
  var end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
  if (start >= size || start > end) {
    return new Response(null, { status: 416, headers: { "Content-Range": "bytes */" + size } });
  }
  var headers = new Headers(saved.headers);
  headers.set("Content-Range", "bytes " + start + "-" + end + "/" + size);
  headers.set("Content-Length", String(end - start + 1));
  return new Response(body.slice(start, end + 1), { status: 206, statusText: "Partial Content", headers: headers });
}

async function anyVariant(sha) {
  var names = await caches.keys();
  for (var i = 0; i < names.length; i++) {
    if (names[i].indexOf(PREFIX) !== 0) continue;
    var cache = await caches.open(names[i]);
    var keys = await cache.keys();
    for (var j = 0; j < keys.length; j++) {
      if (new URL(keys[j].url).pathname.indexOf("/media/" + sha + "/") === 0) return cache.match(keys[j]);
    }
  }
  return null;
}

async function savedCache(code) {
  var name = PREFIX + code;
  return (await caches.has(name)) ? caches.open(name) : null;
}

// The outbox: requests the server has not seen yet, oldest first.
function outbox() {
  return new Promise(function (resolve, reject) {
    var open = indexedDB.open("edubase-visit", 1);
    open.onupgradeneeded = function () { open.result.createObjectStore("outbox", { autoIncrement: true }); };
    open.onsuccess = function () { resolve(open.result); };
    open.onerror = function () { reject(open.error); };
  });
}

function transact(db, mode, work) {
  return new Promise(function (resolve, reject) {
    var tx = db.transaction("outbox", mode);
    var result = work(tx.objectStore("outbox"));
    tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
    tx.onerror = function () { reject(tx.error); };
  });
}

async function enqueue(entry) {
  var db = await outbox();
  entry.at = Date.now();
  await transact(db, "readwrite", function (store) { return store.add(entry); });
  if (self.registration.sync) self.registration.sync.register("edubase-outbox").catch(function () {});
}

var flushing = null;

// Sends the outbox in order, stopping at the first request the network cannot carry.
// Whatever the server answers (a refusal included: the assignment may have closed), the
// entry has been delivered and leaves the outbox.
function flush() {
  if (!flushing) {
    flushing = sendAll().finally(function () { flushing = null; });
  }
  return flushing;
}

async function sendAll() {
  var db = await outbox();
  for (;;) {
    var keys = await transact(db, "readonly", function (store) { return store.getAllKeys(null, 1); });
    if (!keys || keys.length === 0) return;
    var key = keys[0];
    var entry = await transact(db, "readonly", function (store) { return store.get(key); });
    var init = { method: entry.method, credentials: "same-origin", redirect: "manual" };
    if (entry.method === "POST") {
      init.body = entry.body;
      init.headers = { "Content-Type": entry.type };
    }
    try {
      await fetch(entry.url, init);
    } catch (e) {
      return;
    }
    await transact(db, "readwrite", function (store) { return store.delete(key); });
  }
}
