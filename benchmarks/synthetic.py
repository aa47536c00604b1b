"""Realistic, skewed synthetic data for the browse benchmark, loaded with COPY.

fill(connection, n_statements) writes speakers, topics, articles, statements and their
topics straight into the statements_* tables of an empty, migrated database:

- speakers: n/100 (10,000 at 1M), a Zipf-like skew so a few leaders speak most, and
  their countries skewed too (a few countries have most of the leaders);
- articles: n/10 (100,000 at 1M) over ten years, more of them in recent years;
- topics: the taxonomy of seeds/topics.json (21 major topics and their subtopics),
  some far more common than others; one to three major topics per statement, most
  with one of their subtopics, linked as the import links them (a subtopic with its
  major topic);
- statements: n, with text drawn from a political vocabulary that leans towards the
  statement's topics (their key phrases), so a full-text search for a topic word finds
  a few per cent.

The indexes on the statement tables are dropped during the load and rebuilt after it,
which is several times faster than keeping them up to date row by row.
"""

import datetime
import io
import json
from pathlib import Path

import numpy as np

SEED = 20260101
END = datetime.date(2026, 6, 30)
YEARS = 10

TOPICS_FILE = Path(__file__).resolve().parent.parent / "seeds" / "topics.json"
SUBTOPIC_SHARE = 0.7  # of a statement's major topics, how many come with a subtopic


def load_taxonomy():
    """(topics, words): the topics of seeds/topics.json, majors first, and for each
    the single words among its key phrases (weight 1) to write statements with."""
    topics = json.loads(TOPICS_FILE.read_text(encoding="utf-8"))["topics"]
    topics.sort(key=lambda t: t.get("parent") is not None)
    words = []
    for t in topics:
        own = [
            p.lower()
            for p in t.get("key_phrases", [])
            if "|" not in p and " " not in p and not p.startswith("@")
        ]
        words.append(own[:8] or [t["slug"].split("-")[0]])
    return topics, words


COMMON = [
    "we",
    "will",
    "not",
    "accept",
    "this",
    "the",
    "government",
    "must",
    "act",
    "now",
    "our",
    "people",
    "deserve",
    "better",
    "there",
    "is",
    "no",
    "question",
    "that",
    "this",
    "is",
    "a",
    "serious",
    "moment",
    "for",
    "the",
    "country",
    "and",
    "we",
    "are",
    "ready",
    "to",
    "work",
    "with",
    "partners",
    "the",
    "situation",
    "remains",
    "difficult",
    "but",
    "we",
    "are",
    "confident",
    "that",
    "the",
    "measures",
    "announced",
    "today",
    "will",
    "help",
    "families",
    "and",
    "businesses",
    "across",
    "the",
    "nation",
    "it",
    "is",
    "time",
    "for",
    "responsibility",
    "and",
    "we",
    "call",
    "on",
    "everyone",
    "to",
    "respect",
    "the",
    "law",
    "the",
    "minister",
    "said",
    "the",
    "plan",
    "would",
    "be",
    "presented",
    "next",
    "week",
    "after",
    "consultations",
]
FIRST = [
    "Anna",
    "Boris",
    "Carlos",
    "Dmitri",
    "Elena",
    "Fatima",
    "Giorgia",
    "Hans",
    "Ines",
    "Jacinda",
    "Kwame",
    "Li",
    "Marta",
    "Narendra",
    "Olaf",
    "Pedro",
    "Qin",
    "Rishi",
    "Sanna",
    "Tayyip",
    "Ursula",
    "Viktor",
    "Wang",
    "Xavier",
    "Yoon",
    "Zelda",
    "Ahmed",
    "Beatriz",
    "Chen",
    "Dilma",
    "Emmanuel",
    "Friedrich",
    "Gustavo",
    "Hakainde",
    "Ilham",
    "Joe",
    "Keir",
    "Luiz",
    "Mette",
    "Nicolas",
    "Ollanta",
    "Petr",
    "Recep",
    "Shinzo",
    "Tsai",
    "Uhuru",
    "Volodymyr",
    "William",
    "Ximena",
    "Yair",
]
LAST = [
    "Abe",
    "Baerbock",
    "Costa",
    "Draghi",
    "Erdogan",
    "Frederiksen",
    "Gandhi",
    "Hollande",
    "Ishiba",
    "Johnson",
    "Kagame",
    "Lula",
    "Macron",
    "Nkosi",
    "Orban",
    "Petro",
    "Quinn",
    "Ramaphosa",
    "Sanchez",
    "Trudeau",
    "Ulloa",
    "Varadkar",
    "Wolf",
    "Xi",
    "Yellen",
    "Zuma",
    "Albanese",
    "Bolsonaro",
    "Carney",
    "Duda",
    "Ebrahim",
    "Fico",
    "Gutierrez",
    "Hichilema",
    "Ivanov",
    "Jokowi",
    "Kishida",
    "Lee",
    "Meloni",
    "Netanyahu",
    "Obrador",
    "Putin",
    "Rutte",
    "Scholz",
    "Tusk",
    "Ulrich",
    "Vucic",
    "Widodo",
    "Yilmaz",
    "Zelensky",
]
OUTLETS = [
    "The Daily Record",
    "Evening Courier",
    "Global Wire",
    "The Capital Post",
    "Morning Herald",
    "News Agency",
    "The Observer Desk",
    "Metro Times",
    "World Review",
    "The Chronicle",
]
CUES = ["said", "told", "warned", "added", "stated", "insisted", "argued", "claimed"]
KINDS = ["direct", "indirect", "mixed"]


