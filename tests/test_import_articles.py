import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from statements import corrections
from statements.importing.service import Importer
from statements.models import Article, Speaker, SpeakerAlias, Statement, Topic

STARMER = (
    "Keir Starmer said on Monday that Europe must spend more on defence. "
    '"We cannot wait any longer," he told reporters in Paris.'
)
SCHOLZ = "Olaf Scholz said the debate about troops was premature."
JOHNSON = (
    "Mike Johnson said the House would vote next week. "
    '"We have the votes," Johnson said.'
)
STARMER_AGAIN = "Starmer said the talks had gone well."


def run(*args, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    kwargs = {"stdout": out, "stderr": err}
    if stdin is not None:
        kwargs["stdin"] = io.BytesIO(stdin)
    try:
        call_command("import_articles", *map(str, args), **kwargs)
    except CommandError as e:
        return out.getvalue(), err.getvalue() + str(e), False
    return out.getvalue(), err.getvalue(), True


def write(tmp_path, name, content):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def assert_offsets_hold(article):
    for st in article.statements.all():
        assert article.text[st.start : st.end] == st.text


# Each input kind.


def test_it_imports_a_plain_text_file(db, tmp_path):
    out, err, ok = run(write(tmp_path, "starmer.txt", STARMER))
    assert ok, err
    article = Article.objects.get()
    assert article.text == STARMER
    assert article.extractor_version
    keir = Speaker.objects.get(name="Keir Starmer")
    assert article.statements.filter(speaker=keir).count() == 2
    assert_offsets_hold(article)
    assert "Imported 1" in out
    assert "2 statements" in out
    assert "1 new speakers" in out


def test_it_reads_the_header_of_a_text_file(db, tmp_path):
    header = (
        "Title: Starmer on defence\n"
        "URL: https://example.com/news/1\n"
        "Published: 2025-02-17\n"
        "Outlet: Example News\n"
        "\n"
    )
    _, err, ok = run(write(tmp_path, "a.txt", header + STARMER))
    assert ok, err
    article = Article.objects.get()
    assert article.title == "Starmer on defence"
    assert article.url == "https://example.com/news/1"
    assert str(article.published) == "2025-02-17"
    assert article.outlet == "Example News"
    assert article.text == STARMER
    assert_offsets_hold(article)
    assert {str(st.published) for st in article.statements.all()} == {"2025-02-17"}


def test_a_dated_file_name_gives_the_date_and_title(db, tmp_path):
    _, err, ok = run(write(tmp_path, "2024-05-06-defence-talks.txt", STARMER))
    assert ok, err
    article = Article.objects.get()
    assert str(article.published) == "2024-05-06"
    assert article.title == "Defence talks"


def test_a_date_inside_the_file_name_is_found_too(db, tmp_path):
    _, err, ok = run(write(tmp_path, "wire_2024-05-06_defence-talks.txt", STARMER))
    assert ok, err
    article = Article.objects.get()
    assert str(article.published) == "2024-05-06"
    assert article.title == "Defence talks"


def test_a_header_wins_over_the_file_name(db, tmp_path):
    text = "Title: Real title\nPublished: 2020-01-01\n\n" + STARMER
    run(write(tmp_path, "2024-05-06-defence-talks.txt", text))
    article = Article.objects.get()
    assert (article.title, str(article.published)) == ("Real title", "2020-01-01")


def test_the_command_line_options_set_the_metadata(db, tmp_path):
    path = write(tmp_path, "a.txt", STARMER)
    _, err, ok = run(
        path,
        "--title=Given title",
        "--url=https://example.com/x",
        "--published=2023-01-02",
        "--outlet=Wire",
    )
    assert ok, err
    article = Article.objects.get()
    assert (article.title, article.url, str(article.published), article.outlet) == (
        "Given title",
        "https://example.com/x",
        "2023-01-02",
        "Wire",
    )


def test_it_takes_the_main_text_of_an_html_page(db, tmp_path):
    html = f"""<html><head><title>Starmer in Paris</title>
    <meta property="og:site_name" content="Example News"></head>
    <body><nav>Home | World | Sport</nav>
    <article><h1>Starmer in Paris</h1><p>{STARMER}</p><p>{SCHOLZ}</p></article>
    <footer>Copyright Example News</footer></body></html>"""
    _, err, ok = run(write(tmp_path, "page.html", html))
    assert ok, err
    article = Article.objects.get()
    assert article.title == "Starmer in Paris"
    assert "Home | World" not in article.text
    assert "Copyright" not in article.text
    assert "Europe must spend more on defence" in article.text
    assert Speaker.objects.filter(name="Olaf Scholz").exists()
    assert_offsets_hold(article)


def test_an_html_page_gives_its_canonical_url_when_it_is_a_full_one(db, tmp_path):
    page = (
        '<html><head><link rel="canonical" href="{}"><title>T</title></head>'
        f"<body><article><p>{STARMER}</p></article></body></html>"
    )
    run(write(tmp_path, "a.html", page.format("https://example.com/news/1")))
    run(write(tmp_path, "b.html", page.format("/news/2").replace("Monday", "Tuesday")))
    assert set(Article.objects.values_list("url", flat=True)) == {
        "https://example.com/news/1",
        None,
    }


def test_it_imports_a_json_object_and_a_json_list(db, tmp_path):
    one = {"title": "One", "url": "https://example.com/1", "text": STARMER}
    many = [
        {"title": "Two", "published": "2025-01-01", "text": SCHOLZ},
        {"title": "Three", "outlet": "Wire", "text": JOHNSON},
    ]
    _, err, ok = run(
        write(tmp_path, "one.json", json.dumps(one)),
        write(tmp_path, "many.json", json.dumps(many)),
    )
    assert ok, err
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "One",
        "Three",
        "Two",
    ]
    assert str(Article.objects.get(title="Two").published) == "2025-01-01"


