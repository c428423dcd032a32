"""The theme's extension points: layout.html and its blocks reach every page, and
docs/templates.md documents every block and every variable the templates receive."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import GOOD, make_site

import site_builder.theme
from site_builder.site import Project, Site, build_site

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs" / "templates.md"
TAGGED = {
    **GOOD,
    "seeds/other.md": "---\ntitle: Other\ntags: [space]\n---\n\nTianwen-3 again.\n",
    "site.toml": 'title = "Mine"\nauthor = "A. Editor"\nsite_url = "https://example.org/r/"\n',
}
LAYOUT = """\
{% extends "base.html" %}
{% block head %}<link rel="stylesheet" href="{{ root }}static/mine.css">{% endblock %}
{% block header %}{{ super() }}<a class="about" href="{{ root }}about.html">About</a>{% endblock %}
{% block footer %}{{ super() }}<p class="licence">CC BY 4.0</p>{% endblock %}
"""


def pages(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text() for p in sorted(out.rglob("*.html"))}


def test_a_site_layout_filling_base_blocks_reaches_every_page(tmp_path: Path) -> None:
    root = make_site(tmp_path, {**TAGGED, "templates/layout.html": LAYOUT})
    report = build_site(Project.at(root / "seeds"))
    assert [d.format() for d in report.diagnostics.sorted()] == []
    built = pages(root / "_site")
    assert {"index.html", "404.html", "good/index.html", "terms/index.html"} <= set(built)
    assert "tags/space/index.html" in built and "tags/index.html" in built
    for name, html in built.items():
        depth = "/r/" if name == "404.html" else "../" * name.count("/")
        head = html.split("</head>")[0]
        # After the theme's own stylesheet, so that the site's wins.
        mine = f'<link rel="stylesheet" href="{depth}static/mine.css">'
        assert head.rstrip().endswith(mine), name
        header = html.split('<header class="site-header">')[1].split("</header>")[0]
        assert "Readings</a>" in header and 'class="about"' in header, name
        footer = html.split('<footer class="site-footer">')[1].split("</footer>")[0]
        assert "<p>A. Editor</p>" in footer and 'class="licence"' in footer, name


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        # What reached os.popen before templates were sandboxed.
        (
            'lipsum.__globals__["__builtins__"]["__import__"]("os").popen("true")',
            "access to attribute '__globals__' of 'function' object is unsafe.",
        ),
        ("''.__class__.__mro__", "access to attribute '__class__' of 'str' object is unsafe."),
        ("site.__init__", "access to attribute '__init__' of 'SiteConfig' object is unsafe."),
        ("[1].append(2)", "access to attribute 'append' of 'list' object is unsafe."),
        ('"x" * 100000000', "a value of more than 1,000,000 items is not allowed"),
        ("10 ** 100000000", "a number of more than 16,384 bits is not allowed"),
        # Each step is small; the last runs in C, where the deadline cannot stop it.
        ("((10 ** 100) ** 100) ** 100", "a number of more than 16,384 bits is not allowed"),
        ("(2 ** 10000) * (2 ** 10000)", "a number of more than 16,384 bits is not allowed"),
        # More than any machine's address space: refused at once, not a crash.
        ('"x"|center(10 ** 15)', "it needs more memory than there is"),
        (
            "range(1000000000)|list",
            "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).",
        ),
        ("1 / 0", "division by zero"),
    ],
)
def test_a_template_is_sandboxed_and_what_it_may_not_do_is_an_error_at_its_line(
    tmp_path: Path, expression: str, message: str
) -> None:
    # Templates come from a repository many may push to, and CI builds it.
    layout = (
        f'{{% extends "base.html" %}}\n{{% block head %}}{{{{ {expression} }}}}{{% endblock %}}\n'
    )
    root = make_site(tmp_path, {**GOOD, "templates/layout.html": layout})
    report = build_site(Project.at(root / "seeds"))
    assert {d.format(root) for d in report.diagnostics.items} == {
        f"templates/layout.html:2: error: template error: {message}"
    }
    assert not (root / "_site" / "good").exists()


def test_a_template_that_loops_without_end_is_stopped_with_an_error_at_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nested loops call nothing the sandbox counts: 10**10 steps, hours of a CI build.
    monkeypatch.setattr(site_builder.theme, "RENDER_SECONDS", 1)
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    layout = f'{{% extends "base.html" %}}\n{{% block head %}}{loops}{{% endblock %}}\n'
    root = make_site(tmp_path, {**GOOD, "templates/layout.html": layout})
    report = build_site(Project.at(root / "seeds"))
    assert {d.format(root) for d in report.diagnostics.items} == {
        "templates/layout.html:2: error: template error: rendering took over 1 s "
        "(a loop without end?)"
    }


def test_a_layout_that_extends_itself_is_an_error_at_it(tmp_path: Path) -> None:
    layout = '{% extends "layout.html" %}\n'
    root = make_site(tmp_path, {**GOOD, "templates/layout.html": layout})
    report = build_site(Project.at(root / "seeds"))
    assert {d.format(root) for d in report.diagnostics.items} == {
        "templates/layout.html:1: error: template error: it extends, includes or calls "
        "itself without end"
    }


@pytest.mark.parametrize(
    ("template", "page"),
    [
        ("index.html", "index.html"),
        ("terms.html", "terms/index.html"),
        ("term.html", "terms/tianwen-3/index.html"),
        ("tags.html", "tags/index.html"),
        ("tag.html", "tags/space/index.html"),
        ("404.html", "404.html"),
    ],
)
def test_a_broken_site_wide_template_keeps_its_pages_last_good_output(
    tmp_path: Path, template: str, page: str
) -> None:
    # They were deleted: a typo in index.html took the reading list off the site.
    root = make_site(tmp_path, TAGGED)
    assert build_site(Project.at(root / "seeds")).diagnostics.items == []
    good = (root / "_site" / page).read_text()
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / template).write_text("{% bogus %}\n")
    for site in (Site(Project.at(root / "seeds")), None):  # in a session, then a fresh build
        report = site.build() if site else build_site(Project.at(root / "seeds"))
        assert [d.format(root) for d in report.diagnostics.errors] == [
            f"templates/{template}:1: error: Encountered unknown tag 'bogus'."
        ]
        assert (root / "_site" / page).read_text() == good
    (root / "templates" / template).unlink()
    assert build_site(Project.at(root / "seeds")).diagnostics.items == []
    assert (root / "_site" / page).read_text() == good


def test_without_a_site_layout_the_blocks_add_nothing(tmp_path: Path) -> None:
    root = make_site(tmp_path, TAGGED)
    build_site(Project.at(root / "seeds"))
    html = (root / "_site" / "good" / "index.html").read_text()
    assert '<link rel="stylesheet" href="../static/pygments.css">\n</head>' in html


# The docs against the templates.

TEMPLATES = sorted((ROOT / "templates").glob("*.html"))
BLOCK = re.compile(r"{%-?\s*block\s+(\w+)")
EVERY_PAGE = {"site", "root", "lang", "dir", "description", "page_url"}


def documented_blocks() -> set[str]:
    section = DOCS.read_text().split("## Blocks")[1].split("\n## ")[0]
    return set(re.findall(r"^\| `(\w+)` \|", section, re.MULTILINE))


def test_every_block_of_the_templates_is_documented_and_no_other() -> None:
    blocks = {name for path in TEMPLATES for name in BLOCK.findall(path.read_text())}
    assert {"head", "header", "footer", "article_meta"} <= blocks
    assert documented_blocks() == blocks


def section_of(template: str) -> str:
    """The docs' section for `template`: its `###` heading's, or its table row."""
    text = DOCS.read_text()
    heading = re.search(rf"^### `?{re.escape(template)}\b.*?(?=^#)", text, re.MULTILINE | re.DOTALL)
    if heading:
        return heading.group()
    row = re.search(rf"^\| `{re.escape(template)}` \|.*$", text, re.MULTILINE)
    assert row, f"docs/templates.md says nothing of {template}"
    return row.group()


@pytest.fixture
def contexts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[dict[str, set[str]]]:
    """The variables each template was given while a site with every kind of page built."""
    seen: dict[str, set[str]] = {}
    real = site_builder.theme.render_template

    def spy(env: object, name: str, look: object = None, **context: object) -> str:
        seen.setdefault(name, set()).update(context)
        return real(env, name, look, **context)  # type: ignore[arg-type]

    monkeypatch.setattr(site_builder.theme, "render_template", spy)
    root = make_site(tmp_path, TAGGED)
    build_site(Project.at(root / "seeds"))
    yield seen


def test_every_variable_a_template_receives_is_documented(contexts: dict[str, set[str]]) -> None:
    every_page = section_of("Every page")
    assert set(contexts) >= {"article.html", "index.html", "note.html", "terms.html", "404.html"}
    for template, names in contexts.items():
        section = section_of(template)
        for name in names:
            where = every_page if name in EVERY_PAGE and template != "note.html" else section
            assert f"`{name}`" in where, f"docs/templates.md: {template} receives `{name}`"
        # A table of variables lists only what the template receives.
        listed = set(re.findall(r"^\| `(\w+)` \|", section, re.MULTILINE))
        assert listed <= names | EVERY_PAGE, (template, listed - names)


def test_the_fields_docs_templates_md_names_reach_a_template(tmp_path: Path) -> None:
    """The documented spellings of nested fields: an excerpt's `ref`, `before`, `term` and
    `after`, and the reading list's tags as entries."""
    term = (
        '{% extends "layout.html" %}{% block main %}'
        "{% for o in entry.occurrences %}{% for x in o.excerpts %}"
        "<q data-ref={{ x.ref }}>{{ x.before }}[{{ x.term }}]{{ x.after }}</q>"
        "{% endfor %}{% endfor %}{% endblock %}"
    )
    index = (
        '{% extends "layout.html" %}{% block main %}'
        "{% for t in tags %}<a href={{ t.tag.slug }}>{{ t.tag.name }} {{ t.pages | length }}</a>"
        "{% endfor %}{% endblock %}"
    )
    files = {**TAGGED, "templates/term.html": term, "templates/index.html": index}
    root = make_site(tmp_path, files)
    report = build_site(Project.at(root / "seeds"))
    assert [d.format() for d in report.diagnostics.sorted()] == []
    quoted = (root / "_site" / "terms" / "tianwen-3" / "index.html").read_text()
    assert "<q data-ref=ref-tianwen-3>The [Tianwen-3] mission is planned for 2028.</q>" in quoted
    assert "<a href=space>space 1</a>" in (root / "_site" / "index.html").read_text()


