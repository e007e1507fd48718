"""Member pages: add, register a birth, edit, move to another household, death, marriage, reveal the ID."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.translation import gettext as _

from jiuzhu.cases.choices import ReviewStatus
from jiuzhu.cases.models import Review
from jiuzhu.cases.services.dynamic_events import member_death_record
from jiuzhu.registry.access import access_household_for_edit, access_person_for_edit, access_person_for_view
from jiuzhu.registry.models import Person
from jiuzhu.registry.services.households import person_id_number_reveal
from jiuzhu.registry.services.persons import (
    person_add,
    person_move,
    person_record_marriage,
    person_register_birth,
    person_update,
)
from jiuzhu.web.errors import domain_errors, form_page
from jiuzhu.web.forms import (
    BirthForm,
    DeathForm,
    MarriageForm,
    MoveForm,
    PersonAddForm,
    PersonDetailForm,
    PersonEditForm,
    PickSearchForm,
)
from jiuzhu.web.selectors import move_target_candidates, spouse_candidates
from jiuzhu.web.submission import one_time_submission
from jiuzhu.web.views.common import back_or_home, is_submitted, to_household_file


@login_required
@domain_errors()
def person_add_page(request: HttpRequest, household_id: int) -> HttpResponse:
    return _new_person(request, household_id, form_class=PersonAddForm, birth=False)


@login_required
@domain_errors()
def person_birth_page(request: HttpRequest, household_id: int) -> HttpResponse:
    return _new_person(request, household_id, form_class=BirthForm, birth=True)


def _new_person(
    request: HttpRequest, household_id: int, *, form_class: type[PersonAddForm], birth: bool
) -> HttpResponse:
    household = access_household_for_edit(request.user, household_id)
    form = form_class(request.POST if is_submitted(request) else None)
    template = "web/person_birth.html" if birth else "web/person_add.html"
    title = _("登记出生") if birth else _("添加家庭成员")
    page = form_page(request, template, forms={"form": form}, household=household, title=title)
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    service = person_register_birth if birth else person_add
    with one_time_submission(request, form.cleaned_data["submission_token"]):
        service(actor=request.user, household_id=household.pk, data=form.to_data(), reason=form.cleaned_data["reason"])
    messages.success(request, _("已登记出生。") if birth else _("成员已添加。"))
    return to_household_file(household.pk)


def _person_initial(person: Person) -> dict[str, object]:
    names = [n for n in PersonDetailForm.base_fields if n not in ("id_number",)]
    return {name: getattr(person, name) for name in names} | {"expected_version": person.version}


@login_required
@domain_errors()
def person_edit_page(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access_person_for_edit(request.user, person_id)
    data = request.POST if is_submitted(request) else None
    form = PersonEditForm(data, initial=_person_initial(person))
    page = form_page(
        request,
        "web/person_edit.html",
        forms={"form": form},
        person=person,
        household=person.household,
        title=_("修改成员信息"),
    )
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    person_update(
        actor=request.user, person_id=person.pk, expected_version=form.cleaned_data["expected_version"],
        data=form.to_data(), reason=form.cleaned_data["reason"],
    )  # fmt: skip
    messages.success(request, _("成员信息已保存。"))
    return to_household_file(person.household_id)


@login_required
@domain_errors()
def person_move_page(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access_person_for_edit(request.user, person_id)
    pick = PickSearchForm(request.GET)
    query = pick.data.get("q", "")
    candidates = move_target_candidates(actor=request.user, query=query, person=person)
    form = MoveForm(request.POST if is_submitted(request) else None)
    context = {"person": person, "household": person.household, "pick": pick, "candidates": candidates}
    context["title"] = _("成员迁移")
    page = form_page(request, "web/person_move.html", forms={"form": form}, **context)
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    data = form.cleaned_data
    person_move(
        actor=request.user, person_id=person.pk, to_household_id=data["to_household"], relation=data["relation"],
        moved_on=data["moved_on"], reason=data["reason"],
    )  # fmt: skip
    messages.success(request, _("成员已迁入所选家庭。"))
    return to_household_file(data["to_household"])


@login_required
@domain_errors()
def person_death_page(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access_person_for_edit(request.user, person_id)
    form = DeathForm(request.POST if is_submitted(request) else None)
    page = form_page(
        request,
        "web/person_death.html",
        forms={"form": form},
        person=person,
        household=person.household,
        title=_("登记死亡"),
    )
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    # Also reviews or stops the household's dibao when it has a benefit in force (None otherwise).
    review = member_death_record(actor=request.user, person_id=person.pk, **form.cleaned_data)
    messages.success(request, _death_message(review))
    return to_household_file(person.household_id)


def _death_message(review: Review | None) -> str:
    if review is None:
        return _("已登记死亡。")
    if review.status == ReviewStatus.DECIDED and review.stop_month is not None:
        return _("已登记死亡。家庭无其他保障成员，低保自%(year)s年%(month)s月起停发（复核 #%(id)s）。") % {
            "year": review.stop_month.year, "month": review.stop_month.month, "id": review.pk,
        }  # fmt: skip
    return _("已登记死亡，已纳入低保复核（复核 #%(id)s，须在 %(due)s 前完成）。") % {
        "id": review.pk, "due": review.due_on.isoformat(),
    }  # fmt: skip


@login_required
@domain_errors()
def person_marriage_page(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access_person_for_edit(request.user, person_id)
    pick = PickSearchForm(request.GET)
    candidates = spouse_candidates(actor=request.user, query=pick.data.get("q", ""), person=person)
    form = MarriageForm(request.POST if is_submitted(request) else None)
    context = {"person": person, "household": person.household, "pick": pick, "candidates": candidates}
    context["title"] = _("登记结婚")
    page = form_page(request, "web/person_marriage.html", forms={"form": form}, **context)
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    data = form.cleaned_data
    person_record_marriage(
        actor=request.user, person_id=person.pk, married_on=data["married_on"], spouse_id=data["spouse"],
        spouse_joins_household=data["spouse_joins_household"], reason=data["reason"],
    )  # fmt: skip
    messages.success(request, _("已登记结婚。"))
    return to_household_file(person.household_id)


@login_required
@domain_errors(redirect_to=back_or_home)
def person_id_reveal_page(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access_person_for_view(request.user, person_id)
    if not is_submitted(request):  # checked after access, so a GET elsewhere is a 404 like any other
        return HttpResponseNotAllowed(["POST"])
    value = person_id_number_reveal(actor=request.user, person_id=person.pk)
    context = {"household": person.household, "title": _("完整身份证号"), "subject": person.name, "value": value}
    return render(request, "web/reveal.html", context)