def test_it_imports_json_lines(db, tmp_path):
    lines = "\n".join(
        json.dumps({"title": t, "text": x})
        for t, x in [("A", STARMER), ("B", SCHOLZ), ("C", JOHNSON)]
    )
    out, err, ok = run(write(tmp_path, "feed.jsonl", lines + "\n\n"))
    assert ok, err
    assert Article.objects.count() == 3
    assert "Imported 3" in out


def test_it_reads_a_directory_recursively(db, tmp_path):
    write(tmp_path, "a.txt", STARMER)
    write(tmp_path, "sub/deeper/b.txt", SCHOLZ)
    write(tmp_path, "sub/c.jsonl", json.dumps({"text": JOHNSON}))
    write(tmp_path, "sub/notes.md", "not an article")
    write(tmp_path, ".hidden/d.txt", STARMER_AGAIN)
    _, err, ok = run(tmp_path)
    assert ok, err
    assert Article.objects.count() == 3


def test_it_reads_text_from_stdin(db):
    _, err, ok = run("-", stdin=("Title: From a pipe\n\n" + STARMER).encode())
    assert ok, err
    article = Article.objects.get()
    assert article.title == "From a pipe"
    assert article.text == STARMER


def test_it_reads_json_lines_from_stdin(db):
    data = "\n".join(json.dumps({"text": t}) for t in (STARMER, SCHOLZ))
    _, err, ok = run("-", stdin=data.encode())
    assert ok, err
    assert Article.objects.count() == 2


def test_the_seeds_directory_imports_without_errors(db):
    _, err, ok = run("seeds/")
    assert ok, err
    assert Article.objects.count() == 1
    assert Statement.objects.count() > 10
    assert Topic.objects.exists()
    assert Statement.objects.filter(topics__isnull=False).exists()


# Bad input: a message naming the file, nothing of it stored, the rest imported.


