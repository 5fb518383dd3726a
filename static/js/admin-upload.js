// Resumable uploads in the item editor. Without this script the form posts the files
// (multipart) and the server answers with the page; with it, each file goes up over tus
// with its own progress bar, survives a dropped network (it waits and resumes), and
// resumes after a page reload from where it stopped. The page reloads when all are done.
(function () {
  "use strict";
  if (!window.tus || !window.tus.isSupported) return;
  var CHUNK = 16 * 1024 * 1024;
  var RETRY = [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000, 60000, 60000];

  document.querySelectorAll("form.upload-zone[data-endpoint]").forEach(function (zone) {
    var input = zone.querySelector("input[type=file]");
    var list = zone.querySelector(".upload-list");
    if (!input || !list) return;
    zone.classList.add("enhanced");
    var running = 0, failed = 0;

    function say(li, text, cls) {
      var state = li.querySelector(".state");
      state.textContent = text;
      state.className = "state" + (cls ? " " + cls : "");
    }

    function message(err) {
      var res = err && err.originalResponse;
      if (res) {
        try {
          var body = JSON.parse(res.getBody());
          if (body && body.message) return body.message;
        } catch (e) { /* not JSON */ }
        return "HTTP " + res.getStatus();
      }
      return String((err && err.message) || err).split("\n")[0];
    }

    function finished() {
      if (running > 0) return;
      // Let the finished bars be seen, then show the new media in the page.
      if (failed === 0) {
        window.setTimeout(function () {
          window.location.assign(window.location.pathname + "?media=1#media");
        }, 700);
      }
    }

    function send(file) {
      var li = document.createElement("li");
      var name = document.createElement("span");
      name.className = "name";
      name.textContent = file.name;
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", file.name);
      var state = document.createElement("span");
      state.className = "state";
      state.textContent = "0%";
      li.appendChild(name);
      li.appendChild(bar);
      li.appendChild(state);
      list.appendChild(li);
      running++;

      var upload = new window.tus.Upload(file, {
        endpoint: zone.getAttribute("data-endpoint"),
        chunkSize: CHUNK,
        retryDelays: RETRY,
        removeFingerprintOnSuccess: true,
        headers: { "X-CSRF-Token": zone.getAttribute("data-csrf") },
        metadata: { item: zone.getAttribute("data-item"), filename: file.name, filetype: file.type },
        onProgress: function (sent, total) {
          var pct = total ? Math.floor((sent / total) * 100) : 0;
          bar.value = pct;
          say(li, pct + "%");
        },
        onShouldRetry: function (err, attempt, options) {
          var status = err.originalResponse ? err.originalResponse.getStatus() : 0;
          // 4xx is the server's answer about this file (too large, wrong type, no rights):
          // trying again cannot help. Locks (423) and conflicts (409) can clear.
          if (status >= 400 && status < 500 && status !== 409 && status !== 423) return false;
          if (!navigator.onLine || status === 0) say(li, list.getAttribute("data-paused"));
          return true;
        },
        onError: function (err) {
          running--;
          failed++;
          li.classList.add("failed");
          say(li, list.getAttribute("data-failed") + ": " + message(err), "failed");
          finished();
        },
        onSuccess: function () {
          running--;
          bar.value = 100;
          say(li, list.getAttribute("data-done"), "done");
          finished();
        }
      });
      upload.findPreviousUploads().then(function (previous) {
        if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
        upload.start();
      });
    }

    function sendAll(files) {
      failed = 0;
      Array.prototype.forEach.call(files, send);
    }

    input.addEventListener("change", function () {
      sendAll(input.files);
      input.value = "";
    });
    zone.addEventListener("submit", function (e) {
      e.preventDefault();
      if (input.files.length) sendAll(input.files);
    });
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (e) {
        e.preventDefault();
        zone.classList.add("dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function (e) {
        e.preventDefault();
        zone.classList.remove("dragging");
      });
    });
    zone.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) sendAll(e.dataTransfer.files);
    });
    window.addEventListener("online", function () {
      list.querySelectorAll("li:not(.failed) .state").forEach(function (s) {
        if (s.textContent === list.getAttribute("data-paused")) s.textContent = "…";
      });
    });
  });
})();
