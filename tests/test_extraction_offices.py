"""Offices and countries belong to the person: positions from the controlled list in full words, with
their body or jurisdiction; countries from the person's own office, descriptor, party tag or dateline;
sub-national places are never countries; officials of international bodies have none."""

from .extraction_helpers import extract, find


def test_an_abbreviated_title_comes_out_in_full_words():
    result = extract("Sen. Rhoda Vance said the farm bill would pass.")
    info = result.speaker("Rhoda Vance")
    assert info.position == "Senator"
    assert find(result.statements, "farm bill").position == "Senator"


def test_a_lower_case_title_comes_out_as_the_listed_title():
    result = extract(
        "The bill's sponsor, senator Rhoda Vance, said the farm bill would pass."
    )
    assert result.speaker("Rhoda Vance").position == "Senator"


def test_a_party_tag_gives_the_state_as_jurisdiction_and_the_us_as_country():
    result = extract("Sen. Rhoda Vance (R-Tex.) said the farm bill would pass.")
    info = result.speaker("Rhoda Vance")
    assert (info.position, info.organisation, info.country) == (
        "Senator",
        "Texas",
        "US",
    )
    assert info.office == "Senator for Texas"


def test_a_party_tag_after_a_comma_counts_too():
    result = extract("Rep. Abel Marsh, D-Calif., said the dam must be rebuilt.")
    info = result.speaker("Abel Marsh")
    assert (info.country, info.organisation) == ("US", "California")


def test_a_spokesperson_keeps_the_body_they_speak_for():
    result = extract(
        "Lina Poole, a spokeswoman for the Hartley campaign, said the rally would go ahead."
    )
    info = result.speaker("Lina Poole")
    assert info.position == "Spokeswoman"
    assert info.organisation == "Hartley campaign"


def test_another_persons_office_is_not_given_to_the_speaker():
    result = extract(
        "The German chancellor’s spokesperson Anna Weller said the meeting was constructive."
    )
    info = result.speaker("Anna Weller")
    assert (info.position, info.country) == ("Spokesperson", "DE")


def test_an_office_goes_only_to_the_person_the_text_gives_it_to():
    text = (
        "Governor Tessa Krall and Attorney General Omar Feld filed the lawsuit. "
        "Krall said the state would win. Feld said the case was strong."
    )
    result = extract(text)
    assert result.speaker("Tessa Krall").position == "Governor"
    assert result.speaker("Omar Feld").position == "Attorney General"


def test_a_person_keeps_one_country_and_office_across_their_statements():
    text = (
        "Vance said the talks were over. "
        "Later, Norwegian Foreign Minister Ivar Vance said the embassy would stay open. "
        "Vance said the sanctions would remain."
    )
    result = extract(text)
    mine = [s for s in result.statements if s.speaker == "Ivar Vance"]
    assert len(mine) == 3
    assert {(s.position, s.country) for s in mine} == {("Foreign Minister", "NO")}


def test_officials_of_international_bodies_have_no_country():
    text = (
        "NATO Secretary General Piet Aalders said the alliance was united. "
        "EU foreign policy chief Marta Quist said the sanctions would stay."
    )
    result = extract(text)
    nato = result.speaker("Piet Aalders")
    assert (nato.position, nato.organisation, nato.country) == (
        "Secretary-General",
        "NATO",
        None,
    )
    eu = result.speaker("Marta Quist")
    assert eu.country is None
    assert eu.organisation == "European Union"


def test_a_countrys_ambassador_to_the_un_keeps_their_country():
    result = extract(
        "French Ambassador to the UN Claire Morel said the vote was a turning point."
    )
    assert result.speaker("Claire Morel").country == "FR"


def test_a_us_dateline_gives_us_officials_their_country():
    text = (
        "WASHINGTON (AP) — Senator Mara Quist told reporters that the bill would pass."
    )
    result = extract(text)
    assert result.speaker("Mara Quist").country == "US"


