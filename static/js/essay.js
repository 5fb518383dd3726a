// The essay editor: counts characters, keeps a copy in localStorage on every keystroke,
// and posts the draft to the server a few seconds after typing stops, when the page is
// hidden or left (sendBeacon), and when the network comes back. On load, a local copy
// newer than the saved text is put back, so a reload, a lost network or a closed tab
// loses nothing. Without this script the form's own save button does the same job.
(function () {
  "use strict";
  // Interface text set here follows the server's rule (PageCtx::ui_text): text written in
  // Mongolian stands in its own vertical column, never lying on its side.
  function say(el, text) {
    el.textContent = text;
    el.classList.toggle("mn-ui", /[\u1800-\u18AF]/.test(text));
  }

  var form = document.getElementById("essay-form");
  var box = document.getElementById("essay");
  if (!form || !box || box.readOnly) return;
  var count = document.getElementById("essay-count");
  var status = document.getElementById("essay-saved");
  var key = form.getAttribute("data-key");
  // The count's words for one and for more (English: "1 character", "2 characters").
  var countOne = (count.getAttribute("data-one") || "1").replace(/\d+/, "{n}");
  var countOther = (count.getAttribute("data-other") || "2").replace(/\d+/, "{n}");
  // Not form.action: the buttons are named "action", which shadows the property.
  var url = form.getAttribute("action");
  var lastSent = box.value;
  var timer = null;

  function chars(text) { return Array.from(text.replace(/[\r\n]/g, "")).length; }
  function showCount() {
    var n = chars(box.value);
    say(count, (n === 1 ? countOne : countOther).replace("{n}", String(n)));
  }
  function keepLocal() {
    try { localStorage.setItem(key, JSON.stringify({ text: box.value, at: Date.now() })); } catch (e) { /* private mode: the server copy still works */ }
  }
  function body() {
    var data = new URLSearchParams();
    data.set("essay", box.value);
    data.set("autosave", "1");
    return data;
  }
  function send() {
    timer = null;
    if (box.value === lastSent) return;
    var text = box.value;
    say(status, form.getAttribute("data-saved-text"));
    fetch(url, { method: "POST", body: body(), credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
      .then(function (res) {
        if (res.ok && res.j.saved) lastSent = text;
        say(status, res.j.message || "");
      })
      .catch(function () { say(status, form.getAttribute("data-offline-text")); });
  }
  function later() { if (timer) clearTimeout(timer); timer = setTimeout(send, 3000); }
  function now() {
    if (box.value === lastSent) return;
    keepLocal();
    if (navigator.sendBeacon && navigator.sendBeacon(url, body())) { lastSent = box.value; return; }
    send();
  }

  // A local copy that differs from what the server sent back was typed after the last
  // save reached the server: restore it, and save it.
  try {
    var kept = JSON.parse(localStorage.getItem(key) || "null");
    if (kept && typeof kept.text === "string" && kept.text !== box.value && kept.text.length >= box.value.length) {
      box.value = kept.text;
      say(status, form.getAttribute("data-restored-text"));
      later();
    }
  } catch (e) { /* unreadable copy: ignore it */ }

  box.addEventListener("input", function () { showCount(); keepLocal(); later(); });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") now(); });
  window.addEventListener("pagehide", now);
  window.addEventListener("online", send);
  // The copy stays until the server has the essay: the confirmation page removes it
  // (visit-offline.js), so a hand-in that fails on the way loses nothing.
  form.addEventListener("submit", function () {
    lastSent = box.value;
    keepLocal();
  });
  showCount();
})();