BAD_INPUTS = [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n ", "empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("latin1.txt", "Le président a déclaré".encode("latin-1"), "not UTF-8"),
    ("broken.json", b'{"text": "Starmer said yes.",', "malformed JSON"),
    (
        "broken.jsonl",
        b'{"text": "Starmer said yes."}\n{"text": ',
        "malformed JSON on line 2",
    ),
    ("notext.json", b'{"title": "No text"}', "no 'text'"),
    ("empty.html", b"<html><body><nav>Home</nav></body></html>", "no article text"),
    ("article.pdf", b"%PDF-1.4 Starmer said yes.", "unknown file type '.pdf'"),
    ("badheader.txt", b"Title: x\nAuthor: y\n\nStarmer said yes.", "header line 2"),
    ("baddate.txt", b"Published: 17/02/2025\n\nStarmer said yes.", "not a date"),
    ("badurl.txt", b"URL: not a url\n\nStarmer said yes.", "not a valid URL"),
]


@pytest.mark.parametrize("name,content,message", BAD_INPUTS)
def test_a_bad_input_is_refused_by_name_and_the_rest_imported(
    db, tmp_path, name, content, message
):
    bad = write(tmp_path, name, content)
    good = write(tmp_path, "good.txt", STARMER)
    out, err, ok = run(bad, good)
    assert not ok
    assert str(bad) in err
    assert message in err
    assert "failed 1" in out
    assert list(Article.objects.values_list("text", flat=True)) == [STARMER]


# Text is cleaned on the way in.

CONTROLS = (
    "Keir Starmer said the talks\x07 had gone well.\f"
    "\u201c\x1b[1mWe cannot wait any longer,\u201d\x1b[0m he told reporters.\v"
    "Olaf Scholz said the debate\x7f was premature.\x85"
)


def test_control_characters_are_removed_and_named_with_their_line(db, tmp_path, caplog):
    path = write(tmp_path, "a.txt", "Title: Talks\n\n" + CONTROLS)
    _, err, ok = run(path)
    assert ok, err
    article = Article.objects.get()
    assert article.text == (
        "Keir Starmer said the talks had gone well.\n"
        "\u201c[1mWe cannot wait any longer,\u201d[0m he told reporters.\n"
        "Olaf Scholz said the debate was premature."
    )
    assert_offsets_hold(article)
    assert Statement.objects.filter(speaker__name="Olaf Scholz").exists()
    assert f"{path}: 7 control character(s) removed or made line breaks" in caplog.text
    assert "on line 3" in caplog.text


def test_a_control_character_in_an_article_leaves_its_feeds_200(db, tmp_path, client):
    run(write(tmp_path, "a.txt", CONTROLS))
    keir = Speaker.objects.get(name="Keir Starmer")
    assert client.get(f"/speakers/{keir.slug}/feed/").status_code == 200
    for topic in Topic.objects.filter(statements__isnull=False).distinct():
        assert client.get(f"/topics/{topic.slug}/feed/").status_code == 200


def test_control_characters_in_json_fields_are_cleaned(db, tmp_path):
    data = {"title": "Talks\x1b\nin Paris", "outlet": "\tWire\x07", "text": CONTROLS}
    _, err, ok = run(write(tmp_path, "a.json", json.dumps(data)))
    assert ok, err
    article = Article.objects.get()
    assert (article.title, article.outlet) == ("Talks in Paris", "Wire")
    assert "\x1b" not in article.text
    assert_offsets_hold(article)


def test_a_nul_in_the_middle_of_a_large_file_is_refused_by_name_and_line(db, tmp_path):
    line = "Keir Starmer said the talks had gone well.\n"
    bad = write(tmp_path, "big.txt", (line * 250 + "half\x00way\n" + line * 250))
    good = write(tmp_path, "good.txt", SCHOLZ)
    out, err, ok = run(bad, good)
    assert not ok
    assert f"{bad}: a binary file, not text (a NUL byte on line 251" in err
    assert list(Article.objects.values_list("text", flat=True)) == [SCHOLZ]


