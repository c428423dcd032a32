// site-builder serve: live reload. Injected into served pages only, never into a build.
(() => {
  "use strict";
  // How many reloads the server had sent when it served this page: it tells of any
  // since that name it, sent while the page was on its way.
  const events = new EventSource("/__site-builder/events?since=__SINCE__");
  let overlay;
  // A reload names the pages it is for (their paths, /index.html in full), or none: all.
  events.addEventListener("reload", (event) => {
    const here = location.pathname.endsWith("/")
      ? location.pathname + "index.html"
      : location.pathname;
    if (!event.data || JSON.parse(event.data).includes(here)) location.reload();
  });
  events.addEventListener("problems", (event) => {
    const problems = JSON.parse(event.data);
    overlay?.remove();
    if (!problems.length) return;
    overlay = document.createElement("div");
    overlay.id = "site-builder-errors";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText =
      "position:fixed;inset:0 0 auto 0;z-index:99999;max-height:60vh;overflow:auto;" +
      "margin:0;padding:1rem 1.25rem;background:#7a1010;color:#fff;" +
      "font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap";
    overlay.textContent = "site-builder could not build everything:\n\n" + problems.join("\n");
    document.body.append(overlay);
  });
})();
