/* Site search: a search box in the header, over the Pagefind bundle that
   site_builder/search.py writes into the site's pagefind/ folder.

   The header holds a link to the terms page. It stays a link without script,
   over file:// (browsers refuse to fetch the index from files) and when the
   bundle does not load; the box takes its place only once the bundle has loaded.

   A result names its article and says where the words were found: in the text,
   or in a note, linking to the note itself. Pagefind gives each page's text as
   one run of words, the positions of the hits in it, and the position where each
   element with an id starts; a note is the run from its <aside id="note-…"> to
   its end marker <span id="note-…--end"> (templates/note.html). */
(() => {
  "use strict";

  const WAIT_MS = 150;         // a pause in typing this long starts a search; keystrokes before it do not
  const PAGES = 8;             // results whose words are loaded: the index is fetched in chunks, per result
  const GIVE_UP_MS = 8000;     // a search with no answer by then has failed (its index is gone)
  const NOTES_PER_PAGE = 3;    // note hits listed under one article, the best-placed first
  const CONTEXT = 10;          // words shown either side of a hit
  const END = "--end";         // the suffix of a note's end marker id
  const TERM = "--term";       // the suffix of the id of the element holding a note's term

  const holder = document.querySelector("[data-search-bundle]");
  if (!holder || location.protocol === "file:") return;

  import(new URL(holder.dataset.searchBundle, document.baseURI).href).then(
    (pagefind) => replaceLink(pagefind),
    () => {} /* no bundle (not built, or not served): the link stays */
  );

  function replaceLink(pagefind) {
    // The box adds no text to the page at rest: the link stays, hidden, and the box is
    // labelled by an attribute. So the page's text, which the positions in
    // annotations.jsonld count in, is the same with script as without.
    const box = element("div", { class: "search-box", role: "search" });
    const input = element("input", {
      id: "site-search", type: "search", placeholder: "Search", autocomplete: "off",
      spellcheck: "false", "aria-controls": "site-search-results",
      "aria-label": "Search the readings",
    });
    const panel = element("div", { id: "site-search-results", class: "search-results", hidden: "" });
    const status = element("p", { class: "search-status", role: "status" });
    const list = element("ol", { class: "search-list" });
    panel.append(status, list);
    box.append(input, panel);
    for (const link of holder.querySelectorAll(".search-fallback")) link.hidden = true;
    holder.append(box);

    let timer = 0;
    let latest = 0; // the newest search: an older one finishing late is dropped
    let found = { hits: [], query: "", more: "" }; // the newest search's places
    // "Only notes": made with the first results (no text in the page at rest, see above).
    let notesOnly = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const query = input.value.trim();
      if (!query) { close(); return; }
      pagefind.preload(query);
      timer = setTimeout(() => run(query), WAIT_MS);
    });
    input.addEventListener("focus", () => { if (input.value.trim() && list.childElementCount) open(); });

    box.addEventListener("keydown", (event) => {
      const links = [...list.querySelectorAll("a")];
      const at = links.indexOf(document.activeElement);
      if (event.key === "Escape") {
        // Focus first: the box's focus handler opens the results Esc closes.
        const shown = !panel.hidden;
        input.focus();
        if (shown) close(); else input.value = "";
      } else if (event.key === "ArrowDown" && links.length) {
        open(); // closed by Esc: the results come back
        links[Math.min(at + 1, links.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        (at === 0 ? input : links[at - 1]).focus();
      } else {
        return;
      }
      event.preventDefault();
    });
    box.addEventListener("focusout", (event) => {
      if (!box.contains(event.relatedTarget)) close();
    });

    async function run(query) {
      const mine = ++latest;
      open();
      status.textContent = "Searching…";
      let search, pages;
      try {
        search = await within(pagefind.search(query));
        pages = await within(Promise.all(search.results.slice(0, PAGES).map((result) => result.data())));
      } catch (error) {
        // The index was rewritten under the page (a rebuild under `serve`): the parts this
        // page's copy of it names are gone. Say so rather than search for ever.
        if (mine === latest) status.textContent = "The search index has changed: reload the page to search again.";
        return;
      }
      if (mine !== latest) return;
      const more = search.results.length > PAGES ? ` (the best ${PAGES} of ${search.results.length} articles)` : "";
      found = { hits: pages.flatMap(hitsOf), query, more };
      if (!notesOnly) {
        notesOnly = element("input", { type: "checkbox", class: "search-notes-only" });
        notesOnly.addEventListener("change", show);
        const label = element("label", { class: "search-filter" });
        label.append(notesOnly, " Only notes");
        panel.prepend(label);
      }
      show();
    }

    function show() {
      const hits = notesOnly && notesOnly.checked ? found.hits.filter((hit) => hit.note) : found.hits;
      list.replaceChildren(...hits.map(item));
      const where = notesOnly && notesOnly.checked ? " in notes" : "";
      status.textContent = hits.length
        ? `${hits.length} ${hits.length === 1 ? "place" : "places"} found${where}${found.more}`
        : `Nothing found${where} for “${found.query}”`;
    }

    /* A search that neither answers nor fails within GIVE_UP_MS has failed. */
    function within(promise) {
      let timer;
      const late = new Promise((_, fail) => { timer = setTimeout(() => fail(new Error("no answer")), GIVE_UP_MS); });
      return Promise.race([promise, late]).finally(() => clearTimeout(timer));
    }

    // No aria-expanded: a search box may not carry it; the status line speaks instead.
    function open() { panel.hidden = false; }
    function close() { panel.hidden = true; }
  }

  /* Where in one page the words were found: in the text (once), and in each note. */
  function hitsOf(page) {
    const words = page.content.split(" ");
    const notes = notesOf(page.anchors);
    const inText = [];
    const inNote = new Map();
    for (const at of page.locations) {
      const note = notes.find((n) => n.start <= at && at < n.end);
      if (!note) inText.push(at);
      else if (!inNote.has(note)) inNote.set(note, at);
    }
    const title = page.meta.title || page.url;
    const found = new Set(page.locations);
    const hits = [];
    if (inText.length) {
      hits.push({ title, url: page.url, where: "in the text", words: excerpt(words, found, inText[0], 0, words.length) });
    }
    for (const [note, at] of [...inNote].slice(0, NOTES_PER_PAGE)) {
      hits.push({
        title, url: `${page.url}#${note.id}`, where: `in the note on ${note.term}`, note: true,
        words: excerpt(words, found, at, note.start, note.end),
      });
    }
    return hits;
  }

  /* Each note's id, its term, and the run of words it spans. */
  function notesOf(anchors) {
    const byId = new Map(anchors.map((a) => [a.id, a]));
    return anchors
      .filter((a) => a.element === "aside" && byId.has(a.id + END))
      .map((a) => ({
        id: a.id,
        term: (byId.get(a.id + TERM) || {}).text || "a term",
        start: a.location,
        end: byId.get(a.id + END).location,
      }));
  }

  /* The words around a hit, within [from, to), each hit marked. */
  function excerpt(words, found, at, from, to) {
    const start = Math.max(from, at - CONTEXT);
    const end = Math.min(to, at + CONTEXT + 1);
    return {
      before: start > from, after: end < to,
      words: words.slice(start, end).map((text, i) => ({ text, hit: found.has(start + i) })),
    };
  }

  function item(hit) {
    const link = element("a", { href: hit.url });
    link.append(element("span", { class: "search-title" }, hit.title), " ",
                element("span", { class: "search-where" }, hit.where));
    const text = element("p", { class: "search-excerpt" });
    if (hit.words.before) text.append("… ");
    hit.words.words.forEach((word, i) => {
      if (i) text.append(" ");
      text.append(word.hit ? element("mark", {}, word.text) : word.text);
    });
    if (hit.words.after) text.append(" …");
    const li = element("li");
    li.append(link, text);
    return li;
  }

  function element(tag, attributes = {}, text = "") {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
    if (text) el.textContent = text;
    return el;
  }
})();
