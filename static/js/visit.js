// Guided visit: arrow keys and horizontal swipes move between stops. The page works
// without this script: the previous/next links are plain links.
(function () {
  "use strict";
  var visit = document.querySelector(".visit");
  if (!visit) return;
  var prev = visit.getAttribute("data-prev");
  var next = visit.getAttribute("data-next");
  function go(url) { if (url) window.location.href = url; }
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (e.key === "ArrowLeft") go(prev);
    if (e.key === "ArrowRight") go(next);
  });
  var x0 = null, y0 = null;
  visit.addEventListener("touchstart", function (e) {
    if (e.touches.length !== 1) { x0 = null; return; }
    x0 = e.touches[0].clientX; y0 = e.touches[0].clientY;
  }, { passive: true });
  visit.addEventListener("touchend", function (e) {
    if (x0 === null) return;
    var dx = e.changedTouches[0].clientX - x0, dy = e.changedTouches[0].clientY - y0;
    x0 = null;
    // A deliberate horizontal swipe only: long enough and mostly sideways.
    if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) go(dx < 0 ? next : prev);
  }, { passive: true });
})();
