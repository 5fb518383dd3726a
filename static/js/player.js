// Transcripts beside audio players: click a line to hear it, and follow along as the
// recording plays. Without this script the transcript is still there to read.
(function () {
  "use strict";
  document.querySelectorAll(".transcript[data-player]").forEach(function (panel) {
    var player = document.getElementById(panel.getAttribute("data-player"));
    if (!player) return;
    var lines = Array.prototype.slice.call(panel.querySelectorAll("li[data-start]"));
    lines.forEach(function (li) {
      // A real button inside the list item (a list item cannot itself be a button): it is
      // focusable, announced, and Enter and Space work without extra code.
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cue";
      while (li.firstChild) button.appendChild(li.firstChild);
      li.appendChild(button);
      button.addEventListener("click", function () {
        player.currentTime = parseFloat(li.getAttribute("data-start"));
        player.play();
      });
    });
    var current = null;
    player.addEventListener("timeupdate", function () {
      var t = player.currentTime, found = null;
      for (var i = 0; i < lines.length; i++) {
        if (parseFloat(lines[i].getAttribute("data-start")) <= t) found = lines[i]; else break;
      }
      if (found === current) return;
      if (current) current.removeAttribute("aria-current");
      current = found;
      if (current) {
        current.setAttribute("aria-current", "true");
        var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
        current.scrollIntoView({ block: "nearest", behavior: reduce ? "auto" : "smooth" });
      }
    });
  });
})();
