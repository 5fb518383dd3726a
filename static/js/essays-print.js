// The essays to print: an essay in traditional Mongolian is set in columns, top to
// bottom, the columns running left to right, as on the student's screen. A printed page
// cannot scroll sideways, and a browser clips what runs past the paper's edge, so the
// essay is poured into page-high blocks (.mn-page): the first fills what the sheet's
// heading leaves of the first page, each next one a page of its own, and the last leaves
// room for the teacher's handwritten comment. A paragraph that does not fit is cut between
// words (between letters only for a "word" longer than a column) and goes on in the next
// block. Without this script the essay prints as it was written, horizontally, whole.
(function () {
  "use strict";
  var MM = 96 / 25.4; // CSS pixels in a millimetre
  var PAGE = 297 - 2 * 16; // A4's height inside handout.css's @page margin, in mm
  var SAFETY = 6; // mm kept free: the print layout may differ a little from the screen
  var COMMENT = 48; // mm the comment box (35 mm at least) takes with its heading

  function overflows(block) {
    return block.scrollWidth > block.clientWidth + 1;
  }

  // The longest start of `pieces` (words with their leading space, or letters) that fits
  // in `block` as paragraph `p`; returns its length.
  function fit(block, p, pieces) {
    var lo = 0, hi = pieces.length;
    while (lo < hi) {
      var mid = Math.ceil((lo + hi) / 2);
      p.textContent = pieces.slice(0, mid).join("");
      if (overflows(block)) hi = mid - 1; else lo = mid;
    }
    p.textContent = pieces.slice(0, lo).join("");
    return lo;
  }

  function newBlock(holder, heightMm) {
    var block = document.createElement("div");
    block.className = "mn-page";
    block.setAttribute("lang", "mn-Mong");
    block.style.height = heightMm + "mm";
    holder.appendChild(block);
    return block;
  }

  // Pours paragraphs (texts) into blocks inside `holder`, the first `first` mm high, the
  // rest a page high. Returns the blocks.
  function pour(holder, texts, first) {
    var blocks = [newBlock(holder, first)];
    var queue = texts.map(function (t) { return { text: t, cont: false }; });
    while (queue.length) {
      var block = blocks[blocks.length - 1];
      var item = queue.shift();
      var p = document.createElement("p");
      if (item.cont) p.className = "cont";
      p.textContent = item.text;
      block.appendChild(p);
      if (!overflows(block)) continue;
      var words = item.text.split(/(?=\s)/);
      var n = fit(block, p, words);
      if (n === 0 && block.childNodes.length === 1) {
        words = Array.from(item.text); // one unbroken "word" longer than the column
        n = Math.max(1, fit(block, p, words));
      }
      if (n === 0) block.removeChild(p);
      var rest = words.slice(n).join("").replace(/^\s+/, "");
      if (rest) queue.unshift({ text: rest, cont: n > 0 || item.cont });
      blocks.push(newBlock(holder, PAGE - SAFETY));
    }
    return blocks;
  }

  function lay(text) {
    var sheet = text.closest(".essay-sheet");
    var paragraphs = Array.prototype.map.call(text.querySelectorAll("p"), function (p) { return p.textContent; });
    var heading = (text.getBoundingClientRect().top - sheet.getBoundingClientRect().top) / MM;
    var first = PAGE - SAFETY - heading;
    if (first < 60) first = PAGE - SAFETY; // too little left: the essay starts on a new page
    var holder = document.createElement("div");
    holder.className = "mn-pages";
    if (first === PAGE - SAFETY) holder.classList.add("from-new-page");
    text.parentNode.insertBefore(holder, text);
    var blocks = pour(holder, paragraphs, first);
    // The last block is shortened to leave room for the comment, if its text still fits
    // that way (otherwise the comment goes to the next page).
    var last = blocks[blocks.length - 1];
    var lastHeight = parseFloat(last.style.height);
    if (lastHeight - COMMENT >= 60) {
      last.style.height = (lastHeight - COMMENT) + "mm";
      if (overflows(last)) last.style.height = lastHeight + "mm";
    }
    text.hidden = true;
  }

  function layAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".essay-sheet .essay-text[lang^='mn']"), lay);
    document.documentElement.classList.add("essays-laid");
  }

  // The columns are measured in the Mongolian font, so wait for it.
  if (document.fonts && document.fonts.load) {
    document.fonts.load("12pt 'Noto Sans Mongolian'", "\u182E").then(layAll, layAll);
  } else {
    layAll();
  }
})();
