"""The corrections workflow: admins review statements, fix speakers, merge duplicates.

Every model uses SimpleHistoryAdmin, so each change shows who made it and when.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from . import corrections, registry
from .batch_tables import ImportBatch, ImportItem
from .extraction.topics import format_phrase, parse_phrase
from .models import Article, Position, Speaker, SpeakerAlias, Statement, Topic

LOW_CONFIDENCE = 0.6


class CheckedChangeList(ChangeList):
    """A lookup value the database cannot take (?published__year=99999999999) is a
    bad lookup, which the admin answers with its "?e=1" page, not a server error."""

    def get_results(self, request):
        try:
            super().get_results(request)
        except OverflowError as e:
            raise IncorrectLookupParameters(e) from e


def _link(obj, text=None):
    if obj is None:
        return "—"
    url = reverse(
        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]
    )
    return format_html('<a href="{}">{}</a>', url, text or str(obj))


class _HistoryWording(HistoricalRecordContextHelper):
    """A foreign key that was empty reads "—" in the history, not simple-history's
    "Deleted speaker (pk=None)"; one that points at a deleted record says so."""

    def prepare_delta_change_value(self, change, value):
        if isinstance(value, DeletedObject):
            if value.pk is None:
                return "—"
            return f"{value.model._meta.verbose_name} #{value.pk} (deleted)"
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """Every model's admin: its history, in words, the admin's own stylesheet, and bad
    lookups refused."""

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/admin.js"]

    def get_historical_record_context_helper(self, request, historical_record):
        return _HistoryWording(self.model, historical_record)

    def get_changelist(self, request, **kwargs):
        return CheckedChangeList

    def get_object(self, request, object_id, from_field=None):
        # An empty ?_to_field= means the primary key, not a field named "".
        return super().get_object(request, object_id, from_field or None)


# Statements.


class ConfidenceFilter(admin.SimpleListFilter):
    title = "confidence"
    parameter_name = "confidence"

    def lookups(self, request, model_admin):
        return [
            ("low", f"Low (below {LOW_CONFIDENCE:g})"),
            ("high", f"{LOW_CONFIDENCE:g} or more"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "low":
            return queryset.filter(confidence__lt=LOW_CONFIDENCE)
        if self.value() == "high":
            return queryset.filter(confidence__gte=LOW_CONFIDENCE)
        return queryset


class IsNullFilter(admin.SimpleListFilter):
    """A filter on whether `field` is empty: `options` are (value, label, is_null)."""

    field = ""
    options: tuple = ()

    def lookups(self, request, model_admin):
        return [(value, label) for value, label, _ in self.options]

    def queryset(self, request, queryset):
        for value, _, is_null in self.options:
            if self.value() == value:
                return queryset.filter(**{f"{self.field}__isnull": is_null})
        return queryset


class AttributionFilter(IsNullFilter):
    title = "attribution"
    parameter_name = "attributed"
    field = "speaker"
    options = (("no", "Unattributed", True), ("yes", "Attributed", False))


class SpeakerPicker(AutocompleteSelect):
    """The admin's speaker picker: each option shows kind, country and statement
    count (SpeakerAdmin.pick_view), never a speaker merged away, nor those in
    `exclude` (the speakers being merged)."""

    def __init__(self, admin_site, exclude=(), attrs=None):
        super().__init__(Statement._meta.get_field("speaker"), admin_site, attrs)
        self.exclude = [int(pk) for pk in exclude]

    def get_url(self):
        url = reverse("admin:statements_speaker_pick")
        if self.exclude:
            url += "?exclude=" + ",".join(str(pk) for pk in self.exclude)
        return url


class StatementAdminForm(forms.ModelForm):
    learn_alias = forms.BooleanField(
        required=False,
        label="Also learn this mention as an alias of the new speaker",
        help_text="So that the next import resolves the same mention to the same speaker. "
        "Only used when the speaker is changed; pronouns are never learnt.",
    )

    class Meta:
        model = Statement
        fields = ["speaker", "review_status", "kind", "topics"]


class SetSpeakerForm(forms.Form):
    learn_alias = forms.BooleanField(
        required=False,
        label="Also learn their mentions as aliases of this speaker",
        help_text="Pronouns are never learnt.",
    )

    def __init__(self, *args, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"] = forms.ModelChoiceField(
            queryset=Speaker.objects.filter(merged_into=None),
            label="Speaker",
            widget=SpeakerPicker(admin_site),
        )
        self.order_fields(["speaker", "learn_alias"])


@admin.register(Statement)
class StatementAdmin(HistoryAdmin):
    form = StatementAdminForm
    # Five columns, so the list fits a 1280 px screen with both sidebars open: the
    # kind shows as quotation marks, the mention under the speaker, the confidence
    # beside the review status.
    list_display = [
        "short_text",
        "speaker_display",
        "article_link",
        "review_display",
        "published",
    ]
    list_filter = [
        "review_status",
        "kind",
        ConfidenceFilter,
        AttributionFilter,
        ("country", admin.RelatedOnlyFieldListFilter),
        "topics",
        "method",
    ]
    search_fields = ["text", "speaker_mention", "speaker__name", "article__title"]
    list_select_related = ["speaker", "article"]
    # At a million statements, one count per page is enough.
    show_full_result_count = False
    autocomplete_fields = ["speaker"]
    filter_horizontal = ["topics"]  # static/js/admin.js mends its icons' ARIA
    actions = ["mark_verified", "reject", "set_speaker"]
    readonly_fields = [
        "in_context",
        "speaker_position",
        "speaker_mention",
        "cue",
        "article_link",
        "method",
        "confidence_display",
        "start",
        "end",
        "published",
        "country",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["in_context", "article_link"]}),
        (
            "Attribution",
            {
                "fields": [
                    "speaker_mention",
                    "speaker",
                    "speaker_position",
                    "learn_alias",
                    "review_status",
                    "kind",
                    "cue",
                    "method",
                    "confidence_display",
                ]
            },
        ),
        ("Topics", {"fields": ["topics"]}),
        (
            "Details",
            {
                "classes": ["collapse"],
                "fields": [
                    "start",
                    "end",
                    "published",
                    "country",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "speaker")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "speaker":
            kwargs["widget"] = SpeakerPicker(self.admin_site)
            kwargs["queryset"] = Speaker.objects.filter(merged_into=None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return False  # statements come from articles, through import_articles

    @admin.display(description="statement", ordering="id")
    def short_text(self, obj):
        text = Truncator(obj.text).chars(90)
        if obj.kind == Statement.Kind.DIRECT:
            return f"“{text}”"
        return f"{text} ({obj.get_kind_display().lower()})"

    @admin.display(description="speaker", ordering="speaker__name")
    def speaker_display(self, obj):
        """The speaker, and the mention as written when it differs."""
        name = obj.speaker.name if obj.speaker else "—"
        mention = obj.speaker_mention.strip()
        if mention and mention != name:
            return format_html('{}<span class="mention">as “{}”</span>', name, mention)
        return name

    @admin.display(description="article", ordering="article")
    def article_link(self, obj):
        return _link(obj.article, Truncator(str(obj.article)).chars(50))

    @admin.display(description="confidence", ordering="confidence")
    def confidence_display(self, obj):
        text = f"{obj.confidence:.2f}"
        if obj.confidence < LOW_CONFIDENCE:
            return format_html('<span class="low-confidence">{} (low)</span>', text)
        return text

    @admin.display(description="review", ordering="review_status")
    def review_display(self, obj):
        return format_html(
            '{}<span class="detail">{}</span>',
            obj.get_review_status_display(),
            self.confidence_display(obj),
        )

    @admin.display(description="position then")
    def speaker_position(self, obj):
        """The position the speaker held on the statement's date."""
        if not obj.speaker_id:
            return "—"
        return obj.speaker.position_on(obj.published) or "—"

    @admin.display(description="in context")
    def in_context(self, obj):
        if not obj.pk:
            return "—"
        before, quote, after = obj.context()
        return format_html(
            '<div class="in-context">{}<mark>{}</mark>{}</div>',
            before,
            quote,
            after,
        )

    def save_model(self, request, obj, form, change):
        """Through corrections.edit(): any change of the attribution (speaker, kind,
        topics) marks the statement corrected, which --reextract keeps."""
        fields = {"speaker", "kind", "topics", "review_status"} & set(form.changed_data)
        changes = {f: form.cleaned_data[f] for f in fields}
        result = corrections.edit(
            obj,
            changes,
            user=request.user,
            learn_alias=bool(form.cleaned_data.get("learn_alias")),
        )
        obj.refresh_from_db()
        self._report_learnt(request, result, obj.speaker)

    def save_related(self, request, form, formsets, change):
        """The topics were saved by corrections.edit() in save_model()."""

    def _report_learnt(self, request, result, speaker):
        for mention in result.refused:
            self.message_user(
                request,
                f"“{mention or '(no mention)'}” was not learnt as an alias: "
                "pronouns and empty mentions are never learnt.",
                messages.WARNING,
            )
        if result.learnt:
            learnt = ", ".join(f"“{m}”" for m in result.learnt)
            self.message_user(
                request,
                f"From now on {learnt} resolve(s) to {speaker}.",
                messages.SUCCESS,
            )

    def delete_model(self, request, obj):
        corrections.delete_statements([obj], request.user)

    def delete_queryset(self, request, queryset):
        corrections.delete_statements(queryset, request.user)

    def _set_status(self, request, queryset, status, verb):
        n = corrections.set_status(queryset, status, request.user)
        self.message_user(request, f"{n} statement(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Mark verified", permissions=["change"])
    def mark_verified(self, request, queryset):
        self._set_status(request, queryset, Statement.ReviewStatus.VERIFIED, "verified")

    @admin.action(description="Reject", permissions=["change"])
    def reject(self, request, queryset):
        self._set_status(request, queryset, Statement.ReviewStatus.REJECTED, "rejected")

    @admin.action(description="Change speaker…", permissions=["change"])
    def set_speaker(self, request, queryset):
        """Gives the selected statements one speaker (each marked corrected), after an
        intermediate page that asks which."""
        if "apply" in request.POST:
            form = SetSpeakerForm(request.POST, admin_site=self.admin_site)
            if form.is_valid():
                speaker = form.cleaned_data["speaker"]
                result = corrections.correct_many(
                    queryset,
                    speaker,
                    request.user,
                    learn_alias=form.cleaned_data["learn_alias"],
                )
                message = f"{result.changed} statement(s) now attributed to {speaker}."
                if result.learnt:
                    message += (
                        " Learnt: " + ", ".join(f"“{m}”" for m in result.learnt) + "."
                    )
                self.message_user(request, message, messages.SUCCESS)
                return None
        else:
            form = SetSpeakerForm(admin_site=self.admin_site)
        ctx = {
            **self.admin_site.each_context(request),
            "title": "Change the speaker of these statements",
            "opts": self.model._meta,
            "statements": queryset.select_related("speaker")[:200],
            "count": queryset.count(),
            "form": form,
            "media": self.media + form.media,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "ids": list(queryset.values_list("pk", flat=True)),
        }
        return TemplateResponse(
            request, "admin/statements/statement/set_speaker.html", ctx
        )


