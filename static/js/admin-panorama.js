// Placing a marker on a hall panorama: a click on the photograph fills in where (in
// percent of its width and height) and shows the new marker; typing the numbers moves it.
// Without this script the two fields are typed by hand.
(function () {
  "use strict";
  var photo = document.getElementById("place-photo");
  var form = document.getElementById("spot-form");
  if (!photo || !form) return;
  var img = photo.querySelector("img");
  var mark = document.getElementById("place-mark");
  var x = form.querySelector("input[name=x]");
  var y = form.querySelector("input[name=y]");
  var w = Number(img.getAttribute("width"));
  var h = Number(img.getAttribute("height"));

  function show() {
    var px = parseFloat(x.value), py = parseFloat(y.value);
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
    x.value = (fx * 100).toFixed(1);
    y.value = (fy * 100).toFixed(1);
    show();
    form.querySelector("input[name=accession]").focus();
  });
  x.addEventListener("input", show);
  y.addEventListener("input", show);
  show();
})();
