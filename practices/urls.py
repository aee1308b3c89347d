from django.urls import path

from .views import dates, home, notes, phones_away, questions

app_name = "practices"

# Pages that read a couple's content, each also served read-only under an ended couple's
# archive (archive/<couple_id>/...).
READ_PAGES = [
    ("notes/", notes.inbox, "notes"),
    ("notes/sent/", notes.sent, "notes_sent"),
    ("notes/<int:pk>/", notes.detail, "note"),
    ("question/history/", questions.history, "history"),
    ("question/<int:pk>/", questions.detail, "question_detail"),
    ("dates/", dates.date_list, "dates"),
    ("dates/<int:pk>/", dates.detail, "date"),
    ("dates/<int:pk>/date.ics", dates.ics, "date_ics"),
]

urlpatterns = [
    path("home/", home.home, name="home"),
    *(path(route, view, name=name) for route, view, name in READ_PAGES),
    *(
        path(f"archive/<uuid:couple_id>/{route}", view, name=f"archive_{name}")
        for route, view, name in READ_PAGES
    ),
    path("notes/new/", notes.new, name="note_new"),
    path("notes/<int:pk>/edit/", notes.edit, name="note_edit"),
    path("notes/<int:pk>/cancel/", notes.cancel, name="note_cancel"),
    path("notes/<int:pk>/react/", notes.react, name="note_react"),
    path("question/", questions.today, name="question"),
    path("question/<int:pk>/answer/", questions.answer, name="answer"),
    path("question/<int:pk>/swap/", questions.swap, name="swap"),
    path("question/<int:pk>/talked/", questions.talked, name="talked"),
    path("prompts/", questions.library, name="prompts"),
    path("prompts/new/", questions.new_prompt, name="prompt_new"),
    path("prompts/<int:pk>/favorite/", questions.favorite, name="favorite"),
    path("prompts/<int:pk>/ask/", questions.pick, name="pick"),
    path("dates/new/", dates.new, name="date_new"),
    path("dates/<int:pk>/edit/", dates.edit, name="date_edit"),
    path("dates/<int:pk>/status/", dates.set_status, name="date_status"),
    path("dates/<int:pk>/reflect/", dates.reflect, name="date_reflect"),
    path("ideas/", dates.ideas, name="ideas"),
    path("dates/calendar/", dates.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", dates.feed, name="feed"),
    path("notes/<int:pk>/thank/", notes.thank, name="note_thank"),
    path("dates/<int:pk>/phones-away/", phones_away.screen, name="phones_away"),
    path("dates/<int:pk>/phones-away/start/", phones_away.start, name="phones_away_start"),
    path("dates/<int:pk>/phones-away/stop/", phones_away.stop, name="phones_away_stop"),
    path("dates/<int:pk>/phones-away/minutes/", phones_away.edit, name="phones_away_edit"),
]
