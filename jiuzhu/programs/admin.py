"""Programme configuration in the admin: the catalogue, policy versions, working-day corrections.

* Programme catalogue: administrators may rename a programme, mark it recurring or switch it off;
  the codes are fixed by `ProgramCode` and never deleted, because cases and payments point at them.
* Policy versions (`POLICY_EDIT`: county approvers in their county, administrators): created and
  corrected only through `policy_version_create` / `policy_version_update` (audited); a version
  already in force is read-only, nothing is deleted. "现行参数查询" shows, for any region and date,
  every parameter in force and where its value comes from.
* Working-day corrections (`CONFIGURE`): set and removed through the calendar services; the list
  warns about coming years without official holiday data.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey, Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiuzhu.accounts.admin_scoping import region_subtree_filter
from jiuzhu.accounts.jurisdiction import has_capability, region_code_in_jurisdiction, scope_to_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.programs.access import policy_versions_editable_by, policy_versions_visible_to
from jiuzhu.programs.models import DIBAO_PROGRAMS, PolicyVersion, Program, ProgramCode, WorkingDayCorrection
from jiuzhu.programs.rules.policy import PARAMETERS, PARAMETERS_BY_KEY, PolicyError, describe_value
from jiuzhu.programs.rules.resolution import ancestor_codes
from jiuzhu.programs.selectors import calendar_years_missing_official_data, dibao_policy_resolve
from jiuzhu.programs.services.calendar import working_day_correction_remove, working_day_correction_set
from jiuzhu.programs.services.policy import policy_version_create, policy_version_errors, policy_version_update
from jiuzhu.regions.models import Region


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_recurring", "is_active")
    list_filter = ("is_recurring", "is_active")
    search_fields = ("code", "name")
    fields = ("code", "name", "is_recurring", "is_active")

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        return ("code",) if obj is not None else ()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, Capability.CONFIGURE)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return has_capability(request.user, Capability.CONFIGURE)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, Capability.CONFIGURE)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return has_capability(request.user, Capability.CONFIGURE)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


# --- Policy versions ---------------------------------------------------------------------------------


def _params_help() -> str:
    keys = "、".join(spec.key for spec in PARAMETERS)
    return gettext(
        'JSON 对象，只写本区划设定（覆盖上级）的参数，例如 {"standard_fen": 17000}。金额单位为分，比例为基点'
        "（1%% = 100）。新版本生效后取代本区划此前的版本，所以须重写本区划保留的全部设定。可用参数：%(keys)s。"
    ) % {"keys": keys}


class PolicyVersionForm(forms.ModelForm):
    actor: Any = None  # set per request by PolicyVersionAdmin.get_form

    params = forms.JSONField(label=_("本级设定的参数"), widget=forms.Textarea(attrs={"rows": 12, "cols": 80}))

    class Meta:
        model = PolicyVersion
        fields = ("region", "program", "effective_from", "params", "note")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["params"].help_text = _params_help()
        if "program" in self.fields:
            program_field: Any = self.fields["program"]
            program_field.queryset = Program.objects.filter(code__in=DIBAO_PROGRAMS)
        if self.instance.pk is None:
            self.fields["params"].initial = {}

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        region = cleaned.get("region") or (self.instance.region if self.instance.pk else None)
        program = cleaned.get("program") or (self.instance.program if self.instance.pk else None)
        effective_from = cleaned.get("effective_from")
        params = cleaned.get("params")
        if region is None or program is None or effective_from is None or params is None:
            return cleaned
        if not isinstance(params, dict):
            self.add_error("params", _("参数应为 JSON 对象（键为参数名）。"))
            return cleaned
        errors = policy_version_errors(
            region=region, program=program, effective_from=effective_from, params=params,
            note=cleaned.get("note", ""), version=self.instance if self.instance.pk else None,
        )  # fmt: skip
        for key, messages_ in errors.items():
            field = key.split(".", 1)[0]
            for message in messages_:
                self.add_error(field if field in self.fields else None, message)
        return cleaned


class InForceForm(forms.Form):
    region = forms.CharField(label=_("区划代码"), max_length=12)
    program = forms.ChoiceField(label=_("救助项目"), choices=[(code.value, code.label) for code in DIBAO_PROGRAMS])
    on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    form = PolicyVersionForm
    change_list_template = "admin/programs/policyversion/change_list.html"
    list_display = ("region_display", "program", "effective_from", "state", "keys", "note", "created_by", "created_at")
    list_filter = ("program", region_subtree_filter("region__code"))
    list_select_related = ("region", "program", "created_by")
    search_fields = ("region__code", "region__name", "note")
    autocomplete_fields = ("region",)
    date_hierarchy = "effective_from"

    # --- permissions: POLICY_EDIT; versions in force are view-only; nothing is deleted ---

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, Capability.POLICY_EDIT)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return has_capability(request.user, Capability.POLICY_EDIT)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, Capability.POLICY_EDIT)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if not has_capability(request.user, Capability.POLICY_EDIT):
            return False
        if obj is None:
            return True
        assert isinstance(obj, PolicyVersion)
        editable = policy_versions_editable_by(request.user).filter(pk=obj.pk).exists()
        return editable and obj.effective_from > timezone.localdate()

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[PolicyVersion]:
        return policy_versions_visible_to(request.user)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:  # type: ignore[override]
        if obj is None:
            return ["region", "program", "effective_from", "params", "note"]
        return ["region", "program", "effective_from", "params", "params_table", "note", "created_by", "created_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        return ("region", "program", "params_table", "created_by", "created_at")

    def formfield_for_foreignkey(self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "region":
            kwargs["queryset"] = scope_to_jurisdiction(Region.objects.all(), request.user, "code")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    # --- saving goes through the services ---

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        data = form.cleaned_data
        if change:
            return policy_version_update(
                actor=request.user, version_id=form.instance.pk, expected_version=form.instance.version,
                params=data["params"], note=data.get("note", ""), effective_from=data["effective_from"],
            )  # fmt: skip
        return policy_version_create(
            actor=request.user, region_code=data["region"].code, program_code=data["program"].code,
            effective_from=data["effective_from"], params=data["params"], note=data.get("note", ""),
        )  # fmt: skip

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        return None  # saved (and audited) by the service in save_form

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        return None

    # --- columns ---

    @admin.display(description=_("区划"), ordering="region__code")
    def region_display(self, obj: PolicyVersion) -> str:
        return f"{obj.region.code} {obj.region.name}"

    @admin.display(description=_("状态"))
    def state(self, obj: PolicyVersion) -> str:
        return gettext("未生效") if obj.effective_from > timezone.localdate() else gettext("已生效")

    @admin.display(description=_("设定的参数"))
    def keys(self, obj: PolicyVersion) -> str:
        return "、".join(gettext(PARAMETERS_BY_KEY[k].label) for k in obj.params if k in PARAMETERS_BY_KEY)

    @admin.display(description=_("参数一览"))
    def params_table(self, obj: PolicyVersion) -> str:
        rows = [
            (gettext(PARAMETERS_BY_KEY[key].label), key, describe_value(key, value, gettext))
            for key, value in obj.params.items()
            if key in PARAMETERS_BY_KEY
        ]
        return format_html(
            "<table><tbody>{}</tbody></table>",
            format_html_join("", "<tr><th>{}</th><td><code>{}</code></td><td>{}</td></tr>", rows),
        )

    # --- what is in force ---

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.in_force_view)
        return [path("in-force/", view, name="programs_policyversion_in_force"), *super().get_urls()]

    def in_force_view(self, request: HttpRequest) -> HttpResponse:
        """For a region code, programme and date: every parameter, its value, the region and version it comes from."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        actor: Any = request.user
        data = request.GET if "region" in request.GET else None
        initial = {
            "region": actor.jurisdiction_prefix,
            "program": ProgramCode.DIBAO_RURAL.value,
            "on": timezone.localdate(),
        }
        form = InForceForm(data, initial=initial)
        rows: list[dict[str, Any]] = []
        problems: list[str] = []
        region = None
        if form.is_valid():
            code = form.cleaned_data["region"].strip()
            region = Region.objects.filter(code=code).first()
            visible = region is not None and (
                region_code_in_jurisdiction(actor, code) or code in ancestor_codes(actor.jurisdiction_prefix)
            )
            if not visible:
                form.add_error("region", _("没有这个区划，或它不在您的辖区内。"))
                region = None
            else:
                rows, problems = self._in_force_rows(code, form.cleaned_data["program"], form.cleaned_data["on"])
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("现行参数查询"),
            "opts": self.model._meta,
            "form": form,
            "region": region,
            "rows": rows,
            "problems": problems,
            "missing_years": calendar_years_missing_official_data(today=timezone.localdate()),
        }
        return TemplateResponse(request, "admin/programs/policyversion/in_force.html", context)

    def _in_force_rows(self, code: str, program: str, on: datetime.date) -> tuple[list[dict[str, Any]], list[str]]:
        resolved = dibao_policy_resolve(region_code=code, program_code=program, on=on)
        names = dict(Region.objects.filter(code__in=ancestor_codes(code)).values_list("code", "name"))
        rows = []
        for value in resolved.values:
            spec = PARAMETERS_BY_KEY[value.key]
            if value.is_default:
                source = gettext("全国默认（国家规定）") if spec.origin == "N" else gettext("系统默认（常见地方取值）")
                link = ""
            else:
                source = f"{value.region_code} {names.get(value.region_code or '', '')}"
                link = reverse("admin:programs_policyversion_change", args=[value.version_id])
            rows.append(
                {
                    "label": gettext(spec.label),
                    "key": spec.key,
                    "value": describe_value(spec.key, value.value, gettext),
                    "source": source,
                    "effective_from": value.effective_from,
                    "link": link,
                    "ref": spec.ref,
                }
            )
        problems: list[str] = []
        try:
            resolved.policy()
        except PolicyError as error:
            problems = [problem.render(gettext) for problem in error.problems]
        return rows, problems