# Speakers.


class LabelledFormSet(BaseInlineFormSet):
    """A tabular inline's rows have no <label>s (the column headings name them), so
    each field, the delete box too, carries its name as aria-label."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside a wrapper
            label = "Delete" if name == "DELETE" else capfirst(field.label or name)
            widget.attrs.setdefault("aria-label", label)


class LabelledTabularInline(admin.TabularInline):
    formset = LabelledFormSet


class SpeakerAliasInline(LabelledTabularInline):
    model = SpeakerAlias
    fields = ["alias", "normalised", "learnt_from_correction"]
    readonly_fields = ["normalised"]
    extra = 0


class PositionInline(LabelledTabularInline):
    model = Position
    fk_name = "speaker"
    fields = [
        "title",
        "country",
        "organisation",
        "start_date",
        "end_date",
        "source_article",
    ]
    raw_id_fields = ["source_article"]
    extra = 0


class MergeForm(forms.Form):
    def __init__(self, *args, admin_site=None, merging=(), **kwargs):
        super().__init__(*args, **kwargs)
        ids = [s.pk for s in merging]
        self.fields["target"] = forms.ModelChoiceField(
            queryset=Speaker.objects.filter(merged_into=None),
            label="Merge into",
            help_text="The speaker that remains (not one of those being merged). "
            "The others keep their record, marked as merged.",
            widget=SpeakerPicker(admin_site, exclude=ids),
        )


class NeedsReviewFilter(admin.SimpleListFilter):
    """Suspect speakers (statements/registry.py): not a parseable name, lower-case,
    digits, one word, a doubtful kind."""

    title = "needs review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("yes", "Needs review")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return registry.needs_review(queryset)
        return queryset


class SpeakerPickView(AutocompleteJsonView):
    """The speaker picker's options: "Jane Roe · person · US · 12 statements"."""

    def get_queryset(self):
        """Matched like the public Leader box (any word of the name or an alias),
        most quoted first, counted from the count tables."""
        queryset = Speaker.objects.remaining()
        if self.term:
            queryset = queryset.matching(self.term)
        exclude = [
            int(x)
            for x in self.request.GET.get("exclude", "").split(",")
            if x.strip().isdigit()
        ]
        return (
            queryset.exclude(pk__in=exclude)
            .by_statement_count()
            .select_related("country")
        )

    def serialize_result(self, obj, to_field_name):
        where = f" · {obj.country.code}" if obj.country_id else ""
        return {
            "id": str(getattr(obj, to_field_name)),
            "text": f"{obj.name} · {obj.kind}{where} · {obj.n_statements} statement"
            f"{'' if obj.n_statements == 1 else 's'}",
        }