def test_every_page_template_extends_layout_html() -> None:
    partials = {
        *("base.html", "layout.html", "note.html", "reading-list.html", "tag-links.html"),
        *("term-entry.html", "term-places.html"),
    }
    for path in TEMPLATES:
        if path.name not in partials:
            assert path.read_text().startswith('{% extends "layout.html" %}'), path.name
    assert '{% extends "base.html" %}' in (ROOT / "templates" / "layout.html").read_text()


# Right-to-left languages: the page's direction goes where its language does.

HEBREW = {
    "seeds/he.md": "---\ntitle: בראשית על הירח\nslug: he\nlang: he\n---\n\n"
    "ה־Falcon 9 שנשא את החללית שיגר איתה גם לוויין תקשורת.\n",
    "seeds/he.notes.md": "## Falcon 9\nהרקטה של SpaceX ששיגרה את בראשית.\n",
    "seeds/fa.md": "---\ntitle: Persian\nslug: fa\nlang: fa-IR\n---\n\nText.\n",
    "seeds/ku.md": "---\ntitle: Sorani\nslug: ku\nlang: ku-Arab\n---\n\nText.\n",
    "seeds/arabizi.md": "---\ntitle: Arabizi\nslug: arabizi\nlang: ar-Latn\n---\n\nText.\n",
}


