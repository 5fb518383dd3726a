// The item page's deep zoom and its IIIF manifest box.
// Zoom: each picture gets a button that opens OpenSeadragon on our own IIIF Image API
// (info.json beside the picture). OpenSeadragon (about 280 KB) is fetched only when a
// visitor asks for it, so the page's first load stays light; without JavaScript the
// picture and its link to the original are all there is, and that is enough.
// Manifest box: a Copy button beside the manifest address.
(function () {
  "use strict";
  // Interface text set here follows the server's rule (PageCtx::ui_text): text written in
  // Mongolian stands in its own vertical column, never lying on its side.
  function say(el, text) {
    el.textContent = text;
    el.classList.toggle("mn-ui", /[\u1800-\u18AF]/.test(text));
  }


  var list = document.querySelector(".media-list[data-osd]");
  var text = list ? list.dataset : {};
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var loading = null;

  function loadOpenSeadragon() {
    if (window.OpenSeadragon) return Promise.resolve(window.OpenSeadragon);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = text.osd;
        script.onload = function () {
          if (window.OpenSeadragon) resolve(window.OpenSeadragon);
          else reject(new Error("OpenSeadragon did not start"));
        };
        script.onerror = function () { reject(new Error("OpenSeadragon could not be loaded")); };
        document.head.appendChild(script);
      }).catch(function (e) { loading = null; throw e; });
    }
    return loading;
  }

  function button(className, label, symbol) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "zoom-button " + className;
    b.title = label;
    b.setAttribute("aria-label", label);
    var glyph = document.createElement("span");
    glyph.setAttribute("aria-hidden", "true");
    glyph.textContent = symbol;
    b.appendChild(glyph);
    return b;
  }

  function setUp(figure, index) {
    var open = figure.querySelector(".zoom-open");
    var picture = figure.querySelector(".media-link");
    if (!open || !picture) return;
    var img = picture.querySelector("img");
    var status = document.createElement("p");
    status.className = "zoom-status";
    status.setAttribute("role", "status");
    open.after(status);
    open.hidden = false;
    var box = null;
    var viewer = null;

    function close() {
      if (viewer) viewer.destroy();
      if (box) box.remove();
      viewer = null;
      box = null;
      picture.hidden = false;
      open.hidden = false;
      open.setAttribute("aria-expanded", "false");
      open.focus();
    }

    function build(OpenSeadragon) {
      var helpId = "zoom-help-" + index;
      box = document.createElement("div");
      box.className = "zoom-box";
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", text.zoomLabel);
      var bar = document.createElement("div");
      bar.className = "zoom-bar";
      var zoomIn = button("zoom-in", text.zoomIn, "+");
      var zoomOut = button("zoom-out", text.zoomOut, "−");
      var reset = button("zoom-reset", text.zoomReset, "⟲");
      var closer = button("zoom-close", text.zoomClose, "×");
      bar.append(zoomIn, zoomOut, reset, closer);
      var stage = document.createElement("div");
      stage.className = "zoom-stage";
      var help = document.createElement("p");
      help.className = "zoom-help";
      help.id = helpId;
      say(help, text.zoomHelp);
      box.append(bar, stage, help);
      picture.hidden = true;
      open.hidden = true;
      picture.after(box);

      viewer = OpenSeadragon({
        element: stage,
        tileSources: figure.dataset.zoom,
        showNavigationControl: false,
        drawer: "canvas",
        animationTime: reduceMotion ? 0 : 1.0,
        blendTime: reduceMotion ? 0 : 0.1,
        springStiffness: reduceMotion ? 100 : 6.5,
        visibilityRatio: 1,
        constrainDuringPan: true,
        maxZoomPixelRatio: 2,
        gestureSettingsTouch: { pinchToZoom: true, flickEnabled: !reduceMotion },
      });
      var canvas = viewer.canvas;
      canvas.setAttribute("role", "application");
      canvas.setAttribute("aria-label", text.zoomLabel + (img && img.alt ? ": " + img.alt : ""));
      canvas.setAttribute("aria-describedby", helpId);
      viewer.addHandler("open", function () {
        box.setAttribute("data-state", "open");
        var image = viewer.world.getItemAt(0);
        // "drawn" once every tile the view needs is on screen (tests wait for it).
        image.addHandler("fully-loaded-change", function (e) {
          box.setAttribute("data-state", e.fullyLoaded ? "drawn" : "open");
        });
        canvas.focus();
      });
      viewer.addHandler("open-failed", function () {
        close();
        say(status, text.zoomFailed);
      });
      function zoomBy(factor) {
        viewer.viewport.zoomBy(factor);
        viewer.viewport.applyConstraints();
      }
      zoomIn.addEventListener("click", function () { zoomBy(1.5); });
      zoomOut.addEventListener("click", function () { zoomBy(1 / 1.5); });
      reset.addEventListener("click", function () { viewer.viewport.goHome(); });
      closer.addEventListener("click", close);
      box.addEventListener("keydown", function (e) {
        if (e.key === "Escape") { e.preventDefault(); close(); }
      });
    }

    open.addEventListener("click", function () {
      if (box) return;
      open.disabled = true;
      open.setAttribute("aria-expanded", "true");
      say(status, text.zoomLoading);
      loadOpenSeadragon().then(function (OpenSeadragon) {
        say(status, "");
        build(OpenSeadragon);
      }, function () {
        open.setAttribute("aria-expanded", "false");
        say(status, text.zoomFailed);
      }).then(function () { open.disabled = false; });
    });
  }

  if (list) list.querySelectorAll(".media-figure[data-zoom]").forEach(setUp);

  document.querySelectorAll("button[data-copy]").forEach(function (copy) {
    var field = document.getElementById(copy.dataset.copy);
    if (!field || !navigator.clipboard) return;
    var label = copy.textContent;
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        say(copy, copy.dataset.copied);
        setTimeout(function () { say(copy, label); }, 2000);
      }, function () { field.select(); });
    });
    field.addEventListener("focus", function () { field.select(); });
  });
})();