def test_a_nul_escaped_in_json_is_refused_by_name(db, tmp_path):
    lines = [json.dumps({"text": SCHOLZ}), json.dumps({"text": "Yes.\nNo\u0000."})]
    bad = write(tmp_path, "feed.jsonl", "\n".join(lines))
    _, err, ok = run(bad)
    assert not ok
    assert f"{bad} line 2: a NUL character on line 2" in err
    assert not Article.objects.exists()


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01"])
def test_a_published_date_outside_the_sane_range_is_refused(db, tmp_path, date):
    bad = write(tmp_path, "a.txt", f"Published: {date}\n\n" + STARMER)
    _, err, ok = run(bad)
    assert not ok
    assert f"{bad}: published date '{date}' is not a date from 1800-01-01" in err


# Titles from a headline on the first line.

HEADLINED = (
    "The Ninth Circle: The Hellish View from Inside the Beltway, #2.\n\n" + STARMER
)


def test_a_headline_on_the_first_line_is_the_title_and_stays_in_the_text(db, tmp_path):
    _, err, ok = run(
        write(tmp_path, "2024-05-06-the-ninth-circle-the-hellish-vie.txt", HEADLINED)
    )
    assert ok, err
    article = Article.objects.get()
    assert (
        article.title
        == "The Ninth Circle: The Hellish View from Inside the Beltway, #2."
    )
    assert article.text == HEADLINED
    assert str(article.published) == "2024-05-06"
    assert_offsets_hold(article)
    assert article.statements.filter(speaker__name="Keir Starmer").count() == 2


@pytest.mark.parametrize(
    "first_line, title",
    [
        ("Starmer calls for US backstop", "Starmer calls for US backstop"),
        ("Will Europe send troops?", ""),
        ("Starmer Warns Europe Must Act Now.", "Starmer Warns Europe Must Act Now."),
        ("Keir Starmer said the talks had gone well on Monday.", ""),
        ("By Jane Example", ""),
        ("LONDON", ""),
        ("https://news.example/a", ""),
        (" ".join(["Word"] * 21), ""),
    ],
)
def test_only_a_short_first_line_that_reads_as_a_headline_is_the_title(
    db, tmp_path, first_line, title
):
    run(write(tmp_path, "a.txt", first_line + "\n" + SCHOLZ))
    assert Article.objects.get().title == title


def test_a_short_paragraph_of_its_own_at_the_top_is_the_title(db, tmp_path):
    run(write(tmp_path, "a.txt", "Scholz warns on troops, spending.\n\n" + STARMER))
    assert Article.objects.get().title == "Scholz warns on troops, spending."


def test_a_header_title_wins_over_a_headline(db, tmp_path):
    run(write(tmp_path, "a.txt", "Title: Given\n\n" + HEADLINED))
    assert Article.objects.get().title == "Given"


def test_a_json_article_without_a_title_takes_its_headline(db, tmp_path):
    text = "Scholz warns on troops\n" + SCHOLZ
    run(write(tmp_path, "a.json", json.dumps({"text": text})))
    article = Article.objects.get()
    assert (article.title, article.text) == ("Scholz warns on troops", text)


def test_nested_json_too_deep_to_read_is_refused_and_the_good_file_beside_imported(
    db, tmp_path
):
    deep = write(tmp_path, "deep.json", "[" * 100_000)
    deep_line = write(
        tmp_path, "deep.jsonl", json.dumps({"text": SCHOLZ}) + "\n" + "[" * 100_000
    )
    good = write(tmp_path, "good.txt", STARMER)
    out, err, ok = run(deep, deep_line, good)
    assert not ok
    assert f"{deep}: JSON nested too deep to read" in err
    assert f"{deep_line}: line 2: JSON nested too deep to read" in err
    assert "failed 2" in out
    assert list(Article.objects.values_list("text", flat=True)) == [STARMER]