def test_an_unqualified_president_in_an_article_without_a_country_is_the_us_president():
    text = "President Dale Hurst said the tariffs would stay until the talks end."
    assert extract(text).speaker("Dale Hurst").country == "US"


def test_what_the_text_says_beats_the_usual_country_of_a_title():
    text = "Kenyan President Amos Wekesa said the tax bill would be withdrawn."
    assert extract(text).speaker("Amos Wekesa").country == "KE"


def test_new_jersey_and_new_mexico_are_not_jersey_and_mexico():
    text = (
        "New Jersey Governor Carla Diaz said the bridge would reopen. "
        "New Mexico Governor Hal Brook said the drought was over."
    )
    result = extract(text)
    diaz, brook = result.speaker("Carla Diaz"), result.speaker("Hal Brook")
    assert (diaz.country, diaz.organisation) == ("US", "New Jersey")
    assert (brook.country, brook.organisation) == ("US", "New Mexico")


def test_georgia_in_a_us_article_is_the_state():
    text = (
        "Georgia Governor Lyle Perrin said the port in Savannah would expand. "
        "Sen. Ada Marsh (D-Ohio) said the plan was sound."
    )
    info = extract(text).speaker("Lyle Perrin")
    assert (info.country, info.organisation) == ("US", "Georgia")


def test_georgia_elsewhere_is_the_country():
    text = "Georgian Prime Minister Levan Abashidze said the talks with Moscow had stalled."
    assert extract(text).speaker("Levan Abashidze").country == "GE"


def test_kosovo_is_a_country():
    text = "Kosovo Prime Minister Arben Krasniqi said the border would reopen."
    assert extract(text).speaker("Arben Krasniqi").country == "XK"


def test_a_title_alone_can_name_the_country():
    text = "Taoiseach Niall Brennan said the housing plan would be funded."
    info = extract(text).speaker("Niall Brennan")
    assert (info.position, info.country) == ("Taoiseach", "IE")


def test_a_person_with_no_descriptor_takes_the_articles_clear_home_country():
    text = (
        "Danish Prime Minister Mette Holm met unions in Copenhagen. "
        "Danish Foreign Minister Lars Borg said the talks went well. "
        "Denmark will hold a vote on Friday. "
        "Karen Strand said the opposition would vote against it."
    )
    assert extract(text).speaker("Karen Strand").country == "DK"


def test_a_deputy_holds_another_office_than_the_one_they_deputise():
    text = (
        "Premier Lucia Ferro said the centres would open. "
        "Deputy Premier Marco Lanza said the court was wrong."
    )
    result = extract(text)
    assert result.speaker("Lucia Ferro").position == "Premier"
    assert result.speaker("Marco Lanza").position == "Deputy Premier"


def test_a_guessed_country_of_the_person_whose_office_it_is_is_not_passed_on():
    text = (
        "President Ivan Holub’s chief of staff Petro Danko said the talks would resume."
    )
    info = extract(text).speaker("Petro Danko")
    assert info.position == "Chief of Staff"
    assert info.country is None


def test_the_words_of_a_phrase_a_name_belongs_to_are_not_its_office():
    text = "Cabinet members of President Rosa Alba said they had not met the court."
    result = extract(text)
    alba = result.speaker("Rosa Alba")
    assert alba is None or alba.organisation is None


def test_a_committee_before_a_title_is_its_body_and_a_party_is_not():
    text = (
        "Senate Finance Committee Chairman Ivo Rask said the bill was dead. "
        "Republican Rep. Ada Lind said it was not."
    )
    result = extract(text)
    assert result.speaker("Ivo Rask").organisation == "Senate Finance Committee"
    lind = result.speaker("Ada Lind")
    assert (lind.position, lind.organisation) == ("Representative", None)


