"""The W3C Web Annotations re-anchored in Chromium, as a client such as Hypothesis
would: found from the page's `<link rel="alternate">`, fetched, and each target's
TextPositionSelector and TextQuoteSelector applied to `document.body.textContent`,
landing on its term's link (`a.term`, the note's links taken in the page's order)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from site_builder.annotations import page_text

from .conftest import CODE_PAGE, DENSE_PAGE, HARD_PAGE, SEED_PAGE, OpenPage

# Runs in the page: every target of every annotation, re-anchored from its selectors.
# Selector offsets count code points (the model's rule); JavaScript strings count
# UTF-16 units, so offsets are turned into units first.
REANCHOR = """async () => {
  const link = document.querySelector('link[rel="alternate"][type="application/ld+json"]');
  const page = await (await fetch(link.href)).json();
  const text = document.body.textContent;
  const units = [0];
  for (const ch of text) units.push(units[units.length - 1] + ch.length);
  const nodes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(), at = 0; n; at += n.data.length, n = walker.nextNode()) {
    nodes.push([n, at]);
  }
  const point = (offset, isEnd) => {
    const found = nodes.find(([n, at]) =>
      isEnd ? offset <= at + n.data.length : offset < at + n.data.length);
    return [found[0], offset - found[1]];
  };
  const results = [];
  for (const annotation of page.items) {
    const note = annotation.id.split("#").pop();
    const links = [...document.querySelectorAll(`a.term[data-note="${note}"]`)];
    annotation.target.forEach((target, index) => {
      const by = Object.fromEntries(target.selector.map((s) => [s.type, s]));
      const position = by.TextPositionSelector, quote = by.TextQuoteSelector;
      const start = units[position.start], end = units[position.end];
      const range = document.createRange();
      range.setStart(...point(start, false));
      range.setEnd(...point(end, true));
      const expected = links[index];
      const whole = quote.prefix + quote.exact + quote.suffix;
      const quoted = [];
      for (let at = text.indexOf(whole); at !== -1; at = text.indexOf(whole, at + 1)) {
        quoted.push(at + quote.prefix.length);
      }
      results.push({
        note,
        links: links.length,
        targets: annotation.target.length,
        source: target.source,
        exact: quote.exact,
        byPosition: range.toString(),
        inLink: !!expected && expected.contains(range.startContainer)
          && expected.contains(range.endContainer),
        linkText: expected ? expected.textContent : null,
        quoted,
        start,
      });
    });
  }
  const canonical = document.querySelector('link[rel="canonical"]');
  return {text, count: page.items.length, results, canonical: canonical && canonical.href};
}"""


def reanchor(page: Any) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(REANCHOR)
    return result


@pytest.mark.parametrize(
    ("path", "notes"), [(SEED_PAGE, 14), (HARD_PAGE, None), (DENSE_PAGE, 20), (CODE_PAGE, None)]
)
def test_every_annotation_re_anchors_on_its_term_in_the_dom(
    open_page: OpenPage, sites: Path, path: str, notes: int | None
) -> None:
    page = open_page(path, 1440, 900)
    found = reanchor(page)
    # Python's reading of the built file is the DOM's, character for character.
    built = (sites / path).read_text(encoding="utf-8")
    assert found["text"] == page_text(built).text
    assert found["count"] == (notes if notes is not None else found["count"]) > 0
    for result in found["results"]:
        assert result["links"] == result["targets"], result
        # The page's canonical address, or its name relative to the annotations' file.
        assert result["source"] == (found["canonical"] or "index.html"), result
        assert result["byPosition"] == result["exact"] == result["linkText"], result
        assert result["inLink"], result
        assert result["quoted"] == [result["start"]], result