def test_symlink_loops_in_a_directory_are_named_and_skipped(db, tmp_path, caplog):
    write(tmp_path, "good.txt", STARMER)
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "loop").symlink_to(tmp_path)
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    write(tmp_path, "sub/c.txt", SCHOLZ)
    (tmp_path / "sub" / "up").symlink_to(tmp_path)
    out, err, ok = run(tmp_path)
    assert ok, err
    assert sorted(Article.objects.values_list("text", flat=True)) == [STARMER, SCHOLZ]
    assert f"{tmp_path / 'a.txt'}: a symlink loop, skipped" in caplog.text
    assert f"{tmp_path / 'b.txt'}: a symlink loop, skipped" in caplog.text
    assert f"{tmp_path / 'loop'}: a symlink loop (back to {tmp_path}" in caplog.text
    assert (
        f"{tmp_path / 'sub' / 'up'}: a symlink loop (back to {tmp_path}" in caplog.text
    )
    assert f"{tmp_path / 'gone.txt'}: a broken symlink" in caplog.text


def test_a_symlinked_directory_that_is_no_loop_is_read(db, tmp_path):
    write(tmp_path, "elsewhere/a.txt", STARMER)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "link").symlink_to(tmp_path / "elsewhere")
    _, err, ok = run(tmp_path / "in")
    assert ok, err
    assert Article.objects.get().text == STARMER


def test_a_symlink_loop_named_on_its_own_is_refused_by_name(db, tmp_path):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    _, err, ok = run(tmp_path / "a.txt")
    assert not ok
    assert f"{tmp_path / 'a.txt'}: a symlink loop" in err


def test_an_oversize_file_is_refused(db, tmp_path, settings):
    settings.MAX_ARTICLE_BYTES = 50
    big = write(tmp_path, "big.txt", STARMER)
    _, err, ok = run(big)
    assert not ok
    assert f"{big}: too large" in err
    assert not Article.objects.exists()


def test_an_oversize_article_in_json_lines_refuses_the_whole_file(
    db, tmp_path, settings
):
    settings.MAX_ARTICLE_BYTES = 100
    lines = json.dumps({"text": SCHOLZ}) + "\n" + json.dumps({"text": STARMER * 3})
    path = write(tmp_path, "feed.jsonl", lines)
    _, err, ok = run(path)
    assert not ok
    assert f"{path} line 2: 'text' is too large" in err
    assert not Article.objects.exists()


def test_a_missing_path_is_named(db, tmp_path):
    _, err, ok = run(tmp_path / "nope.txt")
    assert not ok
    assert "nope.txt: no such file" in err


def test_url_and_title_options_need_a_single_path(db, tmp_path):
    a, b = write(tmp_path, "a.txt", STARMER), write(tmp_path, "b.txt", SCHOLZ)
    _, err, ok = run(a, b, "--url=https://example.com/1")
    assert not ok
    assert "exactly one PATH" in err
    assert not Article.objects.exists()


def test_a_bad_published_option_is_refused(db, tmp_path):
    _, err, ok = run(write(tmp_path, "a.txt", STARMER), "--published=yesterday")
    assert not ok
    assert "--published 'yesterday' is not a date" in err


def test_verbosity_2_says_what_became_of_each_file(db, tmp_path):
    a = write(tmp_path, "a.txt", STARMER)
    run(a)
    out, _, _ = run(a, write(tmp_path, "b.txt", SCHOLZ), "-v", "2")
    assert f"{a}: skipped, already there (article" in out
    assert "b.txt: imported as article" in out


def test_no_progress_bar_when_stderr_is_not_a_terminal(db, tmp_path):
    _, err, ok = run(write(tmp_path, "a.txt", STARMER))
    assert ok
    assert err == ""


# Idempotence.


def test_the_same_article_twice_is_stored_once(db, tmp_path):
    path = write(tmp_path, "a.txt", STARMER)
    run(path)
    out, _, ok = run(path)
    assert ok
    assert "Imported 0, skipped 1 (already there)" in out
    assert Article.objects.count() == 1
    assert Statement.objects.count() == 2


