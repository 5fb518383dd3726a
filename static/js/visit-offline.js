// The page side of the offline visit (see visit-sw.js for the worker).
// - On an assignment's start page: "save on this device" downloads every page of the
//   visit and everything those pages use, then stores them in one cache at once, so a
//   half-finished download never leaves a half-usable copy.
// - On every visit page: keeps the worker current where a copy is saved, and asks it to
//   send answers kept offline as soon as the network is back.
// - At a stop shown from the saved copy: puts back the answers given offline (the saved
//   page predates them).
// - Leaving the visit, or the confirmation that the essay was handed in, removes the copy
//   and the answers kept (and, once handed in, the essay draft): a shared phone passes to
//   the next child without the last one's work.
// Browsers without service workers (or pages not served over HTTPS) simply never show the
// offline card; the visit works online as before.
(function () {
  "use strict";
  // Interface text set here follows the server's rule (PageCtx::ui_text): text written in
  // Mongolian stands in its own vertical column, never lying on its side.
  function say(el, text) {
    el.textContent = text;
    el.classList.toggle("mn-ui", /[\u1800-\u18AF]/.test(text));
  }

  var m = /^\/visit\/([2-9A-Z]{8})(\/.*)?$/.exec(location.pathname);
  if (!m) return;
  var code = m[1];
  var rest = m[2] || "";
  var name = "edubase-visit-" + code;
  var answersKey = "edubase-answers-" + location.pathname;
  var workers = "serviceWorker" in navigator && "caches" in window;

  function removeKeys(storage, prefix) {
    try {
      for (var i = storage.length - 1; i >= 0; i--) {
        var k = storage.key(i);
        if (k && k.indexOf(prefix) === 0) storage.removeItem(k);
      }
    } catch (e) { /* storage unavailable: nothing kept */ }
  }

  // What this device kept of the visit: answers and the saved copy; once handed in, the
  // essay draft too (before that, it is the only copy of what the server has not seen,
  // and it is keyed by visit, so the next child on this phone never sees it).
  function forget(handedIn) {
    removeKeys(sessionStorage, "edubase-answers-/visit/" + code + "/");
    if (handedIn) removeKeys(localStorage, "edubase-essay-" + code + "-");
    return workers ? caches.delete(name) : Promise.resolve();
  }

  function flush() {
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.active) reg.active.postMessage({ type: "flush" });
    });
  }

  function register() {
    return navigator.serviceWorker.register("/visit-sw.js", { scope: "/visit/" });
  }

  // Leaving, or done: the copy goes.
  document.querySelectorAll("form[action='/visit/" + code + "/leave']").forEach(function (f) {
    f.addEventListener("submit", function () { forget(false); });
  });
  if (rest === "/done") { forget(true); return; }
  if (!workers) return;
  // The start page without this device's visit (left, or never joined here): a copy saved
  // earlier on this device belongs to nobody now.
  if (rest === "" && !document.getElementById("resume-code")) { forget(false); return; }

  caches.has(name).then(function (saved) {
    if (!saved) return;
    register().then(flush);
    window.addEventListener("online", flush);
  });

  var note = document.querySelector("[data-offline-note]");
  var offline = note && !note.hidden;

  // A stop: remember what is sent, and put it back when the page is the saved copy.
  var form = document.querySelector("form.stop-questions");
  if (form) {
    form.addEventListener("submit", function () {
      var answers = {};
      new FormData(form).forEach(function (v, k) { answers[k] = String(v); });
      try { sessionStorage.setItem(answersKey, JSON.stringify(answers)); } catch (e) { /* not kept */ }
    });
    if (offline) {
      var kept = null;
      try { kept = JSON.parse(sessionStorage.getItem(answersKey) || "null"); } catch (e) { kept = null; }
      if (kept) {
        Object.keys(kept).forEach(function (k) {
          form.querySelectorAll("[name='" + k.replace(/[^\w-]/g, "") + "']").forEach(function (field) {
            if (field.type === "radio") field.checked = field.value === kept[k];
            else field.value = kept[k];
          });
        });
      }
    }
  }

  // The essay could not be handed in offline: say so.
  if (rest === "/essay" && location.hash === "#offline-submit") {
    var why = document.getElementById("offline-submit");
    if (why) why.hidden = false;
  }

  var card = document.getElementById("offline");
  if (!card) return;
  var button = document.getElementById("offline-save");
  var status = document.getElementById("offline-status");
  var pages = card.getAttribute("data-pages").split(" ");
  card.hidden = false;
  caches.has(name).then(function (saved) {
    if (saved) say(button, button.getAttribute("data-update-text"));
  });

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, k) { return k in values ? values[k] : all; });
  }

  function size(bytes) {
    var lang = document.documentElement.lang || undefined;
    var mb = bytes / (1024 * 1024);
    var n = new Intl.NumberFormat(lang, { maximumFractionDigits: mb < 10 ? 1 : 0 });
    return mb >= 0.1 ? n.format(mb) + " MB" : n.format(Math.max(1, Math.round(bytes / 1024))) + " KB";
  }

  // Everything a page or style sheet at `base` refers to on this site's /static and /media
  // (style sheets name their fonts relative to themselves).
  function references(text, base) {
    var found = [];
    var re = /(?:src|href)="([^"]+)"|url\(\s*["']?([^"')]+)["']?\s*\)/g;
    var hit;
    while ((hit = re.exec(text))) {
      var u = new URL((hit[1] || hit[2]).replace(/&amp;/g, "&"), new URL(base, location.href));
      if (u.origin === location.origin && /^\/(static|media)\//.test(u.pathname)) found.push(u.pathname + u.search);
    }
    return found;
  }

  function get(url) {
    // The header tells the server this is a download, not the student opening a stop.
    var init = { credentials: "same-origin", cache: "no-store", headers: { "X-Offline-Copy": "1" } };
    return fetch(url, init).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r;
    });
  }

  // Downloads everything, four requests at a time (a slow network is mostly waiting), and
  // keeps it all in memory until the last file has come: only then is the copy replaced.
  async function save() {
    button.disabled = true;
    var kept = [];
    var seen = {};
    var queue = pages.slice();
    var next = 0;
    var done = 0;
    var bytes = 0;
    function progress() {
      say(status, fill(card.getAttribute("data-progress-text"), { done: done, total: queue.length }));
    }
    // Fetches queued URLs while there are any below `bound()`.
    async function worker(bound) {
      while (next < bound()) {
        var url = queue[next++];
        var response = await get(url);
        var body = await response.clone().blob();
        bytes += body.size;
        kept.push([url, response]);
        if (/^text\/(html|css)/.test(response.headers.get("content-type") || "")) {
          references(await body.text(), url).forEach(function (u) {
            if (!seen[u]) { seen[u] = true; queue.push(u); }
          });
        }
        done += 1;
        progress();
      }
    }
    try {
      await register();
      // Ask the browser not to clear the copy when space runs low (it may say no).
      if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
      progress();
      // The pages first (they name the files), then the files (style sheets name fonts,
      // so go round again until nothing new turns up).
      var four = function (bound) { return Promise.all([1, 2, 3, 4].map(function () { return worker(bound); })); };
      await four(function () { return pages.length; });
      while (next < queue.length) await four(function () { return queue.length; });
      await caches.delete(name);
      var cache = await caches.open(name);
      await Promise.all(kept.map(function (pair) { return cache.put(pair[0], pair[1]); }));
      say(status, fill(card.getAttribute("data-ready-text"), { pages: pages.length, size: size(bytes) }));
      say(button, button.getAttribute("data-update-text"));
    } catch (e) {
      say(status, card.getAttribute("data-failed-text"));
    } finally {
      button.disabled = false;
    }
  }

  button.addEventListener("click", save);
})();
