"""Tests for recognising the site chrome of scraped plain text."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from site_builder.chrome import Paragraph, ScrapedText, split_paragraphs, strip_chrome

SEED = Path(__file__).parent.parent / "seeds" / "000_edfef99d65433808.txt"

# Two body paragraphs long enough to read as prose, for the made-up pages.
PROSE_1 = (
    "The city council voted on Tuesday night to close the old harbour bridge to cars, "
    "ending a decade of argument about the crumbling structure and its future."
)
PROSE_2 = (
    "Engineers had warned for years that the bridge could not carry modern traffic, and "
    "the repairs proposed in 2019 were never funded by the regional government."
)


@dataclass(frozen=True)
class Scraped:
    """strip_chrome's result, and what the tests read off it against its input:
    the line of its title, and the lines it dropped (found nowhere in the result)."""

    result: ScrapedText
    text: str

    def __getattr__(self, name: str) -> Any:
        return getattr(self.result, name)

    def _lines(self) -> list[tuple[int, str]]:
        lines = self.text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        return [(n, line.strip()) for n, line in enumerate(lines.split("\n"), 1) if line.strip()]

    @property
    def title_line(self) -> int | None:
        return next((n for n, line in self._lines() if line == self.result.title), None)

    @property
    def dropped(self) -> tuple[Paragraph, ...]:
        body = [line.strip() for p in self.result.paragraphs for line in p.text.split("\n")]
        return tuple(Paragraph(line, n) for n, line in self._lines() if not self._kept(line, body))

    def _kept(self, line: str, body: list[str]) -> bool:
        result = self.result
        cut = any(
            line.startswith(kept) and not line[len(kept) :].strip(".\u2026 ") for kept in body
        )
        return (
            line in body
            or cut  # the body's last line, its cut-off mark removed
            or line == result.title
            or bool(result.author and line.startswith("By ") and result.author in line)
            or bool(result.publisher and result.publisher in line)
        )


def scrape(text: str) -> Scraped:
    return Scraped(strip_chrome(split_paragraphs(text)), text)


def dropped_texts(result: Scraped) -> list[str]:
    return [p.text for p in result.dropped]


# split_paragraphs


def test_split_paragraphs_keeps_line_numbers_and_inner_newlines() -> None:
    text = "one\ntwo  \n\n\n three\n"
    assert split_paragraphs(text) == [Paragraph("one\ntwo", 1), Paragraph(" three", 5)]


def test_split_paragraphs_whitespace_only_lines_are_blank() -> None:
    text = "a\n \t\u00a0\nb"
    assert split_paragraphs(text) == [Paragraph("a", 1), Paragraph("b", 3)]


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_split_paragraphs_handles_every_line_ending(newline: str) -> None:
    text = newline.join(["a", "b", "", "c"])
    assert split_paragraphs(text) == [Paragraph("a\nb", 1), Paragraph("c", 4)]


def test_split_paragraphs_empty_text() -> None:
    assert split_paragraphs("") == []
    assert split_paragraphs("\n \n") == []


def test_split_paragraphs_ignores_byte_order_mark() -> None:
    assert split_paragraphs("\ufeffMenu\n\ntext") == [Paragraph("Menu", 1), Paragraph("text", 3)]


# The seed, end to end


def test_seed_end_to_end() -> None:
    result = scrape(SEED.read_text(encoding="utf-8"))
    assert result.title == "China\u2019s Space Dream: No Limits, No End"
    assert result.title_line == 6
    assert result.publisher == "The Diplomat"
    assert result.author is None
    assert result.excerpt is True
    assert len(result.paragraphs) == 4
    assert [p.line for p in result.paragraphs] == [11, 13, 15, 17]
    assert result.paragraphs[0].text.startswith("Even as global attention")
    assert result.paragraphs[-1].text.endswith("market scale and production")
    assert [(p.line, p.text.split()[0]) for p in result.dropped] == [
        (1, "menu_open"),
        (2, "We"),
        (4, "More"),
        (8, "7"),
        (9, "thursday"),
    ]
    assert "cookies" in result.dropped[1].text


# Other sites, one rule at a time


def page(*blocks: str) -> str:
    return "\n\n".join(blocks) + "\n"


@pytest.mark.parametrize(
    "chrome",
    [
        "Menu",
        "Skip to content",
        "Home",
        "Search",
        "Home | News | Sport",
        "Home \u00bb World \u00bb Europe",
        "arrow_back Opinion",
        "This website uses cookies to ensure you get the best experience.",
        "Cookies help us deliver our services. By using our services, you agree.",
        "Accept all cookies",
        "More information . Close",
        "More info \u00b7 Close",
        "12 3",
        "0",
        "1.2k 34",
        "Monday",
        "Thursday, 6 March 2025",
        "Sat 8 Mar 2025",
        "Monday, Jan. 6, 2025",
        "Monday Jan.6",
        "Monday 6 Jan..",
    ],
)
def test_leading_chrome_is_dropped(chrome: str) -> None:
    result = scrape(page(chrome, "Bridge Closed For Good", PROSE_1, PROSE_2))
    assert dropped_texts(result) == [chrome]
    assert result.title == "Bridge Closed For Good"
    assert result.title_line == 3
    assert [p.text for p in result.paragraphs] == [PROSE_1, PROSE_2]


def test_chrome_lines_in_one_block_keep_their_own_line_numbers() -> None:
    text = "Menu\nWe use cookies on this site.\n12 3\nBridge Closed\nFriday\n\n" + PROSE_1
    result = scrape(text)
    assert result.dropped == (
        Paragraph("Menu", 1),
        Paragraph("We use cookies on this site.", 2),
        Paragraph("12 3", 3),
        Paragraph("Friday", 5),
    )
    assert (result.title, result.title_line) == ("Bridge Closed", 4)
    assert result.paragraphs == (Paragraph(PROSE_1, 7),)


def test_chrome_at_top_of_first_body_block_is_dropped() -> None:
    result = scrape(page("Bridge Closed", f"4 1\nWednesday\n{PROSE_1}"))
    assert dropped_texts(result) == ["4 1", "Wednesday"]
    assert result.paragraphs == (Paragraph(PROSE_1, 5),)


@pytest.mark.parametrize(
    ("footer", "publisher"),
    [
        ("\u00a9 The Diplomat", "The Diplomat"),
        ("\u00a9 2024 Harbour Gazette", "Harbour Gazette"),
        ("Copyright \u00a9 2025 Harbour Gazette. All rights reserved.", "Harbour Gazette"),
        ("Copyright 2010\u20132025 Harbour Media Ltd", "Harbour Media Ltd"),
        ("(c) Harbour Gazette...", "Harbour Gazette"),
    ],
)
def test_footer_gives_publisher(footer: str, publisher: str) -> None:
    result = scrape(page("Bridge Closed", PROSE_1, PROSE_2, footer))
    assert result.publisher == publisher
    assert result.dropped == ()  # the footer's text lives on as the publisher
    assert [p.text for p in result.paragraphs] == [PROSE_1, PROSE_2]


def test_footer_in_last_body_block_and_trailing_chrome() -> None:
    result = scrape(page("Bridge Closed", f"{PROSE_1}\n\u00a9 2025 Harbour Gazette", "Share\n3 0"))
    assert result.publisher == "Harbour Gazette"
    assert dropped_texts(result) == ["Share", "3 0"]
    assert result.paragraphs == (Paragraph(PROSE_1, 3),)


def test_trailing_links_and_rights_line_are_dropped() -> None:
    text = page(PROSE_1, PROSE_2, "Read more", "\u00a9 2025 Gazette\nAll rights reserved.")
    result = scrape(text)
    assert dropped_texts(result) == ["Read more", "All rights reserved."]
    assert result.publisher == "Gazette"


def test_unrecognised_trailing_lines_are_kept() -> None:
    result = scrape(page(PROSE_1, "Related: Ferry prices rise again", "\u00a9 Gazette"))
    assert [p.text for p in result.paragraphs] == [PROSE_1, "Related: Ferry prices rise again"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "2024年6月25日，嫦娥六号返回器携带来自月球背面的样品，在内蒙古四子王旗预定区域安全着陆。",
            "科学家将研究月壤的成分，并与嫦娥五号带回的正面样品进行比较，以了解月球两面为何如此不同。",
        ),
        (
            "ยานฉางเอ๋อหกกลับมาถึงโลกพร้อมตัวอย่างดินจากด้านไกลของดวงจันทร์เป็นครั้งแรก",
            "นักวิทยาศาสตร์จะศึกษาดินและเปรียบเทียบกับตัวอย่างจากด้านใกล้ที่ยานฉางเอ๋อห้านำกลับมา",
        ),
    ],
    ids=["chinese", "thai"],
)
def test_text_without_spaces_is_prose_and_keeps_its_lines_between(first: str, second: str) -> None:
    # Words were counted by spaces, so no paragraph read as prose: the whole text was the
    # chrome zone, and a section number or a subhead between paragraphs was dropped.
    result = scrape(page("Menu", "嫦娥六号带回月背样品", first, "2", "Science", second))
    assert [p.text for p in result.paragraphs] == [first, "2", "Science", second]
    assert dropped_texts(result) == ["Menu"]


def test_footer_without_a_name_is_dropped() -> None:
    result = scrape(page(PROSE_1, "\u00a9 2025"))
    assert result.publisher is None
    assert dropped_texts(result) == ["\u00a9 2025"]


def test_byline_becomes_author() -> None:
    result = scrape(page("Menu", "Bridge Closed For Good", "By Maria van der Berg", PROSE_1))
    assert result.author == "Maria van der Berg"
    assert result.title == "Bridge Closed For Good"
    assert dropped_texts(result) == ["Menu"]
    assert result.paragraphs == (Paragraph(PROSE_1, 7),)


def test_byline_before_title() -> None:
    result = scrape(page("By Jo Smith and Ann Lee", "Bridge Closed", PROSE_1))
    assert (result.author, result.title) == ("Jo Smith and Ann Lee", "Bridge Closed")


def test_long_question_headline_is_still_a_title() -> None:
    headline = "Why Is China Racing to Bring Back Rocks From Mars Before the Americans Do?"
    result = scrape(page("Menu", headline, PROSE_1))
    assert result.title == headline


# Cut-off endings


@pytest.mark.parametrize("ending", ["........", "...", "\u2026", " \u2026", "... "])
def test_cut_off_ending_marks_excerpt(ending: str) -> None:
    result = scrape(page("Bridge Closed", PROSE_1, PROSE_2[:-1] + ending))
    assert result.excerpt is True
    assert result.paragraphs[-1].text == PROSE_2[:-1]


def test_cut_off_before_trailing_chrome() -> None:
    result = scrape(page(PROSE_1, PROSE_2[:-1] + "\u2026", "Read more", "5 2"))
    assert result.excerpt is True
    assert result.paragraphs[-1].text == PROSE_2[:-1]


def test_cut_off_before_footer() -> None:
    result = scrape(page(PROSE_1, "and the repairs were never\u2026", "\u00a9 Harbour Gazette"))
    assert result.excerpt is True
    assert result.paragraphs[-1] == Paragraph("and the repairs were never", 3)
    assert result.publisher == "Harbour Gazette"


def test_complete_text_is_not_an_excerpt() -> None:
    result = scrape(page("Bridge Closed", PROSE_1, PROSE_2))
    assert result.excerpt is False
    assert result.paragraphs[-1].text == PROSE_2


@pytest.mark.parametrize("ending", [". . .", "..", "...\u201d", "\u2026 x", ".... and so on"])
def test_dots_not_at_the_very_end_are_no_cut_off(ending: str) -> None:
    result = scrape(page("Bridge Closed", PROSE_1, PROSE_2[:-1] + ending))
    assert result.excerpt is False
    assert result.paragraphs[-1].text == PROSE_2[:-1] + ending


def test_a_mixed_run_of_dots_and_ellipses_is_one_cut_off() -> None:
    result = scrape(page("Bridge Closed", PROSE_1, PROSE_2[:-1] + ". ... \u2026 ."))
    assert result.excerpt is True
    assert result.paragraphs[-1].text == PROSE_2[:-1] + "."


def test_dots_inside_the_text_are_no_cut_off() -> None:
    result = scrape(page(PROSE_1 + " And then... nothing.", PROSE_2))
    assert result.excerpt is False


# Real prose is never dropped


@pytest.mark.parametrize(
    "text",
    ["The launch slipped to Friday.\n", "Home | News\n\nThe launch slipped to Friday.\n"],
    ids=["alone", "in-chrome"],
)
def test_a_line_alone_is_the_text_not_its_title(text: str) -> None:
    """Taken as the title, it left nothing to read: its words are the body."""
    result = scrape(text)
    assert result.title is None
    assert [(p.text, p.line) for p in result.paragraphs] == [
        ("The launch slipped to Friday.", 3 if "Home" in text else 1)
    ]


def test_text_without_chrome_keeps_everything_and_guesses_no_title() -> None:
    result = scrape(page(PROSE_1, "Short line.", PROSE_2))
    assert result.title is None and result.title_line is None
    assert result.dropped == ()
    assert [p.text for p in result.paragraphs] == [PROSE_1, "Short line.", PROSE_2]
    assert (result.publisher, result.author, result.excerpt) == (None, None, False)


def test_short_first_line_of_a_plain_text_is_its_title() -> None:
    result = scrape(page("On Bridges", PROSE_1))
    assert (result.title, result.title_line) == ("On Bridges", 1)
    assert result.dropped == ()


def test_body_mentioning_cookies_weekdays_and_copyright_is_kept() -> None:
    middle = [
        "We use cookies as a reward, she said, and the children accept them happily.",
        "Thursday",
        "12 3",
        "\u00a9 2025 Someone Else",
        "Menu",
    ]
    text = page("Bridge Closed", PROSE_1, *middle, PROSE_2)
    result = scrape(text)
    assert result.dropped == ()
    assert [p.text for p in result.paragraphs] == [PROSE_1, *middle, PROSE_2]


@pytest.mark.parametrize(
    "opening",
    [
        "She baked cookies for the whole village every Sunday, and nobody ever said no.",
        "Grandmother's cookies were famous across the valley long before the war began.",
        "Copyright reform, the minister argued on Monday, will take years to complete.",
        "Thursday was the day everything at the harbour changed for the fishermen.",
    ],
)
def test_opening_paragraph_that_looks_a_bit_like_chrome_is_kept(opening: str) -> None:
    result = scrape(page("Menu", "Bridge Closed", opening, PROSE_1))
    assert dropped_texts(result) == ["Menu"]
    assert [p.text for p in result.paragraphs] == [opening, PROSE_1]


def test_unrecognised_leading_lines_after_the_title_stay_in_the_body() -> None:
    result = scrape(page("Menu", "Bridge Closed", "A standfirst in a few words", PROSE_1))
    assert result.title == "Bridge Closed"
    assert [p.text for p in result.paragraphs] == ["A standfirst in a few words", PROSE_1]


def test_first_line_of_a_multi_line_block_is_no_title() -> None:
    poem = "Roses are red\nViolets are blue"
    result = scrape(page(poem, PROSE_1))
    assert result.title is None
    assert result.paragraphs == (Paragraph(poem, 1), Paragraph(PROSE_1, 4))


def test_hard_wrapped_prose_is_body() -> None:
    wrapped = "\n".join(
        [
            "It was a dark and stormy night; the rain fell in",
            "torrents, except at occasional intervals, when it was",
            "checked by a violent gust of wind which swept up the streets",
        ]
    )
    result = scrape(page("Chapter One", wrapped))
    assert result.title == "Chapter One"
    assert result.paragraphs == (Paragraph(wrapped, 3),)


# Degenerate input


def test_empty_input() -> None:
    assert scrape("").result == ScrapedText(None, None, None, (), False)


def test_all_chrome() -> None:
    result = scrape(page("Menu\nSearch", "We use cookies. Accept?", "7 0", "\u00a9 Some Site"))
    assert result.paragraphs == ()
    assert result.title is None
    assert result.publisher == "Some Site"
    assert dropped_texts(result) == ["Menu", "Search", "We use cookies. Accept?", "7 0"]


def test_no_body_paragraph_keeps_the_line_that_would_be_the_title() -> None:
    result = scrape(page("Home", "Bridge Closed", "\u00a9 Harbour Gazette"))
    assert (result.title, result.publisher) == (None, "Harbour Gazette")
    assert [p.text for p in result.paragraphs] == ["Bridge Closed"]


def test_text_of_only_dots() -> None:
    result = scrape("........\n")
    assert result.excerpt is True
    assert result.paragraphs == ()
    assert dropped_texts(result) == ["........"]