def test_the_same_text_in_another_file_is_skipped(db, tmp_path):
    run(write(tmp_path, "a.txt", STARMER))
    out, _, _ = run(write(tmp_path, "copy.json", json.dumps({"text": STARMER})))
    assert "skipped 1" in out
    assert Article.objects.count() == 1


def test_the_same_url_is_skipped_even_when_the_text_changed(db, tmp_path):
    run(write(tmp_path, "a.txt", "URL: https://example.com/a\n\n" + STARMER))
    out, _, _ = run(write(tmp_path, "b.txt", "URL: https://example.com/a\n\n" + SCHOLZ))
    assert "skipped 1" in out
    assert Article.objects.get().text == STARMER


def test_a_dry_run_stores_nothing(db, tmp_path):
    out, _, ok = run(write(tmp_path, "a.txt", STARMER), "--dry-run")
    assert ok
    assert out.startswith("Dry run, nothing saved: Imported 1")
    assert not Article.objects.exists()
    assert not Speaker.objects.exists()


def test_two_processes_give_the_same_result_as_one(db, tmp_path):
    for i, text in enumerate([STARMER, SCHOLZ, JOHNSON, STARMER_AGAIN]):
        write(tmp_path, f"{i}.txt", text)
    _, err, ok = run(tmp_path, "--processes=2", "--batch-size=1")
    assert ok, err
    two = sorted(Statement.objects.values_list("text", "speaker__name"))
    Article.objects.all().delete()
    Speaker.objects.all().delete()
    run(tmp_path, "--processes=1")
    assert sorted(Statement.objects.values_list("text", "speaker__name")) == two


# Speakers resolved against the database.


def test_a_known_alias_links_tomorrows_article_to_the_same_speaker(db, tmp_path):
    run(write(tmp_path, "a.txt", STARMER))
    out, _, _ = run(write(tmp_path, "b.txt", STARMER_AGAIN))
    keir = Speaker.objects.get(name="Keir Starmer")
    later = Article.objects.get(text=STARMER_AGAIN).statements.get()
    assert later.speaker == keir
    assert "0 new speakers" in out


def test_a_surname_owned_by_another_speaker_does_not_swallow_a_new_one(db, tmp_path):
    boris = Speaker.objects.create(name="Boris Johnson")
    SpeakerAlias.objects.create(speaker=boris, alias="Johnson")
    run(write(tmp_path, "a.txt", JOHNSON))
    mike = Speaker.objects.get(name="Mike Johnson")
    assert set(Statement.objects.values_list("speaker", flat=True)) == {mike.pk}
    assert SpeakerAlias.objects.get(normalised="johnson").speaker == boris


def test_pronouns_are_not_learnt_as_aliases(db, tmp_path):
    run(write(tmp_path, "a.txt", STARMER))
    assert not SpeakerAlias.objects.filter(normalised="he").exists()


def test_the_alias_learnt_from_a_correction_is_used_by_the_next_import(db, tmp_path):
    run(write(tmp_path, "a.txt", STARMER_AGAIN))
    st = Statement.objects.get()
    assert st.speaker.name == "Starmer"
    keir = Speaker.objects.create(name="Keir Starmer")
    # The admin's correction, with "also learn this mention" ticked.
    corrections.correct(st, keir, learn_alias=True)
    run(write(tmp_path, "b.txt", "Starmer said the summit was a success."))
    later = Article.objects.get(text__contains="summit").statements.get()
    assert later.speaker == keir


def test_a_statement_of_a_merged_speaker_goes_to_the_speaker_it_was_merged_into(
    db, tmp_path
):
    run(write(tmp_path, "a.txt", STARMER_AGAIN))
    short = Speaker.objects.get(name="Starmer")
    keir = Speaker.objects.create(name="Keir Starmer")
    corrections.merge([short], keir)
    run(write(tmp_path, "b.txt", "Starmer said the summit was a success."))
    later = Article.objects.get(text__contains="summit").statements.get()
    assert later.speaker == keir


