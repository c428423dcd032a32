"""The hostile corpus, injection and safety part (issue 10): inputs that try to run
script in a reader's browser, break out of an attribute, evaluate a template, or
write outside the site.

Each case is built with `site-builder build` and kept with its exact outcome: the
exit status and every diagnostic, the escaped HTML the page shows, and that no
output file holds an executable form (`output_safety.check_output`: no element or
attribute outside the theme's and markdown's own, no event handler, no script but
the theme's, no `javascript:`, `vbscript:` or `data:` URL however spelt).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Run, make_site, tree
from output_safety import check_output

from site_builder.svg import RUNS

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
# A value that closes a double-quoted attribute, then the element, then opens a script.
BREAKOUT = '"><script>alert(1)</script>'
BREAKOUT_ESCAPED = "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"  # as Jinja escapes it
SINGLE = "' onmouseover='alert(1)"
SINGLE_ESCAPED = "&#39; onmouseover=&#39;alert(1)"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


@dataclass(frozen=True)
class Case:
    files: Mapping[str, str | bytes]
    shows: tuple[str, ...]  # exact HTML the page holds
    page: str = "a/index.html"  # the output file that shows it
    diagnostics: tuple[str, ...] = ()  # every line on stderr
    code: int = 0
    args: tuple[str, ...] = ()  # more arguments to `build`
    # Markup of an executable form that no output file may hold, besides those
    # check_output looks for (copied files aside).
    nowhere: tuple[str, ...] = ("<script>alert", "<img src=x", "<svg", "<iframe")


def article(text: str, notes: str | None = None) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"seeds/a.md": text}
    if notes is not None:
        files["seeds/a.notes.md"] = notes
    return files


def front(field_line: str) -> dict[str, str | bytes]:
    return article(f"---\n{field_line}\n---\nBody text.\n")


def as_text(link: str) -> Case:
    """A link or image refused: the article shows its markdown as text."""
    return Case(article(f"A link: {link}\n"), (f"<p>A link: {link}</p>",))


CASES: dict[str, Case] = {
    # Raw HTML in an article is text.
    "article-inline-script": Case(
        article(f"Before {SCRIPT} after.\n"), (f"<p>Before {ESCAPED} after.</p>",)
    ),
    "article-html-block": Case(
        article('<div onclick="alert(1)">\n<script>\nalert(2)\n</script>\n</div>\n'),
        (
            "<p>&lt;div onclick=&quot;alert(1)&quot;&gt;\n&lt;script&gt;\nalert(2)\n"
            "&lt;/script&gt;\n&lt;/div&gt;</p>",
        ),
    ),
    "article-img-onerror": Case(
        article('An <img src=x onerror="alert(1)"> image.\n'),
        ("<p>An &lt;img src=x onerror=&quot;alert(1)&quot;&gt; image.</p>",),
    ),
    "article-svg-iframe-style": Case(
        article(
            "<svg onload=alert(1)><circle/></svg>\n\n<iframe srcdoc='<script>alert(1)</script>'>"
            "</iframe>\n\n<style>body{background:url(javascript:alert(1))}</style>\n"
        ),
        (
            "<p>&lt;svg onload=alert(1)&gt;&lt;circle/&gt;&lt;/svg&gt;</p>",
            f"<p>&lt;iframe srcdoc='{ESCAPED}'&gt;&lt;/iframe&gt;</p>",
            "<p>&lt;style&gt;body{background:url(javascript:alert(1))}&lt;/style&gt;</p>",
        ),
    ),
    "article-html-comment": Case(
        article(f"<!-- {SCRIPT} -->\n\nText.\n"), (f"<p>&lt;!-- {ESCAPED} --&gt;</p>",)
    ),
    "code-block-closing-its-own-tags": Case(
        article(f'```"><script>alert(1)</script>\ncode </code></pre>{SCRIPT}\n```\n'),
        (
            '<pre><code class="language-&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">'
            f"code &lt;/code&gt;&lt;/pre&gt;{ESCAPED}\n</code></pre>",
        ),
    ),
    "plain-text-markup": Case(
        {
            "seeds/a.txt": "The first paragraph of a scraped text, long enough to be its "
            "body rather than a title line.\n\n"
            f"{SCRIPT} [click](javascript:alert(1)) <iframe src=javascript:alert(2)>\n"
        },
        (f"<p>{ESCAPED} [click](javascript:alert(1)) &lt;iframe src=javascript:alert(2)&gt;</p>",),
    ),
    # Links and images that would run script are text; what stays a link cannot run.
    "link-javascript": as_text("[click](javascript:alert(1))"),
    "link-mixed-case": as_text("[click](JaVaScRiPt:alert(1))"),
    "link-upper-case-with-title": Case(
        article('A link: [click](  JAVASCRIPT:alert(1)  "t")\n'),
        ("<p>A link: [click](  JAVASCRIPT:alert(1)  &quot;t&quot;)</p>",),
    ),
    "link-entity-first-letter": Case(
        article("A link: [click](&#106;avascript:alert(1))\n"),
        ("<p>A link: [click](javascript:alert(1))</p>",),
    ),
    "link-hex-entities": Case(
        article("A link: [click](&#x6A;&#x61;vascript:alert(1))\n"),
        ("<p>A link: [click](javascript:alert(1))</p>",),
    ),
    "link-entity-colon": Case(
        article("A link: [click](javascript&#58;alert(1)) [c2](javascript&colon;alert(1))\n"),
        ("<p>A link: [click](javascript:alert(1)) [c2](javascript:alert(1))</p>",),
    ),
    "link-blank-before-scheme": Case(
        article(
            "A link: [click](&Tab;javascript:alert(1)) [c2](&#x20;javascript:alert(1)) "
            "[c3](\u00a0javascript:alert(1))\n"
        ),
        (
            "<p>A link: [click](\tjavascript:alert(1)) [c2]( javascript:alert(1)) "
            "[c3](\u00a0javascript:alert(1))</p>",
        ),
    ),
    # markdown-it leaves `&#1;` as written: a relative link to a file named `&`.
    "link-control-entity-before-scheme": Case(
        article("A link: [click](&#1;javascript:alert(1))\n"),
        ('<p>A link: <a href="&amp;#1;javascript:alert(1)">click</a></p>',),
        diagnostics=(
            "seeds/a.md:1: warning: link to '&#1;javascript:alert(1)': no file '&' in the "
            "source folder",
        ),
    ),
    # A tab or a newline in the scheme, in angle brackets or as an entity, is kept
    # percent-encoded: `java%09script:` has no scheme (`%` cannot be in one), so it is a
    # relative link to a missing file; the warning shows the character escaped.
    "link-tab-in-scheme": Case(
        article("A link: [click](<java\tscript:alert(1)>) [c2](java&#x09;script:alert(2))\n"),
        (
            '<p>A link: <a href="java%09script:alert(1)">click</a> '
            '<a href="java%09script:alert(2)">c2</a></p>',
        ),
        diagnostics=(
            "seeds/a.md:1: warning: link to 'java%09script:alert(1)': no file "
            "'java\\x09script:alert(1)' in the source folder",
            "seeds/a.md:1: warning: link to 'java%09script:alert(2)': no file "
            "'java\\x09script:alert(2)' in the source folder",
        ),
    ),
    "link-newline-in-scheme": Case(
        article("A link: [click](jav&#x0A;ascript:alert(1)).\n"),
        ('<p>A link: <a href="jav%0Aascript:alert(1)">click</a>.</p>',),
        diagnostics=(
            "seeds/a.md:1: warning: link to 'jav%0Aascript:alert(1)': no file "
            "'jav\\x0aascript:alert(1)' in the source folder",
        ),
    ),
    "link-vbscript": as_text("[click](vbscript:msgbox(1))"),
    "link-data-html": as_text(
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"
    ),
    "link-data-html-inline": Case(
        article(f"A link: [click](data:text/html,{SCRIPT})\n"),
        (f"<p>A link: [click](data:text/html,{ESCAPED})</p>",),
    ),
    "image-javascript": as_text("![img](javascript:alert(1))"),
    "image-data-svg": as_text("![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"),
    "autolink-javascript": Case(
        article("A link: <javascript:alert(1)> <vbscript:msgbox(1)>\n"),
        ("<p>A link: &lt;javascript:alert(1)&gt; &lt;vbscript:msgbox(1)&gt;</p>",),
    ),
    "bare-javascript-url": Case(
        article("A link: javascript:alert(1) and www.example.org\n"),
        (
            '<p>A link: javascript:alert(1) and <a href="http://www.example.org">'
            "www.example.org</a></p>",
        ),
    ),
    "reference-definition-javascript": Case(
        article("A link: [click][r]\n\n[r]: javascript:alert(1)\n"),
        ("<p>A link: [click][r]</p>\n<p>[r]: javascript:alert(1)</p>",),
    ),
    "link-title-and-alt-breaking-quotes": Case(
        article(
            'A [t](https://example.org "a\\" onmouseover=\\"alert(1)") and '
            '![" onerror="alert(1)](https://example.org/p.png) and '
            '[u](https://example.org/"onmouseover="alert(1)).\n'
        ),
        (
            '<a href="https://example.org" title="a&quot; onmouseover=&quot;alert(1)">t</a>',
            '<img src="https://example.org/p.png" alt="&quot; onerror=&quot;alert(1)" />',
            '<a href="https://example.org/%22onmouseover=%22alert(1)">u</a>',
        ),
    ),
    "links-in-notes-and-glossary": Case(
        {
            **article(
                "The probe and the lander.\n",
                "## probe\nA note: [click](javascript:alert(1)) ![i](vbscript:x)\n",
            ),
            "seeds/_glossary.md": "## lander\nA glossary note: [click](data:text/html,x)\n",
        },
        (
            "<p>A note: [click](javascript:alert(1)) ![i](vbscript:x)</p>",
            "<p>A glossary note: [click](data:text/html,x)</p>",
        ),
    ),
    # Raw HTML in notes and the glossary is text.
    "notes-and-glossary-html": Case(
        {
            **article(
                "The probe and the lander.\n",
                f"## probe\nA note {SCRIPT}.\n\n<iframe src=x></iframe>\n",
            ),
            "seeds/_glossary.md": "## lander\n<img src=x onerror=alert(1)>\n",
        },
        (
            f"<p>A note {ESCAPED}.</p>",
            "<p>&lt;iframe src=x&gt;&lt;/iframe&gt;</p>",
            "<p>&lt;img src=x onerror=alert(1)&gt;</p>",
        ),
    ),
    # Front-matter values, with quotes that would close an attribute, are escaped
    # wherever they land.
    "front-title": Case(
        front(f"title: '{BREAKOUT}'"),
        (
            f"<title>{BREAKOUT_ESCAPED} · Annotated readings</title>",
            f'<meta property="og:title" content="{BREAKOUT_ESCAPED}">',
            f"<h1>{BREAKOUT_ESCAPED}</h1>",
        ),
    ),
    "front-title-on-the-reading-list": Case(
        front(f"title: '{BREAKOUT}'"),
        (f'<h2><a href="a/index.html">{BREAKOUT_ESCAPED}</a></h2>',),
        page="index.html",
    ),
    "front-summary": Case(
        front(f"summary: '{BREAKOUT}'"),
        (
            f'<meta name="description" content="{BREAKOUT_ESCAPED}">',
            f'<meta property="og:description" content="{BREAKOUT_ESCAPED}">',
        ),
    ),
    "front-summary-on-the-reading-list": Case(
        front(f"summary: '{BREAKOUT}'"),
        (f'<p class="summary">{BREAKOUT_ESCAPED}</p>',),
        page="index.html",
    ),
    "front-author": Case(
        front(f"author: '{BREAKOUT}'"), (f'<span class="author">{BREAKOUT_ESCAPED}</span>',)
    ),
    "front-source-single-quotes": Case(
        front(f'source: "{SINGLE}"'), (f'<span class="source">{SINGLE_ESCAPED}</span>',)
    ),
    "front-url-not-http": Case(
        front("url: javascript:alert(1)\nsource: Pub"),
        ('<span class="source">Pub</span>',),
        diagnostics=(
            "seeds/a.md:2: warning: url: 'javascript:alert(1)' is not an http(s) address; ignored",
        ),
    ),
    "front-url-breaking-its-attribute": Case(
        front(f"url: 'https://example.org/{BREAKOUT}'\nsource: Pub"),
        (f'<span class="source"><a href="https://example.org/{BREAKOUT_ESCAPED}">Pub</a></span>',),
    ),
    "front-slug-climbing-out": Case(
        front("slug: ../../outside"),
        ('<h2><a href="outside/index.html">a</a></h2>',),
        page="index.html",
        diagnostics=(
            "seeds/a.md:2: warning: slug: '../../outside' is not a plain slug (lower-case words "
            "and hyphens); using 'outside'",
        ),
    ),
    "front-slug-breaking-out": Case(
        front(f"slug: '{BREAKOUT}'"),
        ('<link rel="canonical" href="https://example.org/r/script-alert-1-script/">',),
        page="script-alert-1-script/index.html",
        args=("--site-url", "https://example.org/r/"),
        diagnostics=(
            f"seeds/a.md:2: warning: slug: '{BREAKOUT}' is not a plain slug (lower-case words "
            "and hyphens); using 'script-alert-1-script'",
        ),
    ),
    "front-tags": Case(
        front(f"tags: ['{BREAKOUT}', \"{SINGLE}\"]"),
        (
            f'<a href="../tags/script-alert-1-script/index.html">{BREAKOUT_ESCAPED}</a>',
            f'<a href="../tags/onmouseover-alert-1/index.html">{SINGLE_ESCAPED}</a>',
        ),
    ),
    "front-tags-climbing-out": Case(
        front("tags: ['../../../evil', '..']"),
        ('<p class="tags">Tags: <a href="../tags/evil/index.html">../../../evil</a></p>',),
        diagnostics=(
            "seeds/a.md:2: warning: tags: '..' has no letters or digits to name a page; ignored",
        ),
    ),
    "front-tag-page": Case(
        front(f"tags: ['{BREAKOUT}']"),
        (
            f"<title>{BREAKOUT_ESCAPED} · Tags · Annotated readings</title>",
            f"<h1>Tagged “{BREAKOUT_ESCAPED}”</h1>",
        ),
        page="tags/script-alert-1-script/index.html",
    ),
    "front-date": Case(
        front(f"date: '{BREAKOUT}'"),
        (f'<span class="date">{BREAKOUT_ESCAPED}</span>',),
        diagnostics=(
            f"seeds/a.md:2: warning: date: '{BREAKOUT}' is not an ISO 8601 date such as "
            "2024-05-01 or 2024-05-01 21:00; shown as written, sorted last",
        ),
    ),
    "front-lang": Case(
        front(f"lang: 'en{BREAKOUT}'"),
        ('<html lang="en">',),
        diagnostics=(
            f"seeds/a.md:2: warning: lang: 'en{BREAKOUT}' is not a language tag such as en "
            "or zh-Hans; ignored",
        ),
    ),
    "front-in-the-feed": Case(
        front(f"title: '{BREAKOUT}'\nauthor: \"{SINGLE}\"\nsummary: '<b>{SCRIPT}'"),
        (
            '<title>"&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>',
            "<author><name>' onmouseover='alert(1)</name></author>",
            f"<summary>&lt;b&gt;{ESCAPED}</summary>",
        ),
        page="feed.xml",
        args=("--site-url", "https://example.org/r/"),
    ),
    "notes-front-matter-title": Case(
        article("Body text.\n", f"---\ntitle: '{BREAKOUT}'\n---\n"),
        (f"<h1>{BREAKOUT_ESCAPED}</h1>",),
    ),
    "site-title": Case(
        {**article("Body text.\n"), "site.toml": f"title = '{BREAKOUT}'\n"},
        (
            f"<title>a · {BREAKOUT_ESCAPED}</title>",
            f'<a class="site-title" href="../index.html">{BREAKOUT_ESCAPED}</a>',
        ),
    ),
    # HTML in headings and terms; a term that is `<script>`; ids that try to clash.
    "heading-html": Case(
        article('## Heading <b>bold</b> "><img src=x onerror=alert(1)>\n\nText.\n'),
        (
            '<h2 id="heading-b-bold-b-img-src-x-onerror-alert-1">Heading &lt;b&gt;bold&lt;/b&gt; '
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
            '<a class="heading-link" href="#heading-b-bold-b-img-src-x-onerror-alert-1" '
            'aria-label="Link to this section: Heading &lt;b&gt;bold&lt;/b&gt; '
            '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">#</a></h2>',
        ),
    ),
    "term-script": Case(
        article(f"Text {SCRIPT} here.\n", "## <script>\nA note on the <script> tag.\n"),
        (
            '<p>Text <a class="term" href="#note-script" id="ref-script" data-note="note-script" '
            'aria-describedby="note-script--gloss">&lt;script&gt;</a>alert(1)&lt;/script&gt; '
            "here.</p>",
            '<p class="note-term" id="note-script--term"><a href="#ref-script" '
            'title="Back to the text">&lt;script&gt;</a></p>',
            '<span class="visually-hidden">Close the note on &lt;script&gt;</span>',
            "<p>A note on the &lt;script&gt; tag.</p>",
        ),
    ),
    "term-script-on-the-terms-page": Case(
        article(f"Text {SCRIPT} here.\n", "## <script>\nA note.\n"),
        (
            '<dt id="term-script"><a href="script/index.html">&lt;script&gt;</a></dt>',
            "Text <mark>&lt;script&gt;</mark>alert(1)&lt;/script&gt; here.</a>",
        ),
        page="terms/index.html",
    ),
    "term-and-alias-with-quotes": Case(
        article(
            "Say hello and wave.\n",
            f'## hello\naliases: "{SINGLE}", wave <b>\n\nA greeting {BREAKOUT}.\n',
        ),
        (
            '<a class="term" href="#note-hello" id="ref-hello" data-note="note-hello" '
            'aria-describedby="note-hello--gloss">hello</a>',
            f"<p>A greeting &quot;&gt;{ESCAPED}.</p>",
        ),
    ),
    "note-id-clash": Case(
        article(
            "## Note fn 1\n\nThe fn 1 term.[^1] And main.\n\n[^1]: A footnote.\n",
            "## fn 1\nA term whose id would be the footnote's.\n\n"
            "## main\nA term whose id would be the page's main.\n",
        ),
        (
            '<h2 id="section-note-fn-1">',
            # The term takes the mark of its own spelling (slugs.named_slugs).
            '<a class="term" href="#note-fn-1-12f759" id="ref-fn-1-12f759" '
            'data-note="note-fn-1-12f759" aria-describedby="note-fn-1-12f759--gloss">fn 1</a>',
            '<a class="term" href="#note-fn-1" id="ref-fn-1" data-note="note-fn-1" '
            'aria-describedby="note-fn-1--gloss">',
            '<aside class="note" id="note-main" role="note"',
            '<main id="main">',
        ),
    ),
    # Template syntax in content is text: never evaluated.
    "template-syntax": Case(
        {
            **article(
                "---\ntitle: '{{ 7*7 }}'\n---\nSum {{ 7*7 }} {% raw %} {# c #} {{ site.title }}.\n",
                "## {{ 7*7 }}\nA note {% if true %}{{ config }}{% endif %}.\n",
            ),
            "seeds/_glossary.md": "## Sum\nA glossary note {{ 8*8 }}.\n",
            "site.toml": "title = '{{ 6*6 }} {% raw %}'\n",
        },
        (
            "<h1>{{ 7*7 }}</h1>",
            "<title>{{ 7*7 }} · {{ 6*6 }} {% raw %}</title>",
            "{% raw %} {# c #} {{ site.title }}.</p>",
            "<p>A note {% if true %}{{ config }}{% endif %}.</p>",
            "<p>A glossary note {{ 8*8 }}.</p>",
        ),
        nowhere=("<h1>49", "Sum 49", "note 64", "· 36", "SiteConfig"),  # as if evaluated
    ),
    # Nothing is written outside the output folder; files beside the articles are
    # copied as files, never inlined.
    "file-names-with-dots": Case(
        {
            "seeds/..%2f..%2fescape.md": "Hidden: a name starting with a dot.\n",
            "seeds/a..b.md": "Dots inside a name.\n",
        },
        ("<p>Dots inside a name.</p>",),
        page="a-b/index.html",
    ),
    "file-names-with-markup": Case(
        {
            **article(
                'See ![a](<x" onerror="alert(1).png>) and ![b](%3Cb%3E.png) and [c](<<b>.png>).\n'
            ),
            'seeds/x" onerror="alert(1).png': b"PNG",
            "seeds/<b>.png": b"PNG",
        },
        (
            '<p>See <img src="../_files/x%22%20onerror%3D%22alert%281%29.png" alt="a" /> and '
            '<img src="../_files/%3Cb%3E.png" alt="b" /> and [c](&lt;&lt;b&gt;.png&gt;).</p>',
        ),
    ),
    "links-climbing-out-of-the-sources": Case(
        {
            **article("See [secret](../secret.txt) and ![img](../../etc/passwd).\n"),
            "secret.txt": "not to be published\n",
        },
        (
            '<a href="../secret.txt">secret</a>',
            '<img src="../../etc/passwd" alt="img" />',
        ),
    ),
    "svg-beside-the-article": Case(
        {**article("A picture: ![pic](pic.svg) and [the file](pic.svg).\n"), "seeds/pic.svg": SVG},
        (
            '<img src="../_files/pic.svg" alt="pic" />',
            '<a href="../_files/pic.svg">the file</a>',
        ),
        diagnostics=(
            f"seeds/pic.svg:1: warning: removed <script> ({RUNS})",
            f"seeds/pic.svg:1: warning: removed onload= ({RUNS})",
        ),
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_hostile_input_is_shown_and_never_run(tmp_path: Path, cli: Run, case: Case) -> None:
    make_site(tmp_path, case.files)
    before = sorted(path.name for path in tmp_path.iterdir())
    result = cli("build", *case.args)
    assert result.err.splitlines() == list(case.diagnostics)
    assert result.code == case.code
    out = tmp_path / "_site"
    page = (out / case.page).read_text(encoding="utf-8")
    for html in case.shows:
        assert html in page
    check_output(out)
    for name, content in tree(out).items():
        if name.startswith(("static/", "_files/")):
            continue
        for markup in case.nowhere:
            assert markup.encode() not in content, (name, markup)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([*before, "_site"])


def test_an_svg_beside_the_articles_is_published_without_its_script(
    tmp_path: Path, cli: Run
) -> None:
    make_site(tmp_path, CASES["svg-beside-the-article"].files)
    assert cli("build").code == 0
    published = (tmp_path / "_site" / "_files" / "pic.svg").read_bytes()
    assert b"<svg" in published
    assert b"script" not in published
    assert b"alert" not in published
    assert "<svg" not in (tmp_path / "_site" / "a" / "index.html").read_text(encoding="utf-8")


def test_nothing_outside_the_sources_is_copied(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, CASES["links-climbing-out-of-the-sources"].files)
    assert cli("build").code == 0
    assert not (tmp_path / "_site" / "_files").exists()
    assert b"not to be published" not in b"".join(tree(tmp_path / "_site").values())


def test_at_least_25_inputs() -> None:
    assert len(CASES) >= 25
