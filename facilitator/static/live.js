// Keeps a live screen (controls, projector, phone) in step with the workshop.
// Socket.IO pushes fresh fragments; after any (re)connect we re-fetch, because a push may have
// been missed. Every fragment carries [version, read stamp]: an older one never replaces a newer.
(function () {
  "use strict";
  var root = document.getElementById("screen");
  if (!root) return;
  var screen = root.dataset.screen;
  var code = root.dataset.code;
  var fragmentUrl = root.dataset.fragmentUrl;
  var held = [0, 0];
  var clockOffset = 0; // server now - local now, so every screen counts from the same deadline
  var lastSignal = null;
  var pollTimer = null;
  var notice = document.querySelector(".offline-notice");
  var outbox = screen === "phone" ? window.facilitatorOutbox : null;

  function versionOf(html) {
    var m = /data-v="(\d+)" data-t="(\d+)"/.exec(html);
    return m ? [parseInt(m[1], 10), parseInt(m[2], 10)] : null;
  }

  function older(a, b) {
    return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  }
  // The reply to our own request is dropped only for an older version: at the same version it
  // shows the same state as a push that overtook it, plus what only the sender sees (the row
  // just added, opened for writing; an error).
  function olderThanHeld(v) {
    return v && v[0] < held[0];
  }

  function readFragment() {
    var frag = root.querySelector(".fragment");
    if (!frag) return;
    held = [parseInt(frag.dataset.v, 10) || 0, parseInt(frag.dataset.t, 10) || 0];
    var serverNow = parseInt(frag.dataset.now, 10);
    if (serverNow) clockOffset = serverNow - Date.now();
    document.body.dataset.phase = frag.dataset.phase || "";
    // Bar heights come as data attributes: the CSP allows no inline style.
    root.querySelectorAll("[data-height]").forEach(function (el) {
      el.style.height = Math.round(parseFloat(el.dataset.height) * 100) + "%";
    });
    root.querySelectorAll("[data-width]").forEach(function (el) {
      el.style.width = Math.round(parseFloat(el.dataset.width) * 100) + "%";
    });
    var signal = frag.dataset.signal || null;
    if (signal && lastSignal !== null && signal !== lastSignal) alertPerson();
    lastSignal = signal;
    if (screen === "projector" && window.facilitatorFit) window.facilitatorFit(root);
    if (outbox) outbox.mark();
    tick();
  }

  // Where the phone stands before a swap: a new step opens at its top, an update to the same
  // step keeps the reader's place, and a newly revealed part (data-focus) is brought into view.
  function place() {
    var frag = root.querySelector(".fragment");
    var focus = root.querySelector("[data-focus]");
    return { step: frag ? frag.dataset.step || "" : "", focus: focus ? focus.dataset.focus : "" };
  }
  function settle(before) {
    if (screen !== "phone" || !before) return;
    var now = place();
    if (now.step !== before.step) {
      window.scrollTo(0, 0);
    } else if (now.focus && now.focus !== before.focus) {
      var target = document.getElementById(now.focus);
      if (target) target.scrollIntoView({ block: "start" });
    }
  }

  function alertPerson() {
    if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
    document.body.classList.remove("signal");
    void document.body.offsetWidth; // restart the flash animation
    document.body.classList.add("signal");
  }

  // A push never wipes what a person is typing: while a field of the screen has focus or
  // holds unsent text, the newest fragment waits, and tick() applies it once they are done.
  var waiting = null;
  function busy() {
    var el = document.activeElement;
    if (el && root.contains(el) && /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)) return true;
    var typed = Array.prototype.some.call(root.querySelectorAll("input, textarea"), function (f) {
      return !/^(hidden|radio|checkbox|button|submit)$/.test(f.type) && f.value !== f.defaultValue;
    });
    // A choice made in a list but not yet sent (where to move a note) is kept the same way.
    return typed || Array.prototype.some.call(root.querySelectorAll("select"), function (s) {
      var preset = s.querySelector("option[selected]");
      return s.selectedIndex !== (preset ? preset.index : 0);
    });
  }

  function apply(html) {
    var v = versionOf(html);
    if (v && older(v, held)) return false;
    if (busy()) {
      var w = waiting && versionOf(waiting);
      if (!w || !v || !older(v, w)) waiting = html;
      return false;
    }
    waiting = null;
    var opened = openDetails();
    var before = place();
    root.innerHTML = html;
    reopen(opened);
    if (window.htmx) window.htmx.process(root);
    readFragment();
    settle(before);
    return true;
  }

  // A pushed fragment must not shut what the reader has opened (a row's editor, «Omdøb»):
  // the same <details> (same place, same summary) stays open when it is still unique.
  function detailsKey(d) {
    var owner = d.parentElement && d.parentElement.closest("[id], [data-note]");
    var where = owner && root.contains(owner) ? owner.id || owner.dataset.note : "";
    var summary = d.querySelector("summary");
    return d.id || [d.className, where, summary ? summary.textContent.trim() : ""].join("|");
  }
  function openDetails() {
    return Array.prototype.map.call(root.querySelectorAll("details[open]"), detailsKey);
  }
  function reopen(keys) {
    if (!keys.length) return;
    var found = {};
    root.querySelectorAll("details").forEach(function (d) {
      var k = detailsKey(d);
      (found[k] = found[k] || []).push(d);
    });
    keys.forEach(function (k) { if (found[k] && found[k].length === 1) found[k][0].open = true; });
  }

  function refetch() {
    return fetch(fragmentUrl, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) {
        if (r.status === 401 || r.status === 404 || r.status === 410) {
          window.location.reload();
          return null;
        }
        if (r.ok && outbox) outbox.flush(); // the server answers again: send what waits
        return r.ok ? r.text() : null;
      })
      .then(function (html) { if (html) apply(html); })
      .catch(function () { /* offline: the poll tries again */ });
  }

  function pad(n) { return n < 10 ? "0" + n : "" + n; }

  function tick() {
    if (waiting && !busy()) apply(waiting);
    var now = Date.now() + clockOffset;
    root.querySelectorAll(".timer[data-deadline]").forEach(function (el) {
      var left = Math.max(0, parseInt(el.dataset.deadline, 10) - now);
      var secs = Math.ceil(left / 1000);
      el.textContent = Math.floor(secs / 60) + ":" + pad(secs % 60);
      el.classList.toggle("ending", secs <= 10 && secs > 0);
      el.classList.toggle("done", secs === 0);
      // When a countdown ends, what comes next (the next speaker, swapped roles) is decided
      // by the server: fetch it, spread over half a second so a room does not arrive at once.
      if (secs > 0) el.dataset.running = "1";
      if (secs === 0 && el.dataset.refresh && el.dataset.running && !el.dataset.refreshed) {
        el.dataset.refreshed = "1";
        setTimeout(refetch, 150 + Math.random() * 500);
      }
    });
  }
  setInterval(tick, 250);

  // Fragments answered to our own htmx POSTs go through the same staleness check.
  var swapping = null, keptOpen = [], openWhenSent = new WeakMap();
  document.body.addEventListener("htmx:beforeRequest", function (evt) {
    if (evt.detail.xhr) openWhenSent.set(evt.detail.xhr, openDetails());
  });
  document.body.addEventListener("htmx:beforeSwap", function (evt) {
    if (evt.detail.target !== root) return;
    if (olderThanHeld(versionOf(evt.detail.serverResponse || ""))) evt.detail.shouldSwap = false;
    swapping = place();
    // Our own answer closes the editor it was sent from: what was open when it was sent,
    // except a list marked data-keep-open that the instructor works in with many clicks
    // (moving people in an order). What the person opened while it was on its way (after a
    // push showed the change) stays open, and a refusal (422) closes nothing: the person
    // corrects what they typed.
    var sent = (evt.detail.xhr && openWhenSent.get(evt.detail.xhr)) || [];
    var refused = evt.detail.xhr && evt.detail.xhr.status === 422;
    keptOpen = openDetails().filter(function (k) { return refused || sent.indexOf(k) < 0; });
    Array.prototype.forEach.call(root.querySelectorAll("details[open][data-keep-open]"), function (d) {
      keptOpen.push(detailsKey(d));
    });
  });
  document.body.addEventListener("htmx:afterSwap", function (evt) {
    if (evt.detail.target !== root) return;
    reopen(keptOpen);
    readFragment();
    settle(swapping);
  });

  // A client-made idempotency key per submission: a retried POST is not a second answer.
  var keys = new WeakMap();
  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes); // works on plain http, unlike crypto.randomUUID
    return Array.prototype.map.call(bytes, function (b) { return pad(b.toString(16)); }).join("");
  }
  document.body.addEventListener("htmx:configRequest", function (evt) {
    if (evt.detail.verb !== "post") return;
    var elt = evt.detail.elt;
    var sent = keys.get(elt);
    var body = JSON.stringify(entries(evt.detail.formData));
    if (!sent || sent.body !== body) {
      sent = { key: newKey(), body: body };
      keys.set(elt, sent);
    }
    evt.detail.headers["Idempotency-Key"] = sent.key;
  });
  document.body.addEventListener("htmx:afterRequest", function (evt) {
    if (evt.detail.successful) keys.delete(evt.detail.elt);
  });

  function entries(formData) {
    var out = [];
    if (formData && formData.forEach) formData.forEach(function (v, k) { out.push([k, String(v)]); });
    return out;
  }

  // A phone with a live socket sends its answer over it: a room answering at once is stored
  // in shared transactions. Without a socket, or if no ack comes, the same request (same
  // idempotency key) goes as a plain POST, so nothing is lost and nothing counts twice.
  var SUBMIT = /\/j\/[^/]+\/s\/(\d+)$/;
  document.body.addEventListener("htmx:beforeRequest", function (evt) {
    var cfg = evt.detail.requestConfig;
    var elt = evt.detail.elt;
    if (screen !== "phone" || !cfg || cfg.verb !== "post" || elt.dataset.viaHttp) return;
    var match = SUBMIT.exec(cfg.path);
    if (!match || !socket || !socket.connected) return;
    evt.preventDefault();
    var data = {};
    entries(cfg.formData).forEach(function (kv) { data[kv[0]] = kv[1]; });
    var key = cfg.headers["Idempotency-Key"];
    elt.classList.add("htmx-request");
    socket.timeout(8000).emit("submit", { step: parseInt(match[1], 10), data: data, key: key },
      function (err, res) {
        elt.classList.remove("htmx-request");
        if (err || !res || !res.html) {
          elt.dataset.viaHttp = "1";
          window.htmx.ajax("POST", cfg.path, { source: elt, target: root, values: data })
            .finally(function () { delete elt.dataset.viaHttp; });
          return;
        }
        if (res.status === 200) keys.delete(elt);
        swapOwn(res.html);
      });
  });

  // The answer to a phone's own submission replaces the screen at once (unless stale), even
  // while a text field holds what was just sent.
  function swapOwn(html) {
    if (html.lastIndexOf('<div class="patch"', 0) === 0) return patchOwn(html);
    if (olderThanHeld(versionOf(html))) return;
    waiting = null;
    var before = place();
    root.innerHTML = html;
    window.htmx.process(root);
    readFragment();
    settle(before);
  }
  // A patch answers a small change of the phone's own (a dot): the elements it carries
  // replace theirs by id. It keeps the held version, so a push that crossed it still
  // applies; on another step, or missing an element, the whole screen is fetched instead.
  var patched = null; // the version of the last patch: a push made before it is refetched
  function patchOwn(html) {
    var box = document.createElement("template");
    box.innerHTML = html;
    var patch = box.content.firstElementChild;
    var frag = root.querySelector(".fragment");
    var parts = Array.prototype.slice.call(patch.children);
    var fits = frag && frag.dataset.step === patch.dataset.step &&
      frag.dataset.kind === patch.dataset.kind &&
      parts.every(function (el) { return el.id && root.querySelector("#" + CSS.escape(el.id)); });
    if (!fits) return refetch();
    parts.forEach(function (el) {
      root.querySelector("#" + CSS.escape(el.id)).replaceWith(el);
      window.htmx.process(el);
    });
    patched = versionOf(html);
    if (waiting) { waiting = null; refetch(); } // a held push is older than the patch
  }
  document.body.addEventListener("htmx:sendError", function (evt) {
    offline(true);
    var cfg = evt.detail.requestConfig;
    if (outbox && cfg && cfg.verb === "post" && SUBMIT.test(cfg.path)) {
      outbox.add(evt.detail.elt, cfg, entries(cfg.formData));
    }
  });

  function offline(down) {
    if (notice) notice.hidden = !down;
    document.body.classList.toggle("offline", down);
    if (down && !pollTimer) pollTimer = setInterval(refetch, 3000);
    if (!down && pollTimer) { clearInterval(pollTimer); pollTimer = null; }
  }

  if (outbox) outbox.init({ root: root, code: code, swap: swapOwn, offline: function () { offline(true); } });
  readFragment();
  if (typeof io === "undefined") { offline(true); return; }
  // WebSocket first: one request instead of a polling handshake, and behind nginx each socket
  // goes to the least busy process, so a room on one venue wifi spreads over all of them.
  // Long-polling stays as the fallback for networks that block WebSockets.
  var socket = io({
    auth: { screen: screen, code: code },
    transports: ["websocket", "polling"],
    tryAllTransports: true
  });
  socket.on("connect", function () {
    offline(false);
    if (outbox) outbox.flush();
    refetch();
  });
  socket.on("disconnect", function () { offline(true); });
  socket.on("connect_error", function () { offline(true); });
  socket.on("fragment", function (msg) {
    if (!msg || msg.screen !== screen) return;
    apply(msg.html);
    var v = versionOf(msg.html);
    if (patched && v && older(v, patched)) refetch();
  });
  // A phone waking from sleep: check at once instead of waiting for the socket.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") refetch();
  });
  window.facilitatorLive = { socket: socket, refetch: refetch, held: function () { return held; } };
})();