def test_an_article_about_people_of_many_countries_lends_none_its_country():
    text = (
        "Polish Prime Minister Jan Nowicki met the others in Paris. "
        "German Chancellor Karl Weber said Europe must spend more. "
        "Russian Foreign Minister Oleg Sorin said Moscow would not wait. "
        "Russian President Ivan Petrov said the talks could begin. "
        "Danish Prime Minister Mette Holm said the summit was a start. "
        "The leader's special envoy, Alan Reed, said a deal was close."
    )
    result = extract(text)
    assert result.speaker("Karl Weber").country == "DE"
    assert result.speaker("Alan Reed").country is None


def test_a_group_that_names_no_place_belongs_to_the_articles_home_country():
    text = (
        "Danish Prime Minister Mette Holm met unions in Copenhagen. "
        "Danish Foreign Minister Lars Borg said the talks went well. "
        "Denmark will hold a vote on Friday. "
        "Officials said the vote would be close. "
        "European diplomats said they were watching."
    )
    result = extract(text)
    assert result.speaker("Officials").country == "DK"
    assert result.speaker("European diplomats").country is None


def test_the_country_a_descriptor_states_is_marked_stated_and_a_home_country_is_not():
    text = (
        "Danish Prime Minister Mette Holm met unions in Copenhagen. "
        "Danish Foreign Minister Lars Borg said the talks went well. "
        "Denmark will hold a vote on Friday. "
        "Karen Strand said the opposition would vote against it."
    )
    result = extract(text)
    assert (
        result.speaker("Lars Borg").country,
        result.speaker("Lars Borg").country_stated,
    ) == ("DK", True)
    strand = result.speaker("Karen Strand")
    assert (strand.country, strand.country_stated) == ("DK", False)


def test_a_party_tag_states_the_country():
    info = extract("Sen. Rhoda Vance (R-Tex.) said the farm bill would pass.").speaker(
        "Rhoda Vance"
    )
    assert (info.country, info.country_stated) == ("US", True)


def test_a_place_before_a_comma_describes_nobody():
    text = (
        "Asked about the floods in Moldova, Ivo Renner said the aid had come too late. "
        "Renner said more was needed."
    )
    info = extract(text).speaker("Ivo Renner")
    assert info.country != "MD"


def test_a_demonym_that_is_a_persons_surname_is_no_country():
    text = (
        "Dana French, the owner of a shipping firm, said the port fees were too high. "
        "French said she would sue."
    )
    result = extract(text)
    assert find(result.statements, "would sue").speaker == "Dana French"
    assert result.speaker("Dana French").country != "FR"


def test_an_abbreviated_military_rank_is_a_title_and_not_a_name():
    text = (
        "“The drills will go on,” said ministry spokesman Navy Capt. Joel Brandt, "
        "who was asked about the plan."
    )
    result = extract(text)
    s = find(result.statements, "drills will go on")
    assert s.speaker == "Joel Brandt"
    info = result.speaker("Joel Brandt")
    assert (info.position, info.organisation) == ("Captain", "Navy")


def test_a_headlines_longer_name_is_cut_to_the_name_the_prose_gives():
    text = (
        "Dorsey Challenger Nadia Quell Demands Inquiry Into Port Deal.\n\n"
        "Former port commissioner Dr. Nadia Quell demanded an inquiry into the port deal "
        "on Tuesday. Quell said the contract had been signed in secret. "
        "Mayor Tim Dorsey said the deal was fair."
    )
    result = extract(text)
    assert "Dorsey Challenger Nadia Quell" not in [s.name for s in result.speakers]
    assert find(result.statements, "signed in secret").speaker == "Nadia Quell"


def test_a_demonym_that_is_a_persons_given_name_is_no_country():
    text = (
        "“Audiences laugh,” said German Olmedo, one of the stars of the play. "
        "“It is a critique,” said Freddy Olmedo, German's brother.\n\n"
        "German Olmedo says that the overwhelming reaction to the show has been warm."
    )
    result = extract(text)
    assert result.speaker("German Olmedo").country != "DE"
    assert result.speaker("Freddy Olmedo").country != "DE"
    assert find(result.statements, "reaction to the show").speaker == "German Olmedo"
