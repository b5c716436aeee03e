// The check each screen runs on itself. Text is measured by its own line boxes (Range rects),
// so a wide paragraph with a short line is not "under" the badge unless its words are.
(opts) => {
  const problems = [];
  const vw = document.documentElement.clientWidth, vh = window.innerHeight;
  const say = (what, el) => problems.push(what + ': <' + el.tagName.toLowerCase() + ' class="'
    + el.className + '"> ' + (el.textContent || '').trim().slice(0, 60));
  if (document.documentElement.scrollWidth > vw + 1) {
    const wide = [...document.body.querySelectorAll('*')]
      .filter((e) => e.getBoundingClientRect().right > vw + 1 && !e.closest('.table-scroll'))
      .slice(-2).map((e) => e.tagName.toLowerCase() + '.' + e.className);
    problems.push('page wider than the screen: ' + document.documentElement.scrollWidth + ' > ' + vw
      + ' (' + wide.join(', ') + ')');
  }
  const badge = document.querySelector('.join-panel');
  const fixed = badge && getComputedStyle(badge).position === 'fixed';
  const b = fixed ? badge.getBoundingClientRect() : null;
  const folded = (el) => { const d = el.closest('details:not([open])'); return d && !el.closest('summary'); };
  // The boxes that clip an element's content: its text must lie inside every one of them.
  const clippers = (el) => {
    const out = [];
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== 'visible' || s.overflowY !== 'visible') out.push(a.getBoundingClientRect());
    }
    return out;
  };
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden' && !folded(el);
  for (const el of document.body.querySelectorAll('*')) {
    if (!shown(el) || /^(INPUT|TEXTAREA|SELECT|OPTION|SCRIPT|svg|path|rect)$/.test(el.tagName)) continue;
    if (el.closest('svg, .visually-hidden') || (badge && badge.contains(el) && !fixed)) continue;
    const cs = getComputedStyle(el);
    if ((cs.overflowX !== 'visible' || cs.overflowY !== 'visible')
        && (el.scrollHeight > el.clientHeight + 2 || el.scrollWidth > el.clientWidth + 2)
        && el !== document.body && !el.classList.contains('table-scroll'))
      say('clipped (' + el.scrollWidth + 'x' + el.scrollHeight + ' in ' + el.clientWidth + 'x' + el.clientHeight + ')', el);
    // A data table may scroll on its own (WCAG 1.4.10 allows it): its cells are reachable.
    if (el.closest('.table-scroll')) continue;
    const boxes = clippers(el);
    for (const node of el.childNodes) {
      if (node.nodeType !== 3 || !node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width < 1) continue;
        if (r.right > vw + 1 || r.left < -1) { say('leaves the screen sideways', el); break; }
        if (boxes.some((c) => r.top < c.top - 2 || r.bottom > c.bottom + 2 || r.left < c.left - 2 || r.right > c.right + 2)) {
          say('cut off by its box', el); break;
        }
        if (opts.projector && (r.bottom > vh + 1 || r.top < -1)) { say('below or above the screen', el); break; }
        if (b && !badge.contains(el) && r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top) {
          say('under the QR badge', el); break;
        }
      }
    }
  }
  return problems;
}