# --- Working-day corrections ---------------------------------------------------------------------------


class WorkingDayCorrectionForm(forms.ModelForm):
    class Meta:
        model = WorkingDayCorrection
        fields = ("day", "is_working_day", "note")
        widgets = {"day": forms.DateInput(attrs={"type": "date"})}


@admin.register(WorkingDayCorrection)
class WorkingDayCorrectionAdmin(admin.ModelAdmin):
    form = WorkingDayCorrectionForm
    list_display = ("day", "weekday", "is_working_day", "note", "created_by", "updated_at")
    list_filter = ("is_working_day",)
    list_select_related = ("created_by",)
    date_hierarchy = "day"
    search_fields = ("note",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, Capability.CONFIGURE)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return has_capability(request.user, Capability.CONFIGURE)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, Capability.CONFIGURE)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return has_capability(request.user, Capability.CONFIGURE)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return has_capability(request.user, Capability.CONFIGURE)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("day",) if obj is not None else ()

    @admin.display(description=_("星期"))
    def weekday(self, obj: WorkingDayCorrection) -> str:
        names = [_("星期一"), _("星期二"), _("星期三"), _("星期四"), _("星期五"), _("星期六"), _("星期日")]
        return str(names[obj.day.weekday()])

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        for year in calendar_years_missing_official_data(today=timezone.localdate()):
            messages.warning(
                request,
                gettext(
                    "%(year)s 年尚无官方节假日数据：请按国务院办公厅的放假通知录入该年的节假日和调休上班日，"
                    "否则该年的工作日只按周一至周五计算。"
                )
                % {"year": year},
            )
        return super().changelist_view(request, extra_context)

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        data = form.cleaned_data
        day = form.instance.day if change else data["day"]
        return working_day_correction_set(
            actor=request.user, day=day, is_working_day=data["is_working_day"], note=data["note"]
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        return None  # saved (and audited) by the service in save_form

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        return None

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        working_day_correction_remove(actor=request.user, correction_id=obj.pk, reason=gettext("在管理后台删除"))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for correction in queryset:
            self.delete_model(request, correction)
