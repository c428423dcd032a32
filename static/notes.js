// Notes refined by script. Without it the page already works (see site.css).
//
// Wide screens: each note sits in a margin beside its term's line, at rest
// showing its gloss cut to a few lines. Notes go to whichever margin keeps
// them nearest their terms, and a crowd of notes centres on its terms rather
// than only growing downward. The margins are named by where lines start and
// end, so that a right-to-left page (dir="rtl") is the mirror image of another.
// The active note (its term hovered, focused or clicked, or the note itself)
// is shown whole, level with its term's line, and its neighbours make room;
// Esc, leaving or blurring returns to rest. A note anchored at several
// occurrences (`at: every`) rests by the first, and shows level with whichever
// occurrence made it active.
// Narrow screens: a term toggles its note open and closed in place, after
// the block of the occurrence tapped (the page puts it after the first's).
// A link to a note (#note-…) shows it as activating its term would; a link
// to a place in the text (#ref-…, from the terms page) does so on wide screens.
//
// Layout discipline, after gwern.net's sidenotes.js: every trigger (resize,
// fonts, images, a change of active note) only asks for a layout; one layout
// a frame measures everything first, then writes every position at once.
(() => {
  "use strict";

  // How long a pointer must rest on a term before its note moves to it, so a
  // pointer crossing the text does not stir the margin.
  const HOVER_INTENT_MS = 90;
  // How long a note stays active after the pointer leaves it or its term:
  // time to travel from a term to its note across the gap.
  const LEAVE_GRACE_MS = 350;
  // Lines of gloss a resting note shows, and the fewest it may drop to when
  // the margin is crowded (a note beyond CROWDED of the window from its term).
  const REST_LINES = 3;
  const CROWDED_LINES = 2;
  const CROWDED = 1 / 4;

  const body = document.querySelector(".article-body");
  if (!body) return;
  const wide = window.matchMedia("(min-width: 75em)"); // as site.css
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  // Browsers without ::details-content cannot show a closed note in the margin: open them.
  const showsClosedContent = CSS.supports("selector(::details-content)");

  const notes = []; // {id, toggle, note, gloss, more, back, terms, opener, home, at}
  const byId = new Map();
  for (const toggle of body.querySelectorAll("details.note-toggle")) {
    const note = toggle.querySelector(".note");
    if (!note) continue;
    const terms = [...body.querySelectorAll(`a.term[data-note="${CSS.escape(note.id)}"]`)];
    if (!terms.length) continue;
    const item = {
      id: note.id, toggle, note, terms,
      gloss: note.querySelector(".note-gloss"),
      more: note.querySelector(".note-more"),
      back: note.querySelector(".note-term a"), // "Back to the text"
      opener: terms[0], // the term focus goes back to when the note closes
      home: null, // on narrow screens, a mark where the page put it, once it has moved
      at: terms[0], // the occurrence it follows on narrow screens
    };
    notes.push(item);
    byId.set(note.id, item);
  }

  // What the reader asked for: the active note, the occurrence of its term
  // that made it so, whether it sits level with that term ("term") or stays
  // where it is ("self", when hovered in the margin, so it does not slide
  // away from the pointer), and whether a click pinned it.
  let active = null; // {id, term, anchor, pinned}
  let sides = new Map(); // note id -> "start" | "end", kept while a note is active
  const restCache = new Map(); // note id -> what its resting height is made of
  let frame = 0;
  let animate = false;
  let intentTimer = 0;
  let leaveTimer = 0;

  function schedule(moving = false) {
    animate = animate || moving;
    if (!frame) frame = requestAnimationFrame(layout);
  }

  function layout() {
    // Called directly, it stands for the frame's layout already asked for.
    cancelAnimationFrame(frame);
    frame = 0;
    const moving = animate && !reducedMotion.matches;
    animate = false;
    if (!wide.matches) {
      unplace();
      return;
    }
    const started = performance.now();
    // State first (classes only), so that the measurements below see it.
    body.classList.add("notes-aligned");
    body.classList.toggle("notes-animate", moving);
    if (!showsClosedContent) for (const item of notes) item.toggle.open = true;
    for (const item of notes) {
      const on = active?.id === item.id;
      item.note.classList.toggle("is-open", on);
      item.note.classList.toggle("is-active", on);
      for (const term of item.terms) term.classList.toggle("is-active", on);
    }

    // Measure everything.
    const rootStyle = getComputedStyle(document.documentElement);
    const fontSize = parseFloat(getComputedStyle(body).fontSize);
    const space = fontSize * (parseFloat(rootStyle.getPropertyValue("--note-space")) || 0.9);
    const twoSides = rootStyle.getPropertyValue("--margins").trim() === "2";
    const shownLines = parseFloat(getComputedStyle(body).getPropertyValue("--gloss-lines")) || REST_LINES;
    const origin = body.getBoundingClientRect();
    const article = body.closest("article") || body;
    const floor = article.getBoundingClientRect().top - origin.top;
    const textBottom = lastTextBottom() - origin.top;
    // The text column's middle: the text starts at the body's right on a right-to-left page.
    const column = body.firstElementChild.getBoundingClientRect();
    const middle = (column.left + column.right) / 2;
    const rtl = getComputedStyle(body).direction === "rtl";
    const measured = notes.map((item, index) => {
      const term = active?.id === item.id ? active.term : item.terms[0];
      const line = term.getClientRects()[0] || term.getBoundingClientRect();
      const style = getComputedStyle(item.note);
      const lineHeight = parseFloat(style.lineHeight) || fontSize * 1.45;
      const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
      const height = item.toggle.offsetHeight;
      const isOpen = active?.id === item.id;
      // At rest the term and its gloss are one run of lines, cut to a number
      // of them; scrollHeight still holds all of it.
      const content = isOpen ? 0 : item.note.scrollHeight - padding;
      if (!isOpen) restCache.set(item.id, {content, padding, lineHeight});
      const rest = restCache.get(item.id);
      return {
        item, index,
        target: line.top - origin.top,
        // Whether the term is in the half of the line where lines start.
        start: ((line.left + line.right) / 2 < middle) !== rtl,
        top: item.toggle.getBoundingClientRect().top - origin.top,
        full: height,
        // The height at rest with n lines (as measured, when n lines are shown).
        rest: (n) => !isOpen && n === shownLines ? height
          : rest ? rest.padding + Math.min(rest.content, n * rest.lineHeight) : height,
        clamped: (n) => rest ? rest.content > n * rest.lineHeight + 1 : false,
      };
    });

    // Compute: the resting layout at full gloss, or shorter glosses if crowded.
    const limit = window.innerHeight * CROWDED;
    let lines = REST_LINES;
    let plan = plan_(measured, lines);
    if (plan.worst > limit || plan.bottom - textBottom > limit) {
      const tighter = plan_(measured, CROWDED_LINES);
      if (tighter.worst < plan.worst) [plan, lines] = [tighter, CROWDED_LINES];
    }
    function plan_(all, n) {
      const heights = all.map((m) => m.rest(n));
      const assigned = active && sides.size ? sides : assignSides(all, heights, twoSides, space);
      const tops = new Array(all.length);
      for (const side of ["start", "end"]) {
        const mine = all.filter((m) => assigned.get(m.item.id) === side);
        placeSide(mine, heights, tops, side);
      }
      let worst = 0;
      let bottom = -Infinity;
      for (const m of all) {
        worst = Math.max(worst, Math.abs(tops[m.index] - m.target));
        bottom = Math.max(bottom, tops[m.index] + heights[m.index]);
      }
      return {tops, heights, assigned, worst, bottom};
    }
    function placeSide(mine, heights, tops, side) {
      let at = mine.findIndex((m) => m.item.id === active?.id);
      if (at >= 0 && active.term !== mine[at].item.terms[0]) {
        // Active at a later occurrence: among the others, it goes where that line is.
        const [moved] = mine.splice(at, 1);
        at = mine.findIndex((m) => m.target > moved.target);
        if (at < 0) at = mine.length;
        mine.splice(at, 0, moved);
      }
      if (at < 0) {
        stackDown(mine.map((m) => [m.target, heights[m.index]]), floor, space)
          .forEach((top, i) => { tops[mine[i].index] = top; });
        return;
      }
      // The active note is fixed, whole; the notes before it end above it,
      // the notes after it start below it.
      const fixed = mine[at];
      const top = active.anchor === "term" ? fixed.target : fixed.top;
      heights[fixed.index] = fixed.full;
      tops[fixed.index] = top;
      const before = mine.slice(0, at);
      stackUp(before.map((m) => [m.target, heights[m.index]]), top, space)
        .forEach((t, i) => { tops[before[i].index] = t; });
      const after = mine.slice(at + 1);
      stackDown(after.map((m) => [m.target, heights[m.index]]), top + fixed.full + space, space)
        .forEach((t, i) => { tops[after[i].index] = t; });
    }
    if (!active) sides = plan.assigned;

    // Write everything.
    body.style.setProperty("--gloss-lines", String(lines));
    let bottom = 0;
    for (const m of measured) {
      const {toggle, note} = m.item;
      toggle.classList.toggle("on-start", plan.assigned.get(m.item.id) === "start");
      toggle.style.transform = `translateY(${Math.round(plan.tops[m.index])}px)`;
      note.classList.toggle("is-clamped", m.clamped(lines));
      bottom = Math.max(bottom, plan.tops[m.index] + plan.heights[m.index]);
    }
    body.style.minHeight = `${Math.ceil(bottom)}px`;
    performance.measure("notes-layout", {start: started, end: performance.now()});
  }

  // The bottom of the text itself, which the notes' own min-height must not count.
  function lastTextBottom() {
    let bottom = 0;
    for (const child of body.children) {
      const block = child.classList.contains("noted") ? child.firstElementChild : child;
      bottom = Math.max(bottom, block.getBoundingClientRect().bottom);
    }
    return bottom;
  }

  // Each note in term order goes to the margin where it would be pushed down
  // least; when both would do (within a line), to the side its term is on. With
  // one margin, the one after the lines' ends.
  function assignSides(all, heights, twoSides, space) {
    const assigned = new Map();
    const bottoms = {start: -Infinity, end: -Infinity};
    const order = [...all].sort((a, b) => a.target - b.target || a.index - b.index);
    for (const m of order) {
      let side = "end";
      if (twoSides) {
        const push = (s) => Math.max(0, bottoms[s] - m.target);
        const near = m.start ? "start" : "end";
        const far = near === "start" ? "end" : "start";
        side = push(far) + heights[m.index] / 4 < push(near) ? far : near;
      }
      assigned.set(m.item.id, side);
      bottoms[side] = Math.max(m.target, bottoms[side]) + heights[m.index] + space;
    }
    return assigned;
  }

  // Tops for boxes [target, height] in order, as near their targets as they
  // can be (least squares) with none above `floor` and none overlapping: pool
  // adjacent violators, each run of touching boxes centred on its members'
  // wishes. Linear in the number of boxes.
  function stackDown(boxes, floor, space) {
    const runs = []; // {first, count, wish (sum of wished tops of the run), height}
    boxes.forEach(([target, height], i) => {
      let run = {first: i, count: 1, wish: target, height: height + space};
      for (;;) {
        run.top = Math.max(floor, run.wish / run.count);
        const previous = runs[runs.length - 1];
        if (!previous || previous.top + previous.height <= run.top) break;
        runs.pop();
        run = {
          first: previous.first,
          count: previous.count + run.count,
          wish: previous.wish + run.wish - run.count * previous.height,
          height: previous.height + run.height,
        };
      }
      runs.push(run);
    });
    const tops = [];
    for (const run of runs) {
      let top = run.top;
      for (let i = run.first; i < run.first + run.count; i++) {
        tops.push(top);
        top += boxes[i][1] + space;
      }
    }
    return tops;
  }

  // The same, for boxes that must all end above `ceiling`: stackDown on the
  // page turned upside down.
  function stackUp(boxes, ceiling, space) {
    const flipped = boxes.map(([target, height]) => [-(target + height + space), height]).reverse();
    return stackDown(flipped, -ceiling, space)
      .map((top, i) => -(top + flipped[i][1] + space))
      .reverse();
  }

  function unplace() {
    body.classList.remove("notes-aligned", "notes-animate");
    body.style.minHeight = "";
    body.style.removeProperty("--gloss-lines");
    for (const {toggle, note} of notes) {
      toggle.style.transform = "";
      toggle.classList.remove("on-start");
      note.classList.remove("is-open", "is-clamped");
    }
  }

  // The active note.

  // `term`: the occurrence that activates it; by default the one it is
  // already active for, or else the one it follows (the first, which it rests
  // beside, but on narrow screens where it was opened after another's block:
  // focus going into a note reopened by keyboard must not send "Back to the
  // text" to the first).
  function activate(id, anchor, pinned = false, term = null) {
    clearTimeout(leaveTimer);
    clearTimeout(intentTimer);
    const same = active?.id === id;
    term = term || (same ? active.term : byId.get(id).at);
    if (same && active.anchor === "term") anchor = "term";
    if (same && active.term === term && active.anchor === anchor && active.pinned === pinned) return;
    active = {id, term, anchor, pinned: pinned || (same && active.pinned)};
    backTo(byId.get(id), term);
    highlight();
    schedule(true);
  }

  function deactivate() {
    clearTimeout(leaveTimer);
    clearTimeout(intentTimer);
    if (!active) return;
    active = null;
    highlight();
    schedule(true);
  }

  // On narrow screens there is no layout; the highlight alone shows the pair.
  function highlight() {
    for (const item of notes) {
      const on = active?.id === item.id;
      item.note.classList.toggle("is-active", on);
      for (const term of item.terms) term.classList.toggle("is-active", on);
    }
  }

  // Whether keyboard focus is inside the active note: cut back to its gloss, the
  // focused control in it could be hidden, and focus would fall to the page.
  function focusedIn() {
    return Boolean(active && byId.get(active.id).toggle.contains(document.activeElement));
  }

  function leaveSoon() {
    clearTimeout(intentTimer);
    clearTimeout(leaveTimer);
    leaveTimer = setTimeout(() => {
      if (active && !active.pinned && !byId.get(active.id)?.note.contains(document.activeElement)
          && !byId.get(active.id)?.terms.includes(document.activeElement)) deactivate();
    }, LEAVE_GRACE_MS);
  }

  // The occurrence of its term a note was opened from: focus goes back to it
  // when the note closes, and the note's "Back to the text" leads to it.
  function openedFrom(item, term) {
    item.opener = term;
    backTo(item, term);
  }

  function backTo(item, term) {
    if (term.id) item.back?.setAttribute("href", `#${term.id}`);
  }

  // Narrow screens open a note in place, after the block of the occurrence
  // tapped: an `at: every` note moves there, and back after its first
  // occurrence's block (where the page put it, and wide screens want it) when
  // it closes. One element moves, so its ids and the terms' references to it hold.
  function blockOf(term) {
    let block = term;
    while (block.parentElement !== body && !block.parentElement.matches(".article-body > .noted")) {
      block = block.parentElement;
    }
    return block;
  }

  // Moves the note after `term`'s block, among the notes there in the order of
  // their terms; returns whether it moved.
  function placeAfter(item, term) {
    const {toggle} = item;
    const block = blockOf(term);
    if (block === blockOf(item.at)) {
      item.at = term;
      return false;
    }
    if (!item.home) {
      item.home = document.createComment(` ${item.id} `);
      toggle.before(item.home);
    }
    item.at = term;
    if (block === blockOf(item.terms[0])) {
      item.home.after(toggle);
      return true;
    }
    // The notes already after the block: in its .notes, or placed after a bare block.
    const box = block.nextElementSibling?.matches(".notes") ? block.nextElementSibling : null;
    const others = [];
    for (let next = box ? box.firstElementChild : block.nextElementSibling;
      next?.matches(".note-toggle"); next = next.nextElementSibling) {
      if (next !== toggle) others.push(next);
    }
    const follows = (other) => {
      const at = notes.find((n) => n.toggle === other)?.at;
      return at && term.compareDocumentPosition(at) & Node.DOCUMENT_POSITION_FOLLOWING;
    };
    const before = others.find(follows);
    if (before) before.before(toggle);
    else if (others.length) others[others.length - 1].after(toggle);
    else if (box) box.prepend(toggle);
    else block.after(toggle);
    return true;
  }

  function goHome(item) {
    if (item.home && blockOf(item.at) !== blockOf(item.terms[0])) item.home.after(item.toggle);
    item.at = item.terms[0];
  }

  // Putting a note away (its ×, Esc) with keyboard focus inside it: focus goes
  // back to its term, not to the top of the page when a closing note's × hides,
  // nor left in a margin note that is no longer active. Only narrow screens close it.
  function close(item) {
    if (item.toggle.contains(document.activeElement)) item.opener.focus();
    if (!wide.matches) item.toggle.open = false;
  }

  // The note a link leads to (search results link to notes) is shown whole:
  // opened in place on narrow screens, beside its term on wide ones, placed
  // at once rather than moved there. Returns it, or null.
  function followHash() {
    let id = location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch { /* a malformed fragment: no note's */ }
    const item = byId.get(id);
    if (!item) return followRef(id);
    goHome(item);
    openedFrom(item, item.terms[0]);
    item.toggle.open = true;
    activate(item.id, "term", true, item.terms[0]);
    animate = false;
    layout();
    return item;
  }

  // A link to one occurrence of a term (the terms page lists every place it
  // occurs) shows its note level with it on wide screens; on narrow ones the
  // reader is brought to the text, and the note is a tap away.
  function followRef(id) {
    const term = document.getElementById(id);
    const item = term?.matches("a.term") ? byId.get(term.dataset.note) : null;
    if (!item || !wide.matches) return null;
    openedFrom(item, term);
    activate(item.id, "term", true, term);
    animate = false;
    layout();
    return null; // the browser has scrolled to the term, which does not move
  }

  function describeState() {
    for (const item of notes) {
      for (const term of item.terms) {
        term.setAttribute("aria-controls", item.id);
        if (wide.matches) term.removeAttribute("aria-expanded");
        else term.setAttribute("aria-expanded", String(item.toggle.open));
      }
    }
  }

  for (const item of notes) {
    const {id, toggle, note, terms} = item;
    const summary = toggle.querySelector(":scope > summary"); // the × on narrow screens
    toggle.addEventListener("toggle", () => {
      if (!toggle.open) goHome(item);
      describeState();
      schedule();
    });
    summary?.addEventListener("click", (event) => {
      if (!toggle.open) return;
      event.preventDefault();
      close(item);
    });
    for (const term of terms) {
      term.addEventListener("mouseenter", () => {
        clearTimeout(leaveTimer);
        clearTimeout(intentTimer);
        if (active?.id === id && active.term === term) return;
        if (focusedIn()) return; // a pointer passing by takes no note from the keyboard
        intentTimer = setTimeout(() => activate(id, "term", false, term), HOVER_INTENT_MS);
      });
      term.addEventListener("mouseleave", leaveSoon);
      term.addEventListener("focus", () => { openedFrom(item, term); activate(id, "term", false, term); });
      term.addEventListener("click", (event) => {
        openedFrom(item, term);
        if (wide.matches) {
          // The note is already beside the term: no jump to it.
          event.preventDefault();
          activate(id, "term", true, term);
        } else {
          event.preventDefault();
          // Tapped again where it is open, it closes; elsewhere it moves there, open.
          toggle.open = placeAfter(item, term) || !toggle.open;
          // The note opens after its block, perhaps below the screen: bring it into
          // view, as following the link would (all of it if it fits, else its start).
          const box = toggle.getBoundingClientRect();
          if (toggle.open && (box.top < 0 || box.bottom > window.innerHeight)) {
            toggle.scrollIntoView({block: box.height <= window.innerHeight ? "nearest" : "start"});
          }
          // Opened by keyboard (a click no pointer made): the note is not next to its
          // term in the focus order, its block's other terms come first (WCAG 2.4.3,
          // failure F85), so focus goes into it, to its first control, the ×. Tab
          // goes on into the note, the key that opened it closes it, and focus
          // returns to the term (close()).
          if (toggle.open && event.detail === 0) summary?.focus({preventScroll: true});
        }
      });
    }
    note.addEventListener("mouseenter", () => {
      clearTimeout(leaveTimer);
      clearTimeout(intentTimer);
      if (active?.id !== id && !focusedIn()) intentTimer = setTimeout(() => activate(id, "self"), HOVER_INTENT_MS);
    });
    note.addEventListener("mouseleave", leaveSoon);
    note.addEventListener("focusin", () => activate(id, "term"));
    note.addEventListener("click", (event) => {
      // Any click but on a link of the note's own text; the term's name at
      // its head leads back to the term, which is right beside it here.
      const link = event.target.closest("a");
      if (!wide.matches || (link && !link.closest(".note-term"))) return;
      event.preventDefault();
      activate(id, "term", true);
    });
  }

  body.addEventListener("focusout", (event) => {
    const to = event.relatedTarget;
    const item = active && byId.get(active.id);
    if (!item || active.pinned) return;
    if (to && (item.toggle.contains(to) || item.terms.includes(to))) return;
    deactivate();
  });
  // What Tab can reach in an element, in order (a closed note's content is not shown).
  const FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])";
  const focusable = (root) => [...root.querySelectorAll(FOCUSABLE)].filter((el) => el.getClientRects().length);

  // A note opened by keyboard is entered (its × takes focus), but it sits after its
  // term's whole block: Tab out of its end goes on to the terms after the one it was
  // opened from in that block, Shift+Tab out of its start back to that term, as if
  // the note were right after it (WCAG 2.4.3). Returns whether it moved focus.
  function tabOut(event) {
    const from = document.activeElement;
    const item = notes.find((n) => n.toggle.contains(from)); // its × is not in the note
    if (wide.matches || !item?.toggle.open || !item.opener) return false;
    const inside = focusable(item.toggle);
    if (event.shiftKey && from === inside[0]) {
      item.opener.focus();
      return true;
    }
    if (event.shiftKey || from !== inside[inside.length - 1]) return false;
    const everything = focusable(document);
    const next = everything[everything.indexOf(item.opener) + 1];
    if (!next || !(next.compareDocumentPosition(item.toggle) & Node.DOCUMENT_POSITION_FOLLOWING)) {
      return false; // nothing between the term and its note: Tab goes on past the note
    }
    next.focus();
    return true;
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "Tab" && tabOut(event)) {
      event.preventDefault();
      return;
    }
    if (event.key === "Escape" && active) {
      close(byId.get(active.id)); // before deactivate(): focusing the term activates it
      deactivate();
      return;
    }
    // A link answers Enter; a term is also a toggle on narrow screens, so Space works too.
    if (event.key === " " && event.target.matches?.("a.term") && !wide.matches) {
      event.preventDefault();
      event.target.click();
    }
  });
  document.addEventListener("click", (event) => {
    if (active && !event.target.closest?.("a.term, .note")) deactivate();
    // A link to the note already in the address (a search result followed again
    // after the note was closed) changes no hash, so no hashchange comes: show the
    // note now, and the browser, following the link, scrolls to it. A click with a
    // modifier opens the link elsewhere.
    const link = event.target.closest?.("a[href]");
    const modified = event.ctrlKey || event.metaKey || event.shiftKey || event.altKey;
    if (link?.href === location.href && !event.defaultPrevented && !modified) followHash();
  });

  const refresh = () => { describeState(); schedule(); };
  wide.addEventListener("change", () => {
    // Widened, every note goes back beside its first occurrence; narrowed again,
    // a note left open goes back after the occurrence it was opened from.
    for (const item of notes) {
      if (wide.matches) goHome(item);
      else if (item.toggle.open) placeAfter(item, item.opener);
    }
    sides = new Map();
    refresh();
  });
  const resized = new ResizeObserver(() => { if (!active) sides = new Map(); schedule(); });
  resized.observe(body);
  for (const child of body.children) resized.observe(child.classList.contains("noted") ? child.firstElementChild : child);
  document.fonts?.addEventListener?.("loadingdone", () => schedule());
  document.fonts?.ready.then(() => schedule());
  window.addEventListener("load", () => schedule());
  // On load the browser scrolls to the note in its place; on a change of
  // hash it has already scrolled to where the note was before it moved.
  window.addEventListener("hashchange", () => followHash()?.note.scrollIntoView());
  describeState();
  layout();
  followHash();
})();
