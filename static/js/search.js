// Instant suggestions for the gallery search box: a debounced fetch of
// /api/v1/search?q=…&limit=5. Without this script the box is an ordinary form.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest]");
  var list = document.getElementById("q-suggestions");
  if (!input || !list || !window.fetch) return;
  var lang = document.documentElement.lang.slice(0, 2);
  var timer = null;
  var latest = 0;

  function pieces(hl, item) {
    var langs = (hl && hl.title) || {};
    return langs[lang] || langs.zh || langs.en || [[item.title.zh || item.title.en || item.slug, false]];
  }

  function show(data) {
    while (list.firstChild) list.removeChild(list.firstChild);
    (data.data || []).forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "/items/" + encodeURIComponent(item.slug);
      pieces(item.highlight, item).forEach(function (p) {
        var node = p[1] ? document.createElement("mark") : document.createElement("span");
        node.textContent = p[0];
        a.appendChild(node);
      });
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = !list.firstChild;
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (!q) { list.hidden = true; return; }
    timer = setTimeout(function () {
      var ticket = ++latest;
      fetch("/api/v1/search?limit=5&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { data: [] }; })
        .then(function (data) { if (ticket === latest) show(data); })
        .catch(function () { list.hidden = true; });
    }, 200);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape") list.hidden = true;
  });
})();
