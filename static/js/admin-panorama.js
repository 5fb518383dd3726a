// Placing a marker or a door on a hall panorama: a click on the photograph fills in where
// (in percent of its width and height) in both forms and shows the new place; typing the
// numbers moves it. Without this script the fields are typed by hand.
(function () {
  "use strict";
  var photo = document.getElementById("place-photo");
  var forms = document.querySelectorAll("form[data-place]");
  if (!photo || !forms.length) return;
  var img = photo.querySelector("img");
  var mark = document.getElementById("place-mark");
  var w = Number(img.getAttribute("width"));
  var h = Number(img.getAttribute("height"));

  function field(form, name) { return form.querySelector("input[name=" + name + "]"); }

  function show(form) {
    var px = parseFloat(field(form, "x").value), py = parseFloat(field(form, "y").value);
    if (px >= 0 && px <= 100 && py >= 0 && py <= 100) {
      mark.setAttribute("cx", String(px / 100 * w));
      mark.setAttribute("cy", String(py / 100 * h));
    }
  }

  photo.addEventListener("click", function (e) {
    var box = img.getBoundingClientRect();
    var fx = (e.clientX - box.left) / box.width;
    var fy = (e.clientY - box.top) / box.height;
    if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return;
    Array.prototype.forEach.call(forms, function (form) {
      field(form, "x").value = (fx * 100).toFixed(1);
      field(form, "y").value = (fy * 100).toFixed(1);
    });
    show(forms[0]);
    field(forms[0], "accession").focus();
  });
  Array.prototype.forEach.call(forms, function (form) {
    field(form, "x").addEventListener("input", function () { show(form); });
    field(form, "y").addEventListener("input", function () { show(form); });
  });
  show(forms[0]);
})();
