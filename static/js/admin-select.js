// Choosing items in the admin list for a batch workflow move: a box in the header selects
// or clears every item on the page, and the bar says how many are chosen. Without this
// script each item's box is ticked by hand.
(function () {
  "use strict";
  var form = document.querySelector("form.batch");
  if (!form) return;
  var all = form.querySelector("input[data-select-all]");
  var boxes = form.querySelectorAll("input[name=item]");
  var count = form.querySelector("[data-batch-count]");
  var one = (count.getAttribute("data-one") || "1").replace(/\d+/, "{n}");
  var other = (count.getAttribute("data-other") || "2").replace(/\d+/, "{n}");

  function chosen() {
    var n = 0;
    for (var i = 0; i < boxes.length; i++) if (boxes[i].checked) n++;
    return n;
  }

  function update() {
    var n = chosen();
    all.checked = n === boxes.length;
    all.indeterminate = n > 0 && n < boxes.length;
    count.textContent = n === 0 ? "" : (n === 1 ? one : other).replace("{n}", String(n));
  }

  all.hidden = false;
  all.addEventListener("change", function () {
    for (var i = 0; i < boxes.length; i++) boxes[i].checked = all.checked;
    update();
  });
  form.addEventListener("change", function (e) {
    if (e.target !== all) update();
  });
  update();
})();
