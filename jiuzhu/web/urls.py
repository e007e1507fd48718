"""Page URLs. Every object id in a path is fetched through a registry access function, so an object
outside the user's jurisdiction answers 404 like a missing one (tests/test_jurisdiction_matrix.py
walks this list)."""

from __future__ import annotations

from django.urls import URLPattern, path, register_converter

from jiuzhu.web.views import (
    case_batch,
    case_documents,
    case_steps,
    cases,
    custody,
    dibao_preview,
    documents,
    finances,
    flags,
    funds,
    home,
    households,
    jobs,
    list_exports,
    near_poor,
    notice_boards,
    onboarding,
    payrolls,
    persons,
    printing,
    review_steps,
    reviews,
    statistics,
    verification,
)

app_name = "web"

register_converter(case_batch.BatchStepConverter, "batchstep")

urlpatterns: list[URLPattern] = [
    path("", home.home_page, name="home"),
    path("login/", home.login_page, name="login"),
    path("logout/", home.logout_page, name="logout"),
    path("households/", households.household_list_page, name="household-list"),
    path("households/new/", households.household_create_page, name="household-create"),
    path("households/<int:household_id>/", households.household_file_page, name="household-file"),
    path("households/<int:household_id>/print.pdf", printing.household_file_pdf, name="household-file-pdf"),
    path("households/<int:household_id>/edit/", households.household_edit_page, name="household-edit"),
    path("households/<int:household_id>/card-custody/", custody.card_custody_page, name="card-custody"),
    path("households/<int:household_id>/card-custody/end/", custody.card_custody_end_page, name="card-custody-end"),
    path("households/<int:household_id>/head/", households.household_head_change_page, name="household-head-change"),
    path(
        "households/<int:household_id>/account/reveal/",
        households.household_account_reveal_page,
        name="household-account-reveal",
    ),
    path("households/<int:household_id>/members/new/", persons.person_add_page, name="person-add"),
    path("households/<int:household_id>/births/new/", persons.person_birth_page, name="person-birth"),
    path("households/<int:household_id>/incomes/new/", finances.income_add_page, name="income-add"),
    path("households/<int:household_id>/assets/new/", finances.asset_add_page, name="asset-add"),
    path("households/<int:household_id>/documents/new/", documents.document_upload_page, name="document-upload"),
    path("persons/<int:person_id>/edit/", persons.person_edit_page, name="person-edit"),
    path("persons/<int:person_id>/move/", persons.person_move_page, name="person-move"),
    path("persons/<int:person_id>/death/", persons.person_death_page, name="person-death"),
    path("persons/<int:person_id>/marriage/", persons.person_marriage_page, name="person-marriage"),
    path("persons/<int:person_id>/id-number/reveal/", persons.person_id_reveal_page, name="person-id-reveal"),
    path("incomes/<int:item_id>/edit/", finances.income_edit_page, name="income-edit"),
    path("incomes/<int:item_id>/remove/", finances.income_remove_page, name="income-remove"),
    path("assets/<int:asset_id>/edit/", finances.asset_edit_page, name="asset-edit"),
    path("assets/<int:asset_id>/remove/", finances.asset_remove_page, name="asset-remove"),
    path("documents/<int:document_id>/", documents.document_download_page, name="document-download"),
    path("documents/<int:document_id>/withdraw/", documents.document_withdraw_page, name="document-withdraw"),
    path("dibao/preview/", dibao_preview.dibao_preview_page, name="dibao-preview"),
    # The dibao letters and forms of one application (jiuzhu.cases.documents), fetched via cases.access.
    path("cases/<int:application_id>/acceptance.pdf", case_documents.acceptance_notice_pdf, name="case-acceptance-pdf"),
    path("cases/<int:application_id>/home-visit.pdf", case_documents.home_visit_form_pdf, name="case-home-visit-pdf"),
    path("cases/<int:application_id>/opinion.pdf", case_documents.township_opinion_pdf, name="case-opinion-pdf"),
    path("cases/<int:application_id>/notice.pdf", case_documents.village_notice_pdf, name="case-notice-pdf"),
    path("cases/<int:application_id>/decision.pdf", case_documents.decision_pdf, name="case-decision-pdf"),
    # Applications and benefits (申请与在保): the list, the case file, a new application, one page per step.
    path("cases/", cases.case_list_page, name="case-list"),
    path("cases/<int:application_id>/", cases.case_page, name="case-detail"),
    path("cases/<int:application_id>/check/", cases.case_check_page, name="case-check"),
    # The township's list work (批量办理): notices, forwarding, publication; the printed notice lists.
    path("cases/batch/<batchstep:step>/", case_batch.case_batch_page, name="case-batch"),
    path(
        "cases/batch/<batchstep:step>/list.pdf",
        case_batch.case_batch_notice_list_pdf,
        name="case-batch-notice-list",
    ),
    path(
        "households/<int:household_id>/applications/new/",
        case_steps.application_create_page,
        name="application-create",
    ),
    *(
        path(f"cases/<int:application_id>/{slug}/", view, name=f"case-{slug}")
        for slug, view in case_steps.STEP_VIEWS.items()
    ),
    # Dynamic management (复核): the list, the yearly batch, one review with its steps and notice, the events
    # recorded on a benefit in force (web.views.reviews, web.views.review_steps).
    path("reviews/", reviews.review_list_page, name="review-list"),
    path("reviews/batch/", reviews.review_batch_page, name="review-batch"),
    path("reviews/open-due/", reviews.review_open_due_page, name="review-open-due"),
    path("reviews/<int:review_id>/", reviews.review_page, name="review-detail"),
    path("reviews/<int:review_id>/notice.pdf", reviews.review_notice_pdf, name="review-notice-pdf"),
    *(
        path(f"reviews/<int:review_id>/{step}/", view, name=f"review-{step}")
        for step, view in review_steps.REVIEW_STEP_VIEWS.items()
    ),
    # Background jobs (后台任务): the list, one job with its live progress, its status for the bar, a re-run.
    path("payments/", payrolls.payroll_list_page, name="payroll-list"),
    path("payments/dashboard/", funds.finance_dashboard_page, name="finance-dashboard"),
    path("payments/funds/", funds.fund_list_page, name="fund-list"),
    path("payments/funds/<int:fund_id>/", funds.fund_detail_page, name="fund-detail"),
    path("payments/funds/<int:fund_id>/ledger.xlsx", funds.fund_ledger_xlsx, name="fund-ledger-xlsx"),
    path("payments/<int:payroll_id>/charge/", funds.payroll_charge_page, name="payroll-charge"),
    path("payments/new/", payrolls.payroll_generate_page, name="payroll-generate"),
    path("payments/<int:payroll_id>/", payrolls.payroll_detail_page, name="payroll-detail"),
    path("payments/<int:payroll_id>/regenerate/", payrolls.payroll_regenerate_page, name="payroll-regenerate"),
    path("payments/<int:payroll_id>/lock/", payrolls.payroll_lock_page, name="payroll-lock"),
    path("payments/<int:payroll_id>/roster.pdf", payrolls.payroll_roster_pdf, name="payroll-roster-pdf"),
    path("payments/<int:payroll_id>/roster.xlsx", payrolls.payroll_roster_xlsx, name="payroll-roster-xlsx"),
    path("payments/<int:payroll_id>/roster-job/", payrolls.payroll_roster_job_page, name="payroll-roster-job"),
    path("payments/<int:payroll_id>/bank-file/", payrolls.payroll_bank_file_page, name="payroll-bank-file"),
    path("payments/<int:payroll_id>/bank-return/", payrolls.payroll_bank_return_page, name="payroll-bank-return"),
    # Onboarding an office's spreadsheet (存量数据导入): batches, the template, one batch (columns, dry run,
    # import), its results as a workbook, its original.
    path("onboarding/", onboarding.batch_list_page, name="onboarding-list"),
    path("onboarding/template.xlsx", onboarding.template_download, name="onboarding-template"),
    path("onboarding/<int:batch_id>/", onboarding.batch_detail_page, name="onboarding-detail"),
    path("onboarding/<int:batch_id>/apply/", onboarding.batch_apply_action, name="onboarding-apply"),
    path("onboarding/<int:batch_id>/results.xlsx", onboarding.batch_results_xlsx, name="onboarding-results"),
    path("onboarding/<int:batch_id>/original/", onboarding.batch_original_download, name="onboarding-original"),
    # One view for the lists that export what they show (the list's name is fixed per URL, not a parameter).
    path("exports/households.xlsx", list_exports.list_export, {"name": "households"}, name="export-households"),
    path("exports/cases.xlsx", list_exports.list_export, {"name": "cases"}, name="export-cases"),
    path(
        "exports/payroll-lines.xlsx", list_exports.list_export, {"name": "payroll_lines"}, name="export-payroll-lines"
    ),
    path("cases/notice-boards/", notice_boards.notice_boards_page, name="notice-boards"),
    path("cases/notice-boards.pdf", notice_boards.notice_boards_pdf_page, name="notice-boards-pdf"),
    path("cases/notice-boards/job/", notice_boards.notice_boards_job_page, name="notice-boards-job"),
    path("low-income/near-poor/", near_poor.near_poor_list_page, name="near-poor-list"),
    path("low-income/near-poor/end-on-dibao/", near_poor.near_poor_end_on_dibao_page, name="near-poor-end-on-dibao"),
    path("low-income/near-poor/<int:recognition_id>/end/", near_poor.near_poor_end_page, name="near-poor-end"),
    path("households/<int:household_id>/near-poor/", near_poor.near_poor_recognise_page, name="near-poor-recognise"),
    path("exports/near-poor.xlsx", list_exports.list_export, {"name": "near_poor"}, name="export-near-poor"),
    path("statistics/", statistics.dashboard_page, name="statistics-dashboard"),
    path("statistics/monthly/", statistics.monthly_report_page, name="statistics-monthly"),
    path("statistics/monthly.xlsx", statistics.monthly_report_xlsx, name="statistics-monthly-xlsx"),
    path("statistics/monthly.pdf", statistics.monthly_report_pdf, name="statistics-monthly-pdf"),
    path("statistics/snapshots/", statistics.snapshot_build_page, name="statistics-snapshot-build"),
    path("statistics/summary/", statistics.work_summary_page, name="statistics-summary"),
    path("statistics/summary.docx", statistics.work_summary_docx, name="statistics-summary-docx"),
    path("statistics/summary.pdf", statistics.work_summary_pdf, name="statistics-summary-pdf"),
    path("statistics/snapshots/<int:snapshot_id>/cases/", statistics.snapshot_cases_page, name="statistics-cases"),
    # Agency data (外部数据导入): the datasets and the upload; one dataset, its columns and problems; its original.
    path("verification/datasets/", verification.dataset_list_page, name="dataset-list"),
    path("verification/datasets/<int:dataset_id>/", verification.dataset_detail_page, name="dataset-detail"),
    path(
        "verification/datasets/<int:dataset_id>/original/",
        verification.dataset_original_download,
        name="dataset-original",
    ),
    # Cross-checks (交叉核查): the flags queue, the report, starting a sweep, one flag to answer.
    path("verification/flags/", flags.flag_list_page, name="flag-list"),
    path("verification/flags/report/", flags.flag_report_page, name="flag-report"),
    path("verification/flags/export.xlsx", flags.flag_export_xlsx, name="flag-export"),
    path("verification/sweep/", flags.sweep_start_page, name="sweep-start"),
    path("verification/flags/<int:flag_id>/", flags.flag_detail_page, name="flag-detail"),
    path("jobs/", jobs.job_list_page, name="job-list"),
    path("jobs/<int:job_id>/", jobs.job_detail_page, name="job-detail"),
    path("jobs/<int:job_id>/status/", jobs.job_status_json, name="job-status"),
    path("jobs/<int:job_id>/rerun/", jobs.job_rerun_page, name="job-rerun"),
    path("jobs/<int:job_id>/files/<int:file_id>/", jobs.job_file_download, name="job-file"),
    path("benefits/<int:entitlement_id>/reviews/new/", review_steps.review_open_page, name="review-open"),
    path("benefits/<int:entitlement_id>/transfer-out/", review_steps.transfer_out_page, name="benefit-transfer-out"),
    path(
        "households/<int:household_id>/income-changes/new/",
        review_steps.income_change_page,
        name="income-change-report",
    ),
]
