// Resumable media zips for the bulk import. Without this script the form posts the zip
// with the CSV in one request (no progress, and a dropped connection means starting
// again); with it, the zip goes up first over tus with a progress bar, waits out a
// dropped network, resumes after a reload from where it stopped, and the form then posts
// only the CSV and the upload's id.
(function () {
  "use strict";
  if (!window.tus || !window.tus.isSupported) return;
  var form = document.querySelector("form.import-form[data-endpoint]");
  if (!form) return;
  var input = form.querySelector("input[name=media]");
  var uploaded = form.querySelector("input[name=media_upload]");
  var box = form.querySelector(".import-upload");
  var button = form.querySelector("button[type=submit]");
  if (!input || !uploaded || !box || !button) return;
  var bar = box.querySelector("progress");
  var state = box.querySelector(".state");
  var RETRY = [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000, 60000, 60000];
  var sending = false;

  function say(text, cls) {
    state.textContent = text;
    state.className = "state" + (cls ? " " + cls : "");
  }

  function message(err) {
    var res = err && err.originalResponse;
    if (res) {
      var code = "";
      try {
        var body = JSON.parse(res.getBody());
        code = (body && body.code) || "";
        if (code === "too_large") return form.getAttribute("data-too-large");
        if (code === "unsupported_type") return form.getAttribute("data-not-zip");
        if (body && body.message) return body.message;
      } catch (e) { /* not JSON */ }
      return "HTTP " + res.getStatus();
    }
    return String((err && err.message) || err).split("\n")[0];
  }

  function mb(n) {
    return (n / 1048576).toFixed(1) + " MB";
  }

  form.addEventListener("submit", function (e) {
    if (sending) {
      e.preventDefault();
      return;
    }
    var file = input.files && input.files[0];
    if (!file) return; // no new zip: the form goes as it is
    e.preventDefault();
    sending = true;
    button.disabled = true;
    box.hidden = false;
    bar.value = 0;
    say("0%");
    var upload = new window.tus.Upload(file, {
      endpoint: form.getAttribute("data-endpoint"),
      chunkSize: 16 * 1024 * 1024,
      retryDelays: RETRY,
      removeFingerprintOnSuccess: true,
      headers: { "X-CSRF-Token": form.getAttribute("data-csrf") },
      metadata: { purpose: "import", filename: file.name, filetype: file.type || "application/zip" },
      onProgress: function (sent, total) {
        var pct = total ? Math.floor((sent / total) * 100) : 0;
        bar.value = pct;
        say(pct + "% · " + mb(sent) + " / " + mb(total));
      },
      onShouldRetry: function (err) {
        var status = err.originalResponse ? err.originalResponse.getStatus() : 0;
        // 4xx is the server's answer about this file: trying again cannot help.
        if (status >= 400 && status < 500 && status !== 409 && status !== 423) return false;
        if (!navigator.onLine || status === 0) say(form.getAttribute("data-paused"));
        return true;
      },
      onError: function (err) {
        sending = false;
        button.disabled = false;
        say(form.getAttribute("data-failed") + ": " + message(err), "failed");
      },
      onSuccess: function () {
        bar.value = 100;
        say(form.getAttribute("data-done"), "done");
        uploaded.value = upload.url.split("/").pop();
        input.value = ""; // the zip is not sent again with the form
        form.submit();
      }
    });
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  });
})();
