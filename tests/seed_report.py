"""The seed report (../shared/seeds/000_a59ca6395a514ce1.txt) as data: its programme, its
eleven events as the bot stores them, and the lines and sentences the document must say."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.services import attendance
from storage.database import Database
from storage.models import Event, Program
from tests.factories import make_event

NAME = "Поінформована громада – демократична країна"
PURPOSE = (
    "Даний проект започаткований щоб широко інформувати громадян про наявні інструменти та "
    "ресурси е-урядування, якими можна скористатись у публічних бібліотеках; налагодити "
    "співпрацю з бібліотеками, громадами, місцевою владою задля прозорості її роботи; навчити "
    "представників громади ефективно орієнтуватись в ресурсах е-урядування; популяризувати "
    "інформаційні ресурси сучасно оснащених бібліотек та активізувати активних членів громади "
    "до прозорого вирішення важливих для громади питань."
)
FRAME = (
    "що є частиною Національного плану дій у рамках «Партнерства «Відкритий уряд» і "
    "реалізується за сприяння програми «Бібліоміст»"
)
LINK = "на сайті Волочиської ЦРБ, розділ «Життя сьогодні» vollibrary.ucoz.net"
SIGNER_POSITION = (
    "Відповідальна за впровадження\n"
    "е-урядування у Волочиському районі,\n"
    "провідний бібліотекар Волочиської ЦРБ"
)
SIGNER_NAME = "Задорожна Н.М."
LIBRARY, LIBRARY_GENITIVE = "Волочиська ЦРБ", "Волочиської ЦРБ"
PROGRAM = {
    "name": NAME,
    "purpose": PURPOSE,
    "frame": FRAME,
    "link": LINK,
    "signer_position": SIGNER_POSITION,
    "signer_name": SIGNER_NAME,
}
INTRO = f"За час реалізації проекту «{NAME}», {FRAME}, проведено:"
MORE = "Більш детальну інформацію про проведені заходи можна знайти " + LINK


@dataclass(frozen=True)
class SeedEvent:
    kind: str
    title: str
    audience: str = ""
    report_label: str | None = None
    report_title: str | None = None
    partner: str | None = None
    report_note: str | None = None


ZAINYATIST = "центром зайнятості населення"
EVENTS = [
    SeedEvent("training", NAME, audience="презентація проекту для працівників ЦРБ"),
    SeedEvent(
        "training",
        "Бібліотеки – центри підтримки громади в умовах воєнної загрози: робота з ВПО",
        audience="для працівників бібліотек-філіалів з використанням е-ресурсів для "
        "обслуговування користувачів з числа ВПО",
        report_label="практикум-тренінг",
    ),
    SeedEvent(
        "training",
        "Електронні послуги для громади",
        audience="для працівників бібліотек-філіалів",
        report_title=f"«Електронні послуги для громади» в рамках проекту «{NAME}»",
    ),
    SeedEvent(
        "seminar",
        "Працевлаштування переселенців",
        partner=ZAINYATIST,
        report_note="використання е-ресурсів для ВПО",
    ),
    SeedEvent(
        "seminar",
        "Легальна зайнятість",
        partner=ZAINYATIST,
        report_note="з використанням е-послуг для тих, хто шукає роботу",
    ),
    SeedEvent(
        "practical",
        "Е-послуги для дітей",
        audience="дитяча бібліотека",
        report_title="по використанню е-послуг для дітей",
        report_note="знайомство з урядовими сайтами та законодавством на захист прав дітей",
    ),
    # Its parenthesis is longer than the audience column holds (200): written in the title.
    SeedEvent(
        "training",
        "Бібліотека – як складова електронного діалогу громади і влади",
        report_label="практикум-тренінг",
        report_title="«Бібліотека – як складова електронного діалогу громади і влади» (для "
        "працівників сільських бібліотек, які ознайомились та на практиці використали різні "
        "види е-послуг, аналізували наповнення сайтів селищних, сільських рад, знайомились із "
        "деклараціями своїх сільських голів та секретарів рад)",
    ),
    SeedEvent(
        "training",
        "Сприяння доступу молоді до інтернет-ресурсів органів державної влади та місцевого "
        "самоврядування в Україні",
        audience="для молоді",
    ),
    SeedEvent("training", "Навчаємось вираховувати субсидію", audience="для пенсіонерів"),
    SeedEvent(
        "training",
        "Навчаємось пошуку нормативних документів місцевих органів влади",
        audience="для постійних користувачів",
    ),
    SeedEvent(
        "campaign",
        "Від влади до громади через е-урядування ближче",
        audience="для жителів міста",
    ),
]

# The seed's list, character for character.
LINES = [
    "тренінг «Поінформована громада – демократична країна» (презентація проекту для працівників ЦРБ);",
    "практикум-тренінг «Бібліотеки – центри підтримки громади в умовах воєнної загрози: робота з ВПО» (для працівників бібліотек-філіалів з використанням е-ресурсів для обслуговування користувачів з числа ВПО);",
    "тренінг «Електронні послуги для громади» в рамках проекту «Поінформована громада – демократична країна» (для працівників бібліотек-філіалів);",
    "семінар «Працевлаштування переселенців» (спільно з центром зайнятості населення), використання е-ресурсів для ВПО;",
    "семінар «Легальна зайнятість» (спільно з центром зайнятості населення), з використанням е-послуг для тих, хто шукає роботу;",
    "практичне заняття по використанню е-послуг для дітей (дитяча бібліотека), знайомство з урядовими сайтами та законодавством на захист прав дітей;",
    "практикум-тренінг «Бібліотека – як складова електронного діалогу громади і влади» (для працівників сільських бібліотек, які ознайомились та на практиці використали різні види е-послуг, аналізували наповнення сайтів селищних, сільських рад, знайомились із деклараціями своїх сільських голів та секретарів рад);",
    "тренінг «Сприяння доступу молоді до інтернет-ресурсів органів державної влади та місцевого самоврядування в Україні» (для молоді);",
    "тренінг «Навчаємось вираховувати субсидію» (для пенсіонерів);",
    "тренінг «Навчаємось пошуку нормативних документів місцевих органів влади» (для постійних користувачів);",
    "інформаційну акцію «Від влади до громади через е-урядування ближче» (для жителів міста).",
]

# The same, as English staff read it: English words around the library's own data.
LINES_EN = [
    "training “Поінформована громада – демократична країна” (презентація проекту для працівників ЦРБ);",
    "практикум-тренінг “Бібліотеки – центри підтримки громади в умовах воєнної загрози: робота з ВПО” (для працівників бібліотек-філіалів з використанням е-ресурсів для обслуговування користувачів з числа ВПО);",
    "training «Електронні послуги для громади» в рамках проекту «Поінформована громада – демократична країна» (для працівників бібліотек-філіалів);",
    "seminar “Працевлаштування переселенців” (together with центром зайнятості населення), використання е-ресурсів для ВПО;",
    "seminar “Легальна зайнятість” (together with центром зайнятості населення), з використанням е-послуг для тих, хто шукає роботу;",
    "practical session по використанню е-послуг для дітей (дитяча бібліотека), знайомство з урядовими сайтами та законодавством на захист прав дітей;",
    "практикум-тренінг «Бібліотека – як складова електронного діалогу громади і влади» (для працівників сільських бібліотек, які ознайомились та на практиці використали різні види е-послуг, аналізували наповнення сайтів селищних, сільських рад, знайомились із деклараціями своїх сільських голів та секретарів рад);",
    "training “Сприяння доступу молоді до інтернет-ресурсів органів державної влади та місцевого самоврядування в Україні” (для молоді);",
    "training “Навчаємось вираховувати субсидію” (для пенсіонерів);",
    "training “Навчаємось пошуку нормативних документів місцевих органів влади” (для постійних користувачів);",
    "information campaign “Від влади до громади через е-урядування ближче” (для жителів міста).",
]

CATEGORIES = ["library_specialists", "library_users", "government", "ngo_activists"]
# Who came to each event, by category (in CATEGORIES' order): 93 in all.
CAME = [
    (8, 0, 0, 0),
    (9, 0, 0, 0),
    (9, 0, 0, 0),
    (0, 4, 0, 4),
    (0, 4, 0, 4),
    (0, 8, 0, 0),
    (8, 0, 0, 0),
    (0, 5, 0, 4),
    (0, 9, 0, 0),
    (0, 7, 2, 0),
    (0, 2, 1, 5),
]
TOTALS = (
    "Проведено 11 заходів: 7 тренінгів, 2 семінари, 1 практичне заняття, 1 інформаційну акцію. "
    "Навчання пройшли 93 особи, серед яких: бібліотечні фахівці — 34, користувачі бібліотеки — 39, "
    "представники влади — 3, активісти громадських організацій — 17."
)
TOTALS_EN = (
    "11 events were held: 7 trainings, 2 seminars, 1 practical session, 1 information campaign. "
    "93 people were trained, among them: library specialists — 34, library users — 39, "
    "government representatives — 3, NGO activists — 17."
)


async def load(db: Database, *, first_day: datetime) -> list[int]:
    """The programme and its eleven events, a week apart from ``first_day``, with who came
    (as walk-ins, by category); the events' ids in order."""
    async with db.transaction() as session:
        program = Program(created_at=first_day - timedelta(days=30), **PROGRAM)
        session.add(program)
        await session.flush()
        program_id = program.id
    ids = []
    for n, (seed, came) in enumerate(zip(EVENTS, CAME, strict=True)):
        event = await make_event(
            db,
            now=first_day - timedelta(days=1),
            starts_in=timedelta(days=1 + 7 * n),
            title=seed.title,
            kind=seed.kind,
            capacity=None,
        )
        async with db.transaction() as session:
            row = await session.get(Event, event.id)
            assert row is not None
            row.program_id = program_id
            row.audience = seed.audience
            row.report_label = seed.report_label
            row.report_title = seed.report_title
            row.partner = seed.partner
            row.report_note = seed.report_note
            for category, n_came in zip(CATEGORIES, came, strict=True):
                if n_came:
                    await attendance.add_walk_ins(
                        session, event_id=event.id, category=category, delta=n_came
                    )
        ids.append(event.id)
    return ids