class StatementCountMixin:
    """A sortable "statements" column, counted in the list's own query (no query per row)."""

    count_ordering = ("pk",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_statements=Count("statements", distinct=True))
            .order_by(*self.count_ordering)
        )

    @admin.display(description="statements", ordering="n_statements")
    def statement_count(self, obj):
        return obj.n_statements


@admin.register(Speaker)
class SpeakerAdmin(HistoryAdmin):
    list_display = [
        "name",
        "kind",
        "country",
        "statement_count",
        "review",
        "merged_into",
    ]
    list_filter = [
        NeedsReviewFilter,
        "kind",
        ("country", admin.RelatedOnlyFieldListFilter),
    ]
    change_list_template = "admin/statements/speaker/change_list.html"
    search_fields = ["name", "aliases__alias"]
    list_select_related = ["country", "merged_into"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SpeakerAliasInline, PositionInline]
    actions = ["merge"]
    # Merging goes through the "Merge into…" action, which moves the statements too.
    readonly_fields = [
        "name_parts",
        "country_basis",
        "merged_into",
        "statements_link",
        "created_at",
    ]
    fields = [
        "name",
        "name_parts",
        "slug",
        "kind",
        "country",
        "country_basis",
        "source",
        "merged_into",
        "statements_link",
        "created_at",
    ]

    def get_queryset(self, request):
        """Public statements counted from the count tables: one indexed subquery per
        speaker listed, not a join with a million statements."""
        return (
            super().get_queryset(request).with_statement_counts().order_by("name", "pk")
        )

    @admin.display(description="statements", ordering="n_statements")
    def statement_count(self, obj):
        return obj.n_statements

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        if request.path.endswith("/autocomplete/"):
            # Pick from speakers that remain, not ones merged away.
            queryset = queryset.filter(merged_into=None)
        return queryset, may_have_duplicates

    @admin.display(description="needs review")
    def review(self, obj):
        if obj.source or obj.merged_into_id:
            return ""
        return ", ".join(registry.review_reasons(obj))

    @admin.display(description="name in parts")
    def name_parts(self, obj):
        if obj.kind != Speaker.Kind.PERSON:
            return "—"
        parts = [
            ("given", obj.given_name),
            ("middle", obj.middle_names),
            ("surname", obj.surname),
            ("suffix", obj.name_suffix),
        ]
        return "; ".join(f"{k}: {v}" for k, v in parts if v) or "—"

    def get_urls(self):
        return [
            path(
                "pick/",
                self.admin_site.admin_view(
                    SpeakerPickView.as_view(admin_site=self.admin_site)
                ),
                name="statements_speaker_pick",
            ),
            path(
                "suggestions/",
                self.admin_site.admin_view(self.suggestions_view),
                name="statements_speaker_suggestions",
            ),
            *super().get_urls(),
        ]

    def suggestions_view(self, request):
        """Merge suggestions: tick several, merge them in one step (each through
        corrections.merge, all in one transaction)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            chosen = [
                registry.parse_suggestion(v) for v in request.POST.getlist("merge")
            ]
            chosen = [c for c in chosen if c]
            try:
                done = self._merge_suggested(chosen, request.user)
            except ValueError as e:
                self.message_user(request, str(e), messages.ERROR)
            else:
                if done:
                    self.message_user(
                        request,
                        f"Merged {done} suggestion(s).",
                        messages.SUCCESS,
                    )
                else:
                    self.message_user(
                        request, "Tick the suggestions to merge.", messages.WARNING
                    )
            return HttpResponseRedirect(request.path)
        ctx = {
            **self.admin_site.each_context(request),
            "title": "Merge suggestions",
            "opts": self.model._meta,
            "suggestions": registry.merge_suggestions(),
        }
        return TemplateResponse(
            request, "admin/statements/speaker/suggestions.html", ctx
        )

    @staticmethod
    @transaction.atomic
    def _merge_suggested(chosen, user) -> int:
        ids = {pk for into, others in chosen for pk in [into, *others]}
        speakers = Speaker.objects.in_bulk(ids)
        done = 0
        for into, others in chosen:
            if into not in speakers or into in others:
                continue
            gone = [speakers[pk] for pk in others if pk in speakers]
            target = speakers[into]
            target.refresh_from_db()
            if target.merged_into_id:
                continue  # merged by an earlier suggestion of this step
            corrections.merge(gone, target, user)
            done += 1
        return done

    @admin.display(description="statements")
    def statements_link(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:statements_statement_changelist")
        n = obj.statements.count()
        return format_html(
            '<a href="{}?speaker__id__exact={}">{} statement{}</a>',
            url,
            obj.pk,
            n,
            "" if n == 1 else "s",
        )

    def save_model(self, request, obj, form, change):
        if "country" in form.changed_data:
            obj.country_basis = Speaker.CountryBasis.EDITOR  # no import changes it now
        corrections.save_speaker(obj, request.user)

    def delete_model(self, request, obj):
        corrections.delete_speakers([obj], request.user)

    def delete_queryset(self, request, queryset):
        corrections.delete_speakers(queryset, request.user)

    @admin.action(description="Merge into…", permissions=["change"])
    def merge(self, request, queryset):
        if "apply" in request.POST:
            form = MergeForm(
                request.POST, admin_site=self.admin_site, merging=list(queryset)
            )
            if form.is_valid():
                target = form.cleaned_data["target"]
                try:
                    merged = corrections.merge(list(queryset), target, request.user)
                except ValueError as e:
                    self.message_user(request, str(e), messages.ERROR)
                    return None
                if merged.speakers:
                    names = ", ".join(str(s) for s in merged.speakers)
                    self.message_user(
                        request,
                        f"Merged {names} into {target}: "
                        f"{merged.statements} statement(s) moved.",
                        messages.SUCCESS,
                    )
                else:
                    self.message_user(
                        request,
                        "Nothing to merge: pick a different speaker.",
                        messages.WARNING,
                    )
                return None
        else:
            form = MergeForm(admin_site=self.admin_site, merging=list(queryset))
        ctx = {
            **self.admin_site.each_context(request),
            "title": "Merge speakers",
            "opts": self.model._meta,
            "speakers": queryset.select_related("country"),
            "form": form,
            "media": self.media + form.media,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/statements/speaker/merge.html", ctx)


class ShownOnPagesMixin:
    """For records the browse pages show but corrections.py has no function of its own
    for (aliases, positions, topics): each save or delete moves the data version on in
    the same transaction (corrections.data_changed), so no cached page is stale."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            corrections.data_changed()

    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            corrections.data_changed()

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            corrections.data_changed()


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(ShownOnPagesMixin, HistoryAdmin):
    list_display = ["alias", "speaker", "normalised", "learnt_from_correction"]
    list_filter = ["learnt_from_correction"]
    search_fields = ["alias", "normalised", "speaker__name"]
    autocomplete_fields = ["speaker"]
    list_select_related = ["speaker"]