def opening_tag(html: str) -> str:
    match = re.search(r"<html[^>]*>", html)
    assert match, "no <html>"
    return match.group()


def test_a_right_to_left_article_gets_dir_rtl_beside_its_lang(tmp_path: Path) -> None:
    root = make_site(tmp_path, {**GOOD, **HEBREW})
    assert build_site(Project.at(root / "seeds")).diagnostics.errors == []
    out = pages(root / "_site")
    assert opening_tag(out["he/index.html"]) == '<html lang="he" dir="rtl">'
    assert opening_tag(out["fa/index.html"]) == '<html lang="fa-IR" dir="rtl">'
    assert opening_tag(out["ku/index.html"]) == '<html lang="ku-Arab" dir="rtl">'
    # Left to right, the default: no dir, the page as it always was.
    assert opening_tag(out["arabizi/index.html"]) == '<html lang="ar-Latn">'
    assert opening_tag(out["good/index.html"]) == '<html lang="en">'
    for page in ("index.html", "terms/index.html", "404.html"):
        assert opening_tag(out[page]) == '<html lang="en">', page
    # On the English reading list, the Hebrew article's title and summary say what they are.
    listing = out["index.html"]
    assert '<a href="he/index.html" lang="he" dir="rtl">בראשית על הירח</a>' in listing
    assert '<p class="summary" lang="he" dir="rtl">ה־Falcon 9' in listing
    assert '<a href="good/index.html">A good article</a>' in listing
    # So do its sentence and title where the terms pages quote them.
    for page, up in (("terms/index.html", "../"), ("terms/falcon-9/index.html", "../../")):
        quoted = out[page]
        assert f'<a href="{up}he/index.html#ref-falcon-9" lang="he" dir="rtl">' in quoted, page
        assert '<cite lang="he" dir="rtl">בראשית על הירח</cite>' in quoted, page
    assert "<cite>A good article</cite>" in out["terms/tianwen-3/index.html"]


def test_a_site_in_a_right_to_left_language_has_its_pages_right_to_left(tmp_path: Path) -> None:
    files = {**GOOD, **HEBREW, "site.toml": 'title = "קריאה"\nlanguage = "he"\n'}
    root = make_site(tmp_path, files)
    assert build_site(Project.at(root / "seeds")).diagnostics.errors == []
    out = pages(root / "_site")
    for page in ("index.html", "terms/index.html", "terms/falcon-9/index.html", "404.html"):
        assert opening_tag(out[page]) == '<html lang="he" dir="rtl">', page
    assert opening_tag(out["he/index.html"]) == '<html lang="he" dir="rtl">'
    # Its articles in another language say so on the Hebrew list, the way they run included.
    listing = out["index.html"]
    assert '<a href="he/index.html">בראשית על הירח</a>' in listing
    assert '<a href="arabizi/index.html" lang="ar-Latn" dir="ltr">Arabizi</a>' in listing
