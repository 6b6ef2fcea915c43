from django.urls import path

from survey import views

app_name = "survey"

V = "surveys/<int:survey_id>/versions/<int:version_id>/"

urlpatterns = [
    path("agencies/<int:agency_id>/surveys/", views.survey_list, name="list"),
    path("agencies/<int:agency_id>/surveys/new/", views.survey_create, name="create"),
    path("agencies/<int:agency_id>/surveys/import/", views.survey_import, name="import"),
    path("surveys/<int:survey_id>/", views.survey_detail, name="detail"),
    path(V, views.version_editor, name="version"),
    path(V + "settings/", views.version_settings, name="version_settings"),
    path(V + "publish/", views.version_publish, name="publish"),
    path(V + "new-draft/", views.version_new_draft, name="new_draft"),
    path(V + "duplicate/", views.survey_duplicate, name="duplicate"),
    path(V + "pages/add/", views.section_edit, name="section_add"),
    path(V + "pages/<int:section_id>/", views.section_edit, name="section_edit"),
    path(V + "pages/<int:section_id>/delete/", views.section_delete, name="section_delete"),
    path(V + "pages/<int:section_id>/move/", views.section_move, name="section_move"),
    path(V + "questions/add/", views.question_edit, name="question_add"),
    path(V + "questions/<int:question_id>/", views.question_edit, name="question_edit"),
    path(V + "questions/<int:question_id>/delete/", views.question_delete, name="question_delete"),
    path(V + "questions/<int:question_id>/move/", views.question_move, name="question_move"),
    path(V + "lists/add/", views.choice_list_add, name="choice_list_add"),
    path(V + "lists/<int:list_id>/", views.choice_list_detail, name="choice_list"),
    path(V + "lists/<int:list_id>/delete/", views.choice_list_delete, name="choice_list_delete"),
    path(V + "lists/<int:list_id>/choices/<int:choice_id>/", views.choice_edit, name="choice_edit"),
    path(
        V + "lists/<int:list_id>/choices/<int:choice_id>/delete/",
        views.choice_delete,
        name="choice_delete",
    ),
    path(
        V + "lists/<int:list_id>/choices/<int:choice_id>/move/",
        views.choice_move,
        name="choice_move",
    ),
    path(V + "check-expression/", views.check_expression, name="check_expression"),
    path(V + "preview/", views.preview, name="preview"),
    path(V + "xlsform.xlsx", views.export_xlsform, name="export_xlsform"),
    path(V + "translations/", views.translations, name="translations"),
    path(V + "translations/texts.xlsx", views.translations_sheet, name="translations_sheet"),
    path(
        V + "translations/platform/<str:language>/",
        views.interface_texts,
        name="interface_texts",
    ),
    path(V + "bank/", views.question_bank, name="bank"),
    path(V + "rounds/new/", views.round_create, name="round_create"),
    path("surveys/<int:survey_id>/rounds/<int:round_id>/", views.round_detail, name="round"),
    path(
        "surveys/<int:survey_id>/rounds/<int:round_id>/change/",
        views.round_update,
        name="round_update",
    ),
    path(
        "surveys/<int:survey_id>/rounds/<int:round_id>/close/",
        views.round_close,
        name="round_close",
    ),
    path(
        "surveys/<int:survey_id>/rounds/<int:round_id>/version/",
        views.round_move,
        name="round_move",
    ),
    path(
        "surveys/<int:survey_id>/rounds/<int:round_id>/responses/",
        views.round_responses,
        name="responses",
    ),
    path(
        "surveys/<int:survey_id>/rounds/<int:round_id>/responses.csv",
        views.round_responses_csv,
        name="responses_csv",
    ),
    path(
        "surveys/<int:survey_id>/rounds/<int:round_id>/responses/<int:response_id>/",
        views.response_review,
        name="response",
    ),
    path(
        "surveys/<int:survey_id>/rounds/<int:round_id>/status/",
        views.round_status,
        name="round_status",
    ),
    path(
        "surveys/<int:survey_id>/rounds/<int:round_id>/collectors/",
        views.collector_add,
        name="collector_add",
    ),
    path(
        "surveys/<int:survey_id>/rounds/<int:round_id>/collectors/<int:collector_id>/toggle/",
        views.collector_toggle,
        name="collector_toggle",
    ),
    path(
        "surveys/<int:survey_id>/rounds/<int:round_id>/collectors/<int:collector_id>/rename/",
        views.collector_rename,
        name="collector_rename",
    ),
    path(
        "surveys/<int:survey_id>/rounds/<int:round_id>/collectors/<int:collector_id>/limit/",
        views.collector_limit,
        name="collector_limit",
    ),
    path(
        "surveys/<int:survey_id>/rounds/<int:round_id>/collectors/<int:collector_id>/qr.<str:kind>",
        views.collector_qr,
        name="collector_qr",
    ),
    path(
        "surveys/<int:survey_id>/rounds/<int:round_id>/collectors/<int:collector_id>/invite/",
        views.collector_invite,
        name="collector_invite",
    ),
    path(
        "surveys/<int:survey_id>/rounds/<int:round_id>/collectors/<int:collector_id>/remind/",
        views.collector_remind,
        name="collector_remind",
    ),
    path(
        "surveys/<int:survey_id>/rounds/<int:round_id>/collectors/<int:collector_id>/emails/",
        views.collector_emails,
        name="collector_emails",
    ),
    path(
        "surveys/<int:survey_id>/rounds/<int:round_id>/collectors/<int:collector_id>/send/",
        views.collector_send_waiting,
        name="collector_send_waiting",
    ),
    path(
        "surveys/<int:survey_id>/rounds/<int:round_id>/collectors/<int:collector_id>/cancel/",
        views.collector_cancel_waiting,
        name="collector_cancel_waiting",
    ),
    path(
        "surveys/<int:survey_id>/rounds/<int:round_id>/collectors/<int:collector_id>/forget/",
        views.collector_forget_addresses,
        name="collector_forget_addresses",
    ),
    path(
        "surveys/<int:survey_id>/rounds/<int:round_id>/collectors/<int:collector_id>/delete-tries/",
        views.collector_delete_tries,
        name="collector_delete_tries",
    ),
]