def test_existing_topics_keep_an_admins_edits(db, tmp_path):
    run(write(tmp_path, "a.txt", STARMER))
    topic = Topic.objects.get(slug="defence-spending")
    topic.name = "Defence budgets"
    topic.save()
    run(write(tmp_path, "b.txt", SCHOLZ))
    assert Topic.objects.get(slug="defence-spending").name == "Defence budgets"


# --reextract.


@pytest.fixture
def reviewed(db, tmp_path):
    """The three statements of an article: one corrected, one rejected, one left automatic."""
    text = STARMER + " " + SCHOLZ
    run(write(tmp_path, "a.txt", text))
    article = Article.objects.get()
    statements = list(article.statements.order_by("start"))
    assert len(statements) == 3
    corrected, rejected, auto = statements
    other = Speaker.objects.create(name="Somebody Else")
    corrections.correct(corrected, other)
    corrections.set_status([rejected], "rejected")
    return article, corrected, rejected, auto


def snapshot(st):
    st.refresh_from_db()
    return (
        st.pk,
        st.speaker_id,
        st.review_status,
        st.text,
        st.start,
        st.end,
        st.updated_at,
        sorted(st.topics.values_list("slug", flat=True)),
    )


def test_reextract_keeps_what_the_admin_reviewed_exactly(reviewed):
    article, corrected, rejected, auto = reviewed
    before = [snapshot(corrected), snapshot(rejected)]
    out, err, ok = run("--reextract")
    assert ok, err
    assert "re-extracted 1" in out
    assert [snapshot(corrected), snapshot(rejected)] == before


def test_reextract_replaces_automatic_statements_without_duplicates(reviewed):
    article, corrected, rejected, auto = reviewed
    run("--reextract")
    statements = list(article.statements.order_by("start"))
    assert len(statements) == 3
    assert not Statement.objects.filter(pk=auto.pk).exists()
    replacement = statements[2]
    assert (replacement.start, replacement.end) == (auto.start, auto.end)
    assert replacement.review_status == "auto"


def test_reextract_of_a_path_reextracts_the_stored_article(reviewed, tmp_path):
    article, corrected, rejected, auto = reviewed
    out, _, ok = run(tmp_path / "a.txt", "--reextract")
    assert ok
    assert "Imported 0, re-extracted 1" in out
    assert not Statement.objects.filter(pk=auto.pk).exists()
    assert Statement.objects.filter(pk=corrected.pk, review_status="corrected").exists()


def test_the_importer_reextracts_a_queryset_for_the_admin_action(reviewed):
    article, corrected, *_ = reviewed
    summary = Importer().reextract(Article.objects.filter(pk=article.pk))
    assert summary.reextracted == 1
    assert summary.failed == 0
    assert Statement.objects.get(pk=corrected.pk).review_status == "corrected"


# The browse pages' pre-aggregated counts see what the bulk import wrote.


def test_the_facet_counts_include_imported_and_reextracted_statements(db, tmp_path):
    from statements.facets import summarise

    run(write(tmp_path, "a.txt", STARMER + " " + SCHOLZ))
    keir = Speaker.objects.get(name="Keir Starmer")
    public = Statement.objects.public()
    assert summarise(public).total == 3
    assert summarise(public.by_speaker(keir)).total == 2
    topic = Topic.objects.get(slug="defence-spending")
    assert summarise(public.on_topic(topic)).total == public.on_topic(topic).count()
    corrections.set_status([keir.statements.first()], "rejected")
    run("--reextract")
    assert summarise(Statement.objects.public().by_speaker(keir)).total == 1
    assert summarise(Statement.objects.public()).total == 2


class Fragile:
    """The real extractor, made to fail on one article, as a bug in it would."""

    def __init__(self, extractor, poison):
        self.extractor, self.poison = extractor, poison

    def _check(self, text):
        if self.poison in text:
            raise RuntimeError("the extractor broke")
        return text

    def extract(self, text):
        return self.extractor.extract(self._check(text))

    def pipe(self, texts, **kwargs):
        return self.extractor.pipe((self._check(t) for t in texts), **kwargs)


