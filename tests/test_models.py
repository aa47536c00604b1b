from statements.models import Speaker, SpeakerAlias, text_in_context

TEXT = "First one. Second one said “hello.” Third one. Fourth one."


def test_the_context_is_the_sentence_either_side():
    start = TEXT.index("hello")
    before, quote, after = text_in_context(TEXT, start, start + 5)
    assert before == "First one. Second one said “"
    assert quote == "hello"
    assert after == ".” Third one. "


def test_the_context_stops_at_the_start_and_end_of_the_text():
    before, quote, after = text_in_context(TEXT, 0, 9)
    assert before == ""
    assert quote == "First one"
    assert after == ". Second one said “hello.” "
    before, _, after = text_in_context(TEXT, TEXT.index("Fourth"), len(TEXT))
    assert before == "Third one. "
    assert after == ""


def test_the_context_treats_paragraphs_as_sentence_ends():
    text = "Headline\nShe said no.\nNext paragraph"
    start = text.index("no")
    before, _, after = text_in_context(text, start, start + 2)
    assert before == "Headline\nShe said "
    assert after == ".\nNext paragraph"


def test_a_speaker_gets_a_unique_slug(db):
    a = Speaker.objects.create(name="Ann Smith")
    b = Speaker.objects.create(name="Ann Smith")
    assert a.slug == "ann-smith"
    assert b.slug == "ann-smith-2"


def test_an_alias_is_stored_normalised(db):
    speaker = Speaker.objects.create(name="Keir Starmer")
    alias = SpeakerAlias.objects.create(
        speaker=speaker, alias="The UK Prime Minister’s"
    )
    assert alias.normalised == "uk prime minister"
