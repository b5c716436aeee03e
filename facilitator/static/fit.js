// The projector shows everything the room made, or says how much more there is.
// A screen first shrinks its type (down to a floor still readable at 10 m) until its text
// fits; then every list marked data-fit shows what fits of it: "pages" turns the rest into
// pages that rotate with a visible "Side 1/3", "more" shows the top and "+ K flere".
// Runs after every fragment swap and on resize; it only hides and scales, never edits text.
(function () {
  "use strict";
  var ROTATE_MS = 12000;
  var STEPS = [1, 0.92, 0.85, 0.78, 0.72];
  var pageOf = {}; // the page each list shows, kept across fragment swaps
  var timer = null;

  function overflows(el) {
    return el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1;
  }

  function items(list) {
    return Array.prototype.slice.call(list.children);
  }

  // The bottom edge a child may reach and still be wholly visible inside the list.
  function limit(list) {
    var r = list.getBoundingClientRect();
    var pad = parseFloat(getComputedStyle(list).paddingBottom) || 0;
    return r.top + list.clientTop + list.clientHeight - pad + 1;
  }

  function paginate(list, atLeastOne) {
    var all = items(list);
    all.forEach(function (c) { c.classList.remove("fit-off"); });
    if (!all.length || !overflows(list)) return [all];
    var pages = [];
    var rest = all.slice();
    while (rest.length) {
      var edge = limit(list);
      // A grid fills row by row: a page is a prefix of what is left, so the order reads the same.
      var n = 0;
      while (n < rest.length && rest[n].getBoundingClientRect().bottom <= edge) n++;
      if (!n && !atLeastOne) { // not even one fits: the count alone says it
        rest.forEach(function (c) { c.classList.add("fit-off"); });
        return pages.concat([[], rest]);
      }
      var page = rest.slice(0, Math.max(1, n));
      pages.push(page);
      page.forEach(function (c) { c.classList.add("fit-off"); });
      rest = rest.slice(page.length);
    }
    return pages;
  }

  // The count sits under the list, in the list's own column, so the list gives it room.
  function note(list, text) {
    var p = document.createElement("p");
    p.className = "fit-note";
    p.setAttribute("data-testid", "fit-note");
    p.textContent = text;
    list.after(p);
    return p;
  }

  // A wall gets smaller type before it gets pages, down to what the back row still reads:
  // a fortieth of the screen's height (27 px on a 1080 px projector).
  function shrink(list) {
    list.style.fontSize = "";
    items(list).forEach(function (c) { c.classList.remove("fit-off"); });
    var base = parseFloat(getComputedStyle(list).fontSize);
    var floor = Math.max(16, window.innerHeight / 40);
    for (var f = base; overflows(list) && f * 0.9 >= floor; ) {
      f *= 0.9;
      list.style.fontSize = f + "px";
    }
  }

  function keyOf(list, index) { return list.dataset.fitKey || list.dataset.fit + index; }

  function fitList(list, index) {
    var old = list.nextElementSibling;
    if (old && old.classList.contains("fit-note")) old.remove();
    var mode = list.dataset.fit;
    var key = keyOf(list, index);
    var probe = note(list, mode === "more" ? "+ 99 flere" : "Side 9/9");
    shrink(list); // smaller type first, down to the floor, then pages or "+ K flere"
    var pages = paginate(list, mode !== "more");
    if (pages.length === 1) {
      probe.remove();
      items(list).forEach(function (c) { c.classList.remove("fit-off"); });
      list.classList.remove("fit-paged");
      delete pageOf[key];
      return false;
    }
    var shown = mode === "more" ? 0 : (pageOf[key] || 0) % pages.length;
    pageOf[key] = shown;
    pages[shown].forEach(function (c) { c.classList.remove("fit-off"); });
    var hiddenCount = items(list).length - pages[shown].length;
    probe.textContent = mode === "more" ? "+ " + hiddenCount + " flere" : "Side " + (shown + 1) + "/" + pages.length;
    list.classList.add("fit-paged");
    list.dataset.pages = pages.length;
    list.dataset.page = shown + 1;
    return mode !== "more";
  }

  // Boxes that clip (a table's card, a column) and overflow: their text would be cut.
  function clipped(screen) {
    return Array.prototype.some.call(screen.querySelectorAll("*"), function (el) {
      if (!el.clientHeight && !el.dataset.fit) return false;
      var cs = getComputedStyle(el);
      return cs.overflowY !== "visible" && cs.display !== "none" && el.scrollHeight > el.clientHeight + 1;
    });
  }

  function fit(root) {
    var screen = root.querySelector(".fragment > section");
    var lists = root.querySelectorAll("[data-fit]");
    if (!screen) return;
    // Type first, with every list down to its first item and a count under it: the lists
    // give way (they flex), so this only shrinks what cannot, and each list keeps a line.
    lists.forEach(function (l) {
      var old = l.nextElementSibling;
      if (old && old.classList.contains("fit-note")) old.remove();
      items(l).forEach(function (c, i) { c.classList.toggle("fit-off", i > 0); });
      note(l, "+ 99 flere");
    });
    for (var i = 0; i < STEPS.length; i++) {
      screen.style.fontSize = STEPS[i] === 1 ? "" : STEPS[i] + "em";
      if (!overflows(screen) && !clipped(screen)) break;
    }
    var rotating = false;
    lists.forEach(function (l, i) { if (fitList(l, i)) rotating = true; });
    if (rotating && !timer) timer = setInterval(turn, ROTATE_MS);
    if (!rotating && timer) { clearInterval(timer); timer = null; }
  }

  function turn() {
    var root = document.getElementById("screen");
    root.querySelectorAll("[data-fit]").forEach(function (l, i) {
      if (l.dataset.fit !== "pages" || !l.classList.contains("fit-paged")) return;
      pageOf[keyOf(l, i)] = (pageOf[keyOf(l, i)] || 0) + 1;
    });
    fit(root);
  }

  window.facilitatorFit = fit;
  // A screen that is not live (the program editor's preview) is fitted once it has loaded.
  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("screen");
    if (root && !root.dataset.fragmentUrl && root.dataset.screen === "projector") fit(root);
  });
  var resized = null;
  window.addEventListener("resize", function () {
    clearTimeout(resized);
    resized = setTimeout(function () {
      var root = document.getElementById("screen");
      if (root) fit(root);
    }, 150);
  });
})();
