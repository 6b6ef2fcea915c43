"""Analysts' pages: population margins and a round's indicators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.permissions import Action
from accounts.selectors import agency_access
from analytics import selectors, services
from analytics.forms import IndicatorForm, MarginsForm
from analytics.indicators import BREAKDOWNS, indicator_table
from analytics.labels import breakdown_choices, named_margins, named_rows
from analytics.margins import saved_message
from analytics.weighting import WeightingError
from survey.selectors import round_agency_id, round_heading


@login_required
def margins(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(user=request.user, agency_id=agency_id)
    form = MarginsForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST":
        access = agency_access(user=request.user, agency_id=agency_id, action=Action.ANALYSE)
        if form.is_valid():
            data, filename = form.cleaned_data["file"]
            try:
                stored = services.margins_upload(
                    agency=access.agency,
                    data=data,
                    filename=filename,
                    source=form.cleaned_data["source"],
                    year=form.cleaned_data["year"],
                    by=request.user,
                )
            except services.MarginsRefused as refused:
                problems = refused.problems
            else:
                messages.success(request, saved_message(stored.cells))
                return redirect("analytics:margins", agency_id=access.agency.pk)
    return render(
        request,
        "analytics/margins.html",
        {
            "agency": access.agency,
            "form": form,
            "problems": problems,
            "margins": named_margins(
                selectors.margins_of(agency_id=access.agency.pk),
                agency_id=access.agency.pk,
                language=get_language(),
            ),
            "can_analyse": access.can(Action.ANALYSE),
        },
    )


@login_required
def margins_template(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(user=request.user, agency_id=agency_id)
    response = HttpResponse(
        services.margins_template(agency=access.agency, language=get_language()),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="population-totals.xlsx"'
    return response


@login_required
def round_indicators(request: HttpRequest, round_id: int) -> HttpResponse:
    agency_id = round_agency_id(round_id=round_id)
    if agency_id is None:
        raise Http404
    access = agency_access(user=request.user, agency_id=agency_id)
    by = [b for b in request.GET.getlist("by") if b in BREAKDOWNS]
    weighting = request.GET.get("weights", "none")
    latest = selectors.latest_margins(agency_id=agency_id)
    error = ""
    indicators = selectors.indicators_for(agency_id=agency_id)
    names = {i.code: i.name for i in indicators}
    try:
        table = indicator_table(
            [round_id],
            indicators,
            by=by,
            weights="raking" if weighting == "raking" and latest else "none",
            margins=latest.cells if latest else None,
            exclude_flagged=request.GET.get("exclude_flagged") == "1",
        )
    except (WeightingError, ValueError) as problem:
        error = str(problem)
        table = indicator_table([round_id], indicators, by=by)
    return render(
        request,
        "analytics/round_indicators.html",
        {
            "agency": access.agency,
            "round": round_heading(round_id=round_id),
            "rows": named_rows(
                table.to_dict("records"), round_ids=[round_id], language=get_language()
            ),
            "names": names,
            "by": by,
            "breakdowns": breakdown_choices(),
            "weighting": weighting,
            "margins": latest,
            "error": error,
        },
    )


@login_required
def indicators(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The standard indicators and the agency's own, with a form to add one."""
    access = agency_access(user=request.user, agency_id=agency_id)
    form = IndicatorForm(request.POST or None, agency=access.agency)
    if request.method == "POST":
        access = agency_access(user=request.user, agency_id=agency_id, action=Action.ANALYSE)
        if form.is_valid():
            services.indicator_create(
                agency=access.agency,
                code=form.cleaned_data["code"],
                names=form.names(),
                numerator=form.cleaned_data["numerator"],
                denominator=form.cleaned_data["denominator"],
            )
            messages.success(request, _("Indicator added."))
            return redirect("analytics:indicators", agency_id=access.agency.pk)
    return render(
        request,
        "analytics/indicators.html",
        {
            "agency": access.agency,
            "standard": selectors.standard_indicators(),
            "own": selectors.own_indicators(agency_id=access.agency.pk),
            "form": form,
            "can_analyse": access.can(Action.ANALYSE),
        },
    )