@admin.register(Position)
class PositionAdmin(ShownOnPagesMixin, HistoryAdmin):
    list_display = [
        "speaker",
        "title",
        "country",
        "organisation",
        "start_date",
        "end_date",
    ]
    search_fields = ["title", "speaker__name", "organisation"]
    autocomplete_fields = ["speaker"]
    raw_id_fields = ["source_article"]
    list_select_related = ["speaker", "country"]


class KeyPhrasesField(forms.CharField):
    """The key phrases as text, one a line; stored as a list."""

    widget = forms.Textarea(attrs={"rows": 16, "cols": 60})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        phrases = []
        for n, line in enumerate((value or "").splitlines(), 1):
            if not line.strip():
                continue
            try:
                phrase = format_phrase(parse_phrase(line))
            except ValueError as e:
                raise forms.ValidationError(f"Line {n}: {e}") from None
            if phrase not in phrases:
                phrases.append(phrase)
        return phrases


class TopicAdminForm(forms.ModelForm):
    key_phrases = KeyPhrasesField(
        required=False,
        help_text="One a line, matched on lemmas (“tax” also finds “taxes”). Written in "
        "lower case, a single word does not match a name (“bill” is not Bill); in "
        "capitals it matches only as written (“WHO”). “phrase | 0.5” is weak evidence "
        "(two such make a topic); “phrase | 0” counts for nothing but stops the words "
        "inside it from counting; “@countries | 0.5” stands for every country’s name. "
        "Statements get the new phrases with the next import, or at once with "
        "“manage.py update_topics”.",
    )

    class Meta:
        model = Topic
        fields = ["name", "slug", "parent", "description", "key_phrases"]


