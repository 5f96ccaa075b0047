"""The fixed words of `policyc doc`, by language, and targets written out in words.

The policy's own labels come from the table; these are the few words around them (headings,
weekday names, target kinds). A language not listed here gets the English words.
"""

from __future__ import annotations

WORDS = {
    "en": {
        "version": "Version", "effective": "In force", "to": "to", "support_languages": "Support languages",
        "versions": "Versions", "from": "from", "until": "until", "dimensions": "Dimensions",
        "value": "Value", "name": "Name", "description": "Description", "severities": "Severities",
        "level": "Level", "impact": "Impact", "targets": "Targets", "all": "All tickets",
        "target": "Target", "counted_on": "Hours count on", "unless": "unless a cell says otherwise", "always": "guaranteed always",
        "received_within": "guaranteed for tickets received within",
        "received_in_these": "guaranteed for tickets received in these hours", "coverage": "Coverage",
        "zone": "Time zone", "day": "Day", "open": "Open hours", "closed": "closed", "holidays": "Dates",
        "valid": "Valid", "escalation": "Escalation", "after": "after", "of": "of", "at_share": "at",
        "services": "Service catalogue", "service": "Service", "terms": "Terms", "combined": "combined",
        "included": "included", "excluded": "excluded", "hourly": "at the hourly rate",
        "next_business_day": "next business day", "business_days": "business day(s)",
        "edge_end": "by closing time", "edge_start": "by opening time", "none": "no target",
        "best_effort": "best effort", "h": "h", "min": "min", "cc": "copy", "contacts": "Contacts", "billing": "Billing", "outside": "outside", "working_as": "working day, as a",
        "channel": {"email": "email", "phone": "phone", "notify": "notify"},
        "days": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    },
    "fr": {
        "version": "Version", "effective": "En vigueur", "to": "au", "support_languages": "Langues du support",
        "versions": "Versions", "from": "du", "until": "au", "dimensions": "Dimensions",
        "value": "Valeur", "name": "Nom", "description": "Description", "severities": "Niveaux de gravité",
        "level": "Niveau", "impact": "Impact", "targets": "Objectifs", "all": "Tous les billets",
        "target": "Objectif", "counted_on": "Les heures se comptent sur",
        "unless": "sauf mention contraire dans la cellule", "always": "toujours garanti",
        "received_within": "garanti pour les billets reçus pendant",
        "received_in_these": "garanti pour les billets reçus pendant ces heures", "coverage": "Couverture",
        "zone": "Fuseau horaire", "day": "Jour", "open": "Heures d'ouverture", "closed": "fermé",
        "holidays": "Dates", "valid": "Valable", "escalation": "Escalade", "after": "après", "of": "de",
        "at_share": "à", "services": "Catalogue des services", "service": "Service", "terms": "Conditions",
        "combined": "combinés", "included": "inclus", "excluded": "exclu", "hourly": "au taux horaire",
        "next_business_day": "jour ouvrable suivant", "business_days": "jour(s) ouvrable(s)",
        "edge_end": "avant la fermeture", "edge_start": "à l'ouverture", "none": "aucun objectif",
        "best_effort": "au mieux", "h": " h", "min": " min", "cc": "copie", "contacts": "Contacts", "billing": "Facturation", "outside": "en dehors de", "working_as": "jour travaillé, comme un",
        "channel": {"email": "courriel", "phone": "téléphone", "notify": "notification"},
        "days": ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"],
    },
    "ru": {
        "version": "Версия", "effective": "Действует", "to": "по", "support_languages": "Языки поддержки",
        "versions": "Редакции", "from": "с", "until": "по", "dimensions": "Параметры",
        "value": "Значение", "name": "Название", "description": "Описание", "severities": "Уровни критичности",
        "level": "Уровень", "impact": "Влияние", "targets": "Целевые сроки", "all": "Все обращения",
        "target": "Срок", "counted_on": "Часы считаются по календарю",
        "unless": "если в ячейке не указано иное", "always": "гарантируется всегда",
        "received_within": "гарантируется для обращений, полученных в период",
        "received_in_these": "гарантируется для обращений, полученных в эти часы", "coverage": "Часы работы",
        "zone": "Часовой пояс", "day": "День", "open": "Часы работы", "closed": "выходной",
        "holidays": "Даты", "valid": "Действует", "escalation": "Эскалация", "after": "через",
        "of": "от", "at_share": "при", "services": "Каталог услуг", "service": "Услуга",
        "terms": "Условия", "combined": "вместе", "included": "входит", "excluded": "не входит",
        "hourly": "по почасовой ставке", "next_business_day": "следующий рабочий день",
        "business_days": "раб. дн.", "edge_end": "до конца рабочего дня", "edge_start": "к началу рабочего дня",
        "none": "без срока", "best_effort": "по возможности", "h": " ч", "min": " мин", "cc": "копия", "contacts": "Контакты", "billing": "Оплата", "outside": "вне", "working_as": "рабочий день, как",
        "channel": {"email": "эл. почта", "phone": "телефон", "notify": "уведомление"},
        "days": ["пн", "вт", "ср", "чт", "пт", "сб", "вс"],
    },
}


def words(lang: str) -> dict:
    """The fixed words for `lang` (English when the language has none here)."""
    return WORDS.get(lang, WORDS["en"])


def duration(minutes: int, w: dict) -> str:
    """`90` -> `1h 30min` (in the language's units)."""
    h, m = divmod(minutes, 60)
    parts = ([f"{h}{w['h']}"] if h else []) + ([f"{m}{w['min']}"] if m or not h else [])
    return " ".join(parts)


def clock(minute: int) -> str:
    """Minutes from midnight as `HH:MM` (1440 is `24:00`, the end of the day)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def target(t: dict, w: dict) -> str:
    """A target of the table in words: `4h`, `end of the next business day`, `1 business day(s)`."""
    kind = t["kind"]
    if kind == "duration":
        return duration(t["minutes"], w)
    if kind == "next_business_day":
        return _edged(w["next_business_day"], t.get("edge"), w)
    if kind == "business_days":
        return _edged(f"{t['days']} {w['business_days']}", t.get("edge"), w)
    if kind in ("none", "best_effort"):
        return w[kind]
    # any other kind (such as `period`): its fields as written in the table
    return kind + " " + " ".join(f"{k}={t[k]}" for k in sorted(t) if k != "kind")


def _edged(what: str, edge: str | None, w: dict) -> str:
    if edge in ("end", "start"):
        return f"{what}, {w['edge_' + edge]}"
    return what
