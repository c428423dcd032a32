// Notes refined by script. Without it the page already works (see site.css);
// with it, on wide screens each margin note sits level with its term's line and
// pushes later notes down so none overlap; on narrow screens a term toggles its
// note open and closed; hovering or focusing a term highlights its note, and
// the note its terms.
(() => {
  "use strict";
  const body = document.querySelector(".article-body");
  if (!body) return;
  const wide = window.matchMedia("(min-width: 1200px)");
  const notes = new Map(); // note id -> its <details>
  for (const toggle of body.querySelectorAll("details.note-toggle")) {
    const note = toggle.querySelector(".note");
    if (note) notes.set(note.id, toggle);
  }
  const termsOf = (id) => body.querySelectorAll(`a.term[data-note="${CSS.escape(id)}"]`);

  // Browsers without ::details-content cannot show a closed note in the margin: open them.
  const showsClosedContent = CSS.supports("selector(::details-content)");

  function align() {
    if (!wide.matches) {
      body.classList.remove("notes-aligned");
      body.style.minHeight = "";
      for (const toggle of notes.values()) toggle.style.top = "";
      return;
    }
    body.classList.add("notes-aligned");
    if (!showsClosedContent) for (const toggle of notes.values()) toggle.open = true;
    const space = parseFloat(getComputedStyle(body).fontSize) *
      (parseFloat(getComputedStyle(document.documentElement).getPropertyValue("--note-space")) || 0.9);
    const origin = body.getBoundingClientRect().top;
    let bottom = -Infinity;
    for (const [id, toggle] of notes) {
      const term = termsOf(id)[0];
      if (!term) continue;
      const line = term.getClientRects()[0] || term.getBoundingClientRect();
      const top = Math.max(line.top - origin, bottom + space);
      toggle.style.top = `${top}px`;
      bottom = top + toggle.getBoundingClientRect().height;
    }
    body.style.minHeight = bottom > 0 ? `${Math.ceil(bottom)}px` : "";
  }

  function describeState() {
    for (const [id, toggle] of notes) {
      for (const term of termsOf(id)) {
        term.setAttribute("aria-controls", id);
        if (wide.matches) term.removeAttribute("aria-expanded");
        else term.setAttribute("aria-expanded", String(toggle.open));
      }
    }
  }

  function highlight(id, on) {
    for (const term of termsOf(id)) term.classList.toggle("is-active", on);
    notes.get(id)?.querySelector(".note")?.classList.toggle("is-active", on);
  }

  body.addEventListener("click", (event) => {
    const term = event.target.closest("a.term");
    const toggle = term && notes.get(term.dataset.note);
    if (!toggle || wide.matches) return;
    event.preventDefault();
    toggle.open = !toggle.open;
    // The note opens after its block, perhaps below the screen: bring it into
    // view, as following the link would (all of it if it fits, else its start).
    const box = toggle.getBoundingClientRect();
    if (toggle.open && (box.top < 0 || box.bottom > window.innerHeight)) {
      toggle.scrollIntoView({ block: box.height <= window.innerHeight ? "nearest" : "start" });
    }
  });
  body.addEventListener("keydown", (event) => {
    // A link answers Enter; a term is also a toggle, so Space works too.
    if (event.key === " " && event.target.matches("a.term") && !wide.matches) {
      event.preventDefault();
      event.target.click();
    }
  });
  for (const [id, toggle] of notes) {
    toggle.addEventListener("toggle", describeState);
    const note = toggle.querySelector(".note");
    note.addEventListener("mouseenter", () => highlight(id, true));
    note.addEventListener("mouseleave", () => highlight(id, false));
    for (const term of termsOf(id)) {
      term.addEventListener("mouseenter", () => highlight(id, true));
      term.addEventListener("mouseleave", () => highlight(id, false));
      term.addEventListener("focus", () => highlight(id, true));
      term.addEventListener("blur", () => highlight(id, false));
    }
  }

  const refresh = () => { align(); describeState(); };
  wide.addEventListener("change", refresh);
  new ResizeObserver(align).observe(body);
  document.fonts?.ready.then(align);
  window.addEventListener("load", align);
  refresh();
})();