class TopicLevelFilter(IsNullFilter):
    title = "level"
    parameter_name = "level"
    field = "parent"
    options = (("major", "Major topics", True), ("sub", "Subtopics", False))


@admin.register(Topic)
class TopicAdmin(ShownOnPagesMixin, StatementCountMixin, HistoryAdmin):
    form = TopicAdminForm
    list_display = ["name", "parent", "slug", "statement_count"]
    list_filter = [TopicLevelFilter, ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "parent__name"]
    prepopulated_fields = {"slug": ["name"]}

    count_ordering = ("name", "pk")

    def delete_model(self, request, obj):
        corrections.delete_topics([obj])

    def delete_queryset(self, request, queryset):
        corrections.delete_topics(queryset)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.parent_id and "parent" in form.changed_data:
            # Its statements are now also on their new major topic.
            corrections.link_major_topics(topic_ids=[obj.pk])


# Articles.


class StatementInline(LabelledTabularInline):
    model = Statement
    fields = [
        "statement_link",
        "speaker_link",
        "speaker_mention",
        "kind",
        "review_status",
        "confidence",
    ]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["start"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("speaker")

    @admin.display(description="statement")
    def statement_link(self, obj):
        return _link(obj, Truncator(obj.text).chars(120))

    @admin.display(description="speaker")
    def speaker_link(self, obj):
        return _link(obj.speaker)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(StatementCountMixin, HistoryAdmin):
    list_display = [
        "__str__",
        "outlet",
        "published",
        "statement_count",
        "source_link",
        "imported_at",
        "extractor_version",
    ]
    list_filter = ["outlet", "extractor_version", "published"]
    search_fields = ["title", "url", "outlet"]
    date_hierarchy = "published"
    inlines = [StatementInline]
    actions = ["reextract"]
    # The text is what statement offsets point into: it is not edited here.
    readonly_fields = [
        "source_link",
        "text",
        "content_hash",
        "imported_at",
        "extractor_version",
    ]
    fields = [
        "title",
        "url",
        "source_link",
        "outlet",
        "published",
        "text",
        "content_hash",
        "imported_at",
        "extractor_version",
    ]

    count_ordering = ("-published", "-pk")

    def has_add_permission(self, request):
        return False  # articles come in through import_articles

    def save_model(self, request, obj, form, change):
        corrections.update_article(obj, request.user)

    def delete_model(self, request, obj):
        corrections.delete_articles([obj], request.user)

    def delete_queryset(self, request, queryset):
        corrections.delete_articles(queryset, request.user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="source")
    def source_link(self, obj):
        if not obj.url:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>',
            obj.url,
            Truncator(obj.url).chars(60),
        )

    @admin.action(
        description="Re-extract (keeps reviewed statements)", permissions=["change"]
    )
    def reextract(self, request, queryset):
        from .importing.service import Importer

        summary = Importer(user=request.user, progress=False, processes=1).reextract(
            queryset
        )
        level = messages.ERROR if summary.failed else messages.SUCCESS
        failures = format_html_join("", "<br>{}", ((str(e),) for e in summary.failures))
        self.message_user(
            request,
            format_html(
                "Re-extracted {} article(s): {} automatic statement(s) now; reviewed "
                "statements were kept as they were.{}",
                summary.reextracted,
                summary.statements,
                failures,
            ),
            level,
        )


