// Boxes a student or a teacher writes in (the essay, short answers; a visit's instructions,
// topic and choices; marked data-writing): while one holds traditional Mongolian, or on a
// Mongolian page holds no Chinese, it is set in columns, top to bottom, left to right (its
// lang is mn-Mong; see site.css). The server makes the students' pages by the same rule
// (i18n::writing_lang); this keeps it as they type.
(function () {
  "use strict";
  var mnPage = /^mn/.test(document.documentElement.lang);
  function setLang(box) {
    var v = box.value;
    var mn = /[\u1800-\u18AF]/.test(v) || (mnPage && !/[\u3400-\u4DBF\u4E00-\u9FFF]/.test(v));
    if (mn) box.setAttribute("lang", "mn-Mong"); else box.removeAttribute("lang");
  }
  Array.prototype.forEach.call(document.querySelectorAll("textarea[data-writing]"), function (box) {
    setLang(box);
    box.addEventListener("input", function () { setLang(box); });
  });
})();