def zipf_weights(n, s=1.0):
    w = 1.0 / np.arange(1, n + 1) ** s
    return w / w.sum()


def sizes(n_statements):
    return {
        "speakers": max(10, n_statements // 100),
        "articles": max(10, n_statements // 10),
        "statements": n_statements,
    }


def fill(conn, n_statements, log=print):
    """Load n_statements (and everything they need) into the empty tables of conn."""
    rng = np.random.default_rng(SEED)
    n = sizes(n_statements)
    with conn.cursor() as cur:
        cur.execute("SELECT id, code FROM statements_country ORDER BY code")
        countries = cur.fetchall()
    country_ids = np.array([c[0] for c in countries])
    now = datetime.datetime.now(datetime.UTC).isoformat()

    # Topics: the taxonomy, majors first (ids 1..21), then the subtopics.
    topics, topic_words = load_taxonomy()
    ids = {t["slug"]: i + 1 for i, t in enumerate(topics)}
    majors = [i for i, t in enumerate(topics) if not t.get("parent")]
    children = {m: [] for m in majors}
    for i, t in enumerate(topics):
        if t.get("parent"):
            children[ids[t["parent"]] - 1].append(i)
    topic_rows = [
        (
            i + 1,
            t["name"],
            t["slug"],
            _copy_text(t.get("description", "")),
            _copy_text(json.dumps(t.get("key_phrases", []))),
            ids[t["parent"]] if t.get("parent") else r"\N",
            "{}",
        )
        for i, t in enumerate(topics)
    ]
    copy_rows(
        conn,
        "statements_topic",
        ["id", "name", "slug", "description", "key_phrases", "parent_id", "seeded"],
        topic_rows,
    )

    # Speakers: countries skewed (a few countries have many leaders).
    n_speakers = n["speakers"]
    shuffled = rng.permutation(country_ids)
    speaker_country = rng.choice(
        shuffled, size=n_speakers, p=zipf_weights(len(shuffled), 0.9)
    )
    speaker_rows = []
    for i in range(n_speakers):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
        if i >= len(FIRST) * len(LAST):
            name += f" {i}"
        slug = name.lower().replace(" ", "-") + f"-{i + 1}"
        given, surname = name.split(" ", 1)
        speaker_rows.append(
            (
                i + 1,
                name,
                slug,
                "person",
                int(speaker_country[i]),
                r"\N",
                now,
                given,
                "",
                surname,
                "",
                "",
                "stated",
            )
        )
    copy_rows(
        conn,
        "statements_speaker",
        [
            "id",
            "name",
            "slug",
            "kind",
            "country_id",
            "merged_into_id",
            "created_at",
            "given_name",
            "middle_names",
            "surname",
            "name_suffix",
            "source",
            "country_basis",
        ],
        speaker_rows,
    )
    log(f"  {len(topic_rows)} topics, {n_speakers:,} speakers")

    # Articles over ten years, more of them lately.
    n_articles = n["articles"]
    days = YEARS * 365
    age = (rng.power(1.6, size=n_articles) * days).astype(int)
    published = [END - datetime.timedelta(days=days - int(a)) for a in age]
    outlets = rng.integers(0, len(OUTLETS), size=n_articles)

    def article_rows():
        for i in range(n_articles):
            yield (
                i + 1,
                f"Synthetic article {i + 1}",
                f"https://example.com/news/{i + 1}",
                OUTLETS[outlets[i]],
                published[i].isoformat(),
                "Synthetic text.",
                f"{i + 1:064x}",
                now,
                "synthetic",
            )

    copy_rows(
        conn,
        "statements_article",
        [
            "id",
            "title",
            "url",
            "outlet",
            "published",
            "text",
            "content_hash",
            "imported_at",
            "extractor_version",
        ],
        article_rows(),
    )
    log(f"  {n_articles:,} articles")

    # Statements: speakers by Zipf (the top leader says ~10%), 2% unattributed.
    n_st = n["statements"]
    speaker = rng.choice(
        np.arange(1, n_speakers + 1), size=n_st, p=zipf_weights(n_speakers, 1.0)
    )
    unattributed = rng.random(n_st) < 0.02
    article = rng.integers(1, n_articles + 1, size=n_st)
    kind = rng.choice(3, size=n_st, p=[0.55, 0.35, 0.10])
    cue = rng.integers(0, len(CUES), size=n_st)
    status = rng.choice(
        ["auto", "verified", "corrected", "rejected"],
        size=n_st,
        p=[0.95, 0.03, 0.01, 0.01],
    )
    major_p = zipf_weights(len(majors), 0.8)
    n_topics = rng.choice([1, 2, 3], size=n_st, p=[0.5, 0.35, 0.15])
    first_topic = np.array(majors)[rng.choice(len(majors), size=n_st, p=major_p)]
    other_topics = np.array(majors)[rng.choice(len(majors), size=(n_st, 2), p=major_p)]
    with_sub = rng.random((n_st, 3)) < SUBTOPIC_SHARE
    sub_pick = rng.random((n_st, 3))
    common_idx = rng.integers(0, len(COMMON), size=(n_st, 14))
    topic_word_idx = rng.integers(0, 6, size=(n_st, 2))
    conf = rng.random(n_st)
    seq_in_article = np.zeros(n_st, dtype=np.int64)
    counts = {}
    for i, a in enumerate(article):
        c = counts.get(a, 0)
        seq_in_article[i] = c
        counts[a] = c + 1
    # Country and date are denormalised onto the statement (see Statement.save()).
    speaker_country_of = {i + 1: int(speaker_country[i]) for i in range(n_speakers)}

    def statement_rows():
        for i in range(n_st):
            art = int(article[i])
            topics_i = [int(first_topic[i])]
            for t in other_topics[i][: n_topics[i] - 1]:
                if int(t) not in topics_i:
                    topics_i.append(int(t))
            # Most come with one of their subtopics, the first subtopics commoner.
            subs = []
            for k, m in enumerate(topics_i):
                if with_sub[i][k] and children[m]:
                    subs.append(
                        children[m][int(sub_pick[i][k] ** 2 * len(children[m]))]
                    )
            words = [COMMON[j] for j in common_idx[i][: 8 + i % 7]]
            tw = topic_words[subs[0] if subs else topics_i[0]]
            words.insert(3, tw[topic_word_idx[i][0] % len(tw)])
            if len(topics_i) > 1:
                tw2 = topic_words[topics_i[1]]
                words.append(tw2[topic_word_idx[i][1] % len(tw2)])
            topics_i += subs
            text = " ".join(words).capitalize() + "."
            start = int(seq_in_article[i]) * 400
            sp = r"\N" if unattributed[i] else int(speaker[i])
            country = r"\N" if unattributed[i] else speaker_country_of[int(speaker[i])]
            yield (
                (
                    i + 1,
                    art,
                    sp,
                    "" if sp == r"\N" else "the leader",
                    KINDS[kind[i]],
                    CUES[cue[i]],
                    text,
                    start,
                    start + len(text),
                    "synthetic",
                    f"{conf[i]:.3f}",
                    status[i],
                    published[art - 1].isoformat(),
                    country,
                    now,
                    now,
                ),
                topics_i,
            )

    statement_cols = [
        "id",
        "article_id",
        "speaker_id",
        "speaker_mention",
        "kind",
        "cue",
        "text",
        "start",
        "end",
        "method",
        "confidence",
        "review_status",
        "published",
        "country_id",
        "created_at",
        "updated_at",
    ]
    topic_links = io.StringIO()
    link_id = 0
    with conn.cursor() as cur:
        with cur.copy(
            "COPY statements_statement ({}) FROM STDIN".format(
                ", ".join(f'"{c}"' for c in statement_cols)
            )
        ) as copy:
            buf = []
            for row, topics_i in statement_rows():
                buf.append("\t".join(str(v) for v in row))
                for t in topics_i:
                    link_id += 1
                    topic_links.write(f"{link_id}\t{row[0]}\t{t + 1}\n")
                if len(buf) >= 20000:
                    copy.write("\n".join(buf) + "\n")
                    buf = []
            if buf:
                copy.write("\n".join(buf) + "\n")
        log(f"  {n_st:,} statements")
        with cur.copy(
            "COPY statements_statement_topics (id, statement_id, topic_id) FROM STDIN"
        ) as copy:
            topic_links.seek(0)
            while chunk := topic_links.read(1 << 20):
                copy.write(chunk)
        log(f"  {link_id:,} statement topics")
        for table in (
            "statements_topic",
            "statements_speaker",
            "statements_article",
            "statements_statement",
            "statements_statement_topics",
        ):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )


def _copy_text(value: str) -> str:
    """A value as COPY's text format reads it."""
    return value.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def copy_rows(conn, table, columns, rows):
    with (
        conn.cursor() as cur,
        cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write("\t".join(str(v) for v in row) + "\n")