def test_an_article_the_extractor_fails_on_is_named_and_the_rest_imported(db, tmp_path):
    from statements.importing.service import ensure_topics, get_extractor

    ensure_topics()
    write(tmp_path, "1.txt", STARMER)
    write(tmp_path, "2.txt", SCHOLZ)
    write(tmp_path, "3.txt", JOHNSON)
    importer = Importer(
        extractor=Fragile(get_extractor(), "Olaf"), batch_size=8, err=io.StringIO()
    )
    summary = importer.run([str(tmp_path)])
    assert summary.imported == 2
    assert summary.failed == 1
    assert "2.txt: extraction failed" in str(summary.failures[0])
    assert not Article.objects.filter(text=SCHOLZ).exists()
    assert Article.objects.filter(text=JOHNSON).exists()


def test_a_known_name_after_a_description_is_the_same_person(db, tmp_path):
    keir = Speaker.objects.create(name="Keir Starmer")
    SpeakerAlias.objects.create(speaker=keir, alias="Keir Starmer")
    from statements.extraction.types import ArticleResult, SpeakerInfo
    from statements.extraction.types import Statement as Found
    from statements.importing.speakers import SpeakerResolver

    found = Found(
        start=0,
        end=3,
        text="yes",
        kind="direct",
        cue="said",
        speaker="Labour leader Keir Starmer",
        speaker_mention="Labour leader Keir Starmer",
    )
    result = ArticleResult([found], [SpeakerInfo(name="Labour leader Keir Starmer")])
    article = Article.objects.create(text="yes", content_hash="x")
    assert SpeakerResolver().resolve_article([found], result, article) == [keir]


@pytest.mark.parametrize(
    "alias,canonical,kind,expected",
    [
        # A surname alone is never an alias: who "Scholz" is depends on who is known.
        ("Scholz", "Olaf Scholz", "person", False),
        ("German Chancellor Olaf Scholz", "Olaf Scholz", "person", True),
        ("von der Leyen", "Ursula von der Leyen", "person", False),
        ("Sen. Ursula von der Leyen", "Ursula von der Leyen", "person", True),
        ("Jr.", "Olaf Scholz Jr.", "person", False),
        ("Eric Scholz", "Olaf Scholz", "person", False),
        ("he", "Olaf Scholz", "person", False),
        ("The German Chancellor", "Olaf Scholz", "person", False),
        ("Scholz’s remarks", "Olaf Scholz", "person", False),
        ("Then Scholz", "Olaf Scholz", "person", False),
        ("chancellor Scholz", "Olaf Scholz", "person", False),
        ("Olaf Scholz, who faces an election", "Olaf Scholz", "person", False),
        ("NATO", "North Atlantic Treaty Organization", "organisation", True),
        ("US", "United States", "country", True),
    ],
)
def test_only_names_are_learnt_as_aliases(alias, canonical, kind, expected):
    from statements.importing.speakers import learnable

    assert learnable(alias, canonical, kind) is expected


def test_an_article_that_fails_to_store_leaves_nothing_behind_for_the_next(
    transactional_db, tmp_path, monkeypatch
):
    """Its new speakers are rolled back with it, and the resolver forgets them: the
    next article creates them again rather than pointing at a row that is not there."""
    real = corrections.add_statements

    def poisoned(article, *args, **kwargs):
        if "POISON" in article.text:
            raise DatabaseError("the disk is full")
        return real(article, *args, **kwargs)

    monkeypatch.setattr(corrections, "add_statements", poisoned)
    write(tmp_path, "1.txt", STARMER + " POISON")
    write(tmp_path, "2.txt", STARMER)
    out, err, ok = run(tmp_path)

    assert not ok
    assert "1.txt: not stored: the disk is full" in err
    assert "Imported 1, skipped 0 (already there), failed 1" in out
    assert Article.objects.get().text == STARMER
    keir = Speaker.objects.get(name="Keir Starmer")
    assert Statement.objects.filter(speaker=keir).count() == 2