# Queued imports: read only, written by statements/importing/batches.py.


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "created_at",
        "status",
        "articles",
        "queued",
        "done",
        "skipped",
        "failed_link",
        "waiting",
        "statements",
        "finished_at",
    ]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "finished_at",
        "status",
        "paths",
        "files",
        "bad_files",
        "articles",
        "queued",
        "done",
        "skipped",
        "failed_link",
        "waiting",
        "statements",
        "messages_list",
    ]
    readonly_fields = fields

    @admin.display(description="failed", ordering="failed")
    def failed_link(self, obj):
        if not obj.failed:
            return 0
        url = reverse("admin:statements_importitem_changelist")
        return format_html(
            '<a href="{}?batch__id__exact={}&amp;state__exact=failed" class="errornote">{}</a>',
            url,
            obj.pk,
            obj.failed,
        )

    @admin.display(description="messages")
    def messages_list(self, obj):
        if not obj.messages:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((m,) for m in obj.messages)),
        )


@admin.register(ImportItem)
class ImportItemAdmin(ReadOnlyAdmin):
    list_display = [
        "source",
        "batch",
        "state",
        "attempts",
        "message",
        "article",
        "statements",
        "updated_at",
    ]
    list_filter = ["state", "batch"]
    search_fields = ["source", "message", "content_hash"]
    list_select_related = ["batch", "article"]
    raw_id_fields = ["article"]
