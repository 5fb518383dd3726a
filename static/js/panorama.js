// A 360° hall panorama in the spherical viewer (Pannellum), for browsers with WebGL.
// The page works without this: the flat photograph scrolls sideways and its markers and
// the list below are plain links. Pannellum (about 65 KB) and the large photograph are
// fetched only when the visitor asks for the 360° view. Markers become hot spots at the
// same places: x is the compass direction (yaw), y the elevation (pitch); doors to the
// base's other halls become hot spots that open the next hall in the 360° view.
(function () {
  "use strict";
  // Interface text set here follows the server's rule (PageCtx::ui_text): text written in
  // Mongolian stands in its own vertical column, never lying on its side.
  function say(el, text) {
    el.textContent = text;
    el.classList.toggle("mn-ui", /[\u1800-\u18AF]/.test(text));
  }

  var script = document.currentScript;
  var box = document.querySelector(".panorama[data-sphere]");
  var url = box && box.getAttribute("data-sphere");
  var button = document.getElementById("panorama-sphere");
  if (!url || !button || !script) return;
  var probe = document.createElement("canvas");
  if (!(probe.getContext("webgl") || probe.getContext("experimental-webgl"))) return;
  var frame = box.querySelector(".panorama-frame");
  var status = document.getElementById("panorama-status");
  var sphereLabel = button.textContent;
  var viewer = null;
  var holder = null;
  var ready = null;

  function load(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
      el.onload = resolve;
      el.onerror = reject;
      document.head.appendChild(el);
    });
  }

  function place(li, text, href, css) {
    var spot = {
      yaw: (Number(li.getAttribute("data-x")) - 0.5) * 360,
      pitch: (0.5 - Number(li.getAttribute("data-y"))) * 180,
      type: "info",
      text: text,
      URL: href,
      attributes: { target: "_self" },
    };
    if (css) spot.cssClass = css;
    return spot;
  }

  var here = location.pathname.split("/").pop();

  // Items open their pages; doors open the next hall in the 360° view again
  // (#360-from-N, N this hall's number).
  function spots() {
    var items = Array.prototype.map.call(document.querySelectorAll(".panorama-items li[data-x]"), function (li, i) {
      var link = li.querySelector("a");
      return place(li, (i + 1) + ". " + link.textContent, link.getAttribute("href"));
    });
    var doors = Array.prototype.map.call(document.querySelectorAll(".panorama-doors li[data-x]"), function (li) {
      var link = li.querySelector("a");
      return place(li, "→ " + link.textContent, link.getAttribute("href") + "#360-from-" + here, "pnlm-hotspot pnlm-sprite pnlm-scene");
    });
    return items.concat(doors);
  }

  function flat() {
    if (viewer) viewer.destroy();
    viewer = null;
    if (holder) holder.remove();
    holder = null;
    frame.hidden = false;
    say(button, sphereLabel);
    button.setAttribute("aria-pressed", "false");
  }

  // Arrived through a door from hall N: face away from the door back to N, as one does
  // on stepping through; otherwise the photograph's middle.
  function facing() {
    var from = /^#360-from-(\d+)$/.exec(location.hash);
    if (!from) return 0;
    var back = Array.prototype.filter.call(document.querySelectorAll(".panorama-doors li[data-x]"), function (li) {
      return li.querySelector("a").getAttribute("href").split("/").pop() === from[1];
    })[0];
    if (!back) return 0;
    var yaw = (Number(back.getAttribute("data-x")) - 0.5) * 360 + 180;
    return yaw > 180 ? yaw - 360 : yaw;
  }

  function sphere() {
    say(status, box.getAttribute("data-loading-label"));
    ready = ready || Promise.all([
      load("link", { rel: "stylesheet", href: script.getAttribute("data-css") }),
      load("script", { src: script.getAttribute("data-js") }),
    ]);
    ready.then(function () {
      holder = document.createElement("div");
      holder.className = "panorama-sphere";
      holder.setAttribute("role", "application");
      holder.tabIndex = 0;
      holder.setAttribute("aria-label", document.getElementById("panorama-title").textContent);
      frame.after(holder);
      frame.hidden = true;
      var failed = box.getAttribute("data-error-label");
      /* global pannellum */
      viewer = pannellum.viewer(holder, {
        type: "equirectangular",
        panorama: url,
        autoLoad: true,
        hfov: 100,
        yaw: facing(),
        showFullscreenCtrl: true,
        keyboardZoom: true,
        hotSpots: spots(),
        strings: {
          loadingLabel: box.getAttribute("data-loading-label"),
          genericWebGLError: failed, textureSizeError: failed, unknownError: failed,
          fileAccessError: failed, malformedURLError: failed, noPanoramaError: failed,
          iOS8WebGLError: failed,
        },
      });
      viewer.on("load", function () {
        say(status, "");
        holder.setAttribute("data-loaded", "1");
        holder.setAttribute("data-yaw", String(Math.round(viewer.getYaw())));
      });
      viewer.on("error", function () { say(status, failed); });
      say(button, box.getAttribute("data-flat-label"));
      button.setAttribute("aria-pressed", "true");
      holder.focus();
    }, function () {
      ready = null;
      say(status, box.getAttribute("data-error-label"));
    });
  }

  button.hidden = false;
  button.addEventListener("click", function () { if (viewer) flat(); else sphere(); });
  // Arrived through a door from the 360° view: stay in it.
  if (/^#360(-from-\d+)?$/.test(location.hash)) sphere();
})();
