"""The Navixy table read against the two Navixy seed documents.

The service catalogue (`services` of generated/navixy.json) cell by cell against the
seed's lists and its Basic / Advanced table, for every deployment and support level; and
the guarantee window of the On-premise / Cloud response times. Every expected value is
copied from the seed texts (seeds/000 English, seeds/001 Russian), never from the table.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from .helpers import REPO

DEPLOYMENTS = ("saas", "on_premise", "cloud")
PLANS = ("basic", "advanced")
SEVERITIES = ("L1", "L2", "L3", "L4")


@pytest.fixture(scope="module")
def table() -> dict:
    return json.loads((REPO / "generated" / "navixy.json").read_text(encoding="utf-8"))


def answers(table: dict, **facts) -> dict[str, list[tuple]]:
    """Service -> its parts as (status, English detail, Russian detail), for services with a term for these facts."""
    out = {}
    for name, svc in table["services"].items():
        found = [t for t in svc["terms"] if all(facts[k] in v for k, v in t["when"].items())]
        assert len(found) <= 1, (name, facts, found)  # one answer a ticket, never two
        if found:
            out[name] = [(p["status"], *((p["detail"] or {}).get(lang) for lang in ("en", "ru")))
                         for p in found[0]["parts"]]
    return out


# "Technical support for SaaS (Software as a Service) version of Navixy platform is complimentary to all
# authorized Navixy Partners." -- the list that follows, [ru] "Техническая поддержка для ... SaaS версию
# платформы, предоставляется бесплатно." Service id -> the item, English and Russian.
SAAS_LIST = {
    "feature_consultation": ("Consultation on Navixy features", "Консультация по возможностям Navixy"),
    "api_consultation": ("Consultations on Navixy API", "Консультации по API"),
    "bulk_registration": ("Bulk device registration", "Массовая регистрация устройств"),
    "device_activation": ("Consultations on device activation (platform related only)",
                          "Консультации по вопросам, связанным с активацией устройств (на уровне платформы)"),
    "device_reporting": (
        "Consultations on issues with device reporting to the platform (platform related only)",
        "Консультации по вопросам отображения информации, получаемой с устройств (на уровне платформы)"),
    "custom_logos": ("Custom logos in user accounts", "Пользовательские логотипы"),
    "bug_reports": ("Bug reports and fixes", "Отчеты об ошибках и исправлениях"),
    "sms_gateway": ("SMS gateway implementation (gateway provided by the Partner)",
                    "Подключение SMS-шлюза (шлюз предоставляется партнёром)"),
    "map_layers": ("Custom map layers addition (layers provided by the Partner)",
                   "Добавление пользовательских слоев карты (слои предоставляются партнёром)"),
    "web_apps": ("Custom web apps integration (application provided by the Partner)",
                 "Добавление пользовательских веб-приложений (приложение предоставляется партнёром)"),
    "gis_keys_saas": ("GIS license keys implementation (keys provided by the Partner)",
                      "Подключение пользовательских лицензионных ключей ГИС (предоставляются партнером)"),
    "ssl_saas": ("SSL certificate setup and renewal (SSL provided by the Partner)",
                 "Настройка и продление SSL-сертификата (SSL предоставляется партнером)"),
}

# "Services / Terms of renderingBasic*Advanced": service id -> (row, Basic cell, Advanced cell), each
# (English, Russian); None is "N/A" / "Не оказывается" (Basic) or "Available" / "Предоставляется" (Advanced).
ONPREM_TABLE = {
    "initial_installation": (
        ("Initial installation of the platform", "Установка ПО (первоначальная)"),
        ("Deploy of the Navixy services and DB (without additional software)",
         "Запуск служб Navixy и БД (без дополнительного программного обеспечения)"),
        ("Deploy of additional software (MySQL, Java, Nginx)",
         "Запуск дополнительного программного обеспечения (MySQL, Java, Nginx)")),
    "software_configuration": (
        ("Software configuration", "Настройка ПО"),
        ("Configuration of Navixy services and essential MySQL parameters",
         "Настройка служб Navixy и основных параметров MySQL"),
        ("Additional fine tuning of third-party software (MySQL, Java)",
         "Дополнительная настройка стороннего программного обеспечения (MySQL, Java)")),
    "software_updates": (
        ("Software updates", "Обновления ПО"),
        ("Only Navixy platform", "Платформа Navixy"),
        ("Third-party software (MySQL, Java, Nginx)", "Стороннее программное обеспечение (MySQL, Java, Nginx)")),
    "gis_keys": (
        ("GIS license keys implementation", "Подключение пользовательских ключей ГИС"),
        ("Provided by user", "Предоставляются пользователем"),
        ("Deploy and setup of Nominatim server", "Установка и настройка Nominatim")),
    "ssl_certificate": (
        ("SSL certificate setup and renewal", "Настройка/продление SSL"),
        ("Provided by user", "Предоставляется пользователем"),
        ("Let’s Encrypt certificate setup", "Сертификаты Let’s Encrypt")),
    "productivity_diagnostics": (
        ("Diagnostics of the Navixy platform productivity", "Диагностика производительности платформы Navixy"),
        ("Log-based analysis", "Анализ причин на основе логов"),
        ("Log-based analysis and recommendations on improvements",
         "Анализ причин на основе логов и рекомендации по исправлению")),
    "user_fault_failure": (
        ("Platform failure due to the user’s fault", "Диагностика сбоев платформы из-за ошибки пользователя"),
        ("Log-based analysis", "на основе логов"),
        ("Log-based analysis & recommendations on restoring",
         "Анализ причин на основе логов и рекомендации по возобновлению работы")),
    "administration_consulting": (
        ("Consulting on Navixy server products related to administration issues",
         "Консультации по вопросам, связанным с администрированием серверов"), None, None),
    "server_transfer": (
        ("Assistance in transferring platform to a new server (includes only Navixy services)",
         "Помощь в переносе платформы на новый сервер (включает только службы Navixy)"), None, None),
    "log_management": (("Log files management, logrotate setup", "Управление файлами логов, настройка logrotate"),
                       None, None),
    "time_sync": (("Synchronizing time for Navixy server", "Синхронизация времени для сервера Navixy"), None, None),
    "partition_expansion": (("Partition and file system expansion", "Разделение и расширение файловой системы"),
                            None, None),
    "backup_setup": (("Help with backup setup", "Помощь в настройке резервного копирования"), None, None),
}

# Services from sentences of the On-premise / Cloud part (none of them is about SaaS).
ONPREM_SENTENCES = {
    # "Issues with server hardware or network must be resolved by the Partner."
    "server_hardware": {"basic": [("excluded", None, None)], "advanced": [("excluded", None, None)]},
    # "New features or device integrations can be added to the platform only with a server update after
    # a new On-premise and Cloud version released."
    "new_features": {plan: [("included", "Only with a server update after a new version is released",
                             "Только с обновлением сервера после выпуска новой версии")] for plan in PLANS},
    # "only consultative support can be provided unless Advanced Support purchased."
    "third_party_faults": {"basic": [("included", "Consultation only", "Только консультация")],
                           "advanced": [("included", "Consultation", "Консультация"), ("hourly", None, None)]},
}


def expected_onprem(plan: str) -> dict[str, list[tuple]]:
    """The On-premise / Cloud catalogue of a support level, from the seed's lists and table."""
    # "* Services listed in the Technical support for SaaS section of the Technical Support Regulations
    # are also included in the Basic Support for On-premise and Cloud version." Advanced Support is
    # "available to partners only with active/valid Support and Updates subscription": on top of Basic.
    out = {name: [("included", None, None)] for name in SAAS_LIST}
    for name, (_, basic, advanced) in ONPREM_TABLE.items():
        if plan == "basic":
            out[name] = [("included", *basic)] if basic else [("excluded", None, None)]
        else:  # keeps the Basic cell, and pays the Advanced one by the hour ("provided on the hourly rate")
            out[name] = ([("included", *basic)] if basic else []) + [("hourly", *(advanced or (None, None)))]
    out.update((name, by_plan[plan]) for name, by_plan in ONPREM_SENTENCES.items())
    return out


def test_saas_catalogue_is_the_saas_list_each_service_answered_once(table):
    # An On-premise / Cloud row does not apply to SaaS at all: SaaS tickets get the SaaS list,
    # every item included, one answer each (SSL and GIS keys no longer both included and excluded).
    for plan in PLANS:
        for sev in SEVERITIES:
            got = answers(table, deployment="saas", plan=plan, severity=sev)
            assert got == {name: [("included", None, None)] for name in SAAS_LIST}, (plan, sev)


@pytest.mark.parametrize("deployment", ["on_premise", "cloud"])
@pytest.mark.parametrize("plan", PLANS)
def test_onprem_catalogue_cell_by_cell(table, deployment, plan):
    want = expected_onprem(plan)
    for sev in SEVERITIES:
        got = answers(table, deployment=deployment, plan=plan, severity=sev)
        if sev in ("L3", "L4"):
            # "Any bugs (excluding those that relate to Level 1 and Level 2) are fixed only with a server
            # update after a new On-premise and Cloud version is released."
            assert got.pop("bug_reports") == [
                ("included", "Fixed only with a server update after a new version is released",
                 "Исправляются только при обновлении сервера после выпуска новой версии")]
            got["bug_reports"] = want["bug_reports"]
        assert got == want, (deployment, plan, sev)


def test_advanced_keeps_every_basic_inclusion(table):
    # "Advanced Support - provided on the hourly rate and available to partners only with active/valid
    # Support and Updates subscription": what Basic includes, Advanced includes too.
    for deployment in ("on_premise", "cloud"):
        basic = answers(table, deployment=deployment, plan="basic", severity="L1")
        advanced = answers(table, deployment=deployment, plan="advanced", severity="L1")
        for name, parts in basic.items():
            kept = [p for p in parts if p[0] == "included"]
            if name == "third_party_faults":  # "Consultation only" becomes the consultation plus hourly work
                kept = [("included", "Consultation", "Консультация")]
            assert all(p in advanced[name] for p in kept), (deployment, name)


def test_service_labels_are_the_seed_rows(table):
    for name, (en, ru) in SAAS_LIST.items():
        assert table["services"][name]["label"] == {"en": en, "ru": ru}
    for name, ((en, ru), _, _) in ONPREM_TABLE.items():
        assert table["services"][name]["label"] == {"en": en, "ru": ru}
    assert set(table["services"]) == set(SAAS_LIST) | set(ONPREM_TABLE) | set(ONPREM_SENTENCES)


# ---- the guarantee window -----------------------------------------------------------------

def open_on(cal: dict, day: str) -> list:
    return cal["dates"].get(day, cal["week"][dt.date.fromisoformat(day).weekday()])


def test_guarantee_window_is_monday_to_friday(table):
    # "*Indicated response time is valid if a ticket was received by the Navixy technical support team
    # during weekdays (Mon - Fri) from 05:00 to 13:00 UTC." [ru] "в будние дни (с понедельника по
    # пятницу) с 8:00 до 16:00 (МСК)". The handling calendar opens the transferred working Saturdays
    # ("обрабатываются в рабочие дни"); the guarantee window must not, whatever years the holidays cover.
    cals, russia = table["calendars"], table["holidays"]["russia"]
    window, hours = cals["guarantee_window"], cals["support_hours"]
    assert window["zone"] == hours["zone"] == "Europe/Moscow"
    assert window["week"] == [[[8 * 60, 16 * 60]]] * 5 + [[], []]  # 08:00-16:00 MSK = 05:00-13:00 UTC
    assert russia["working"], "the test needs a working Saturday"
    for day in russia["working"]:
        assert open_on(hours, day) == [[8 * 60, 16 * 60]], day  # the team works, the clock runs
        assert open_on(window, day) == [], day  # but nothing is guaranteed
    assert not [d for d, iv in window["dates"].items() if iv and dt.date.fromisoformat(d).weekday() >= 5]
    # Public holidays and days off that fall Monday to Friday are closed in both (the policy's reading).
    for day in russia["closed"]:
        assert open_on(window, day) == open_on(hours, day) == [], day
    assert window["valid"] == hours["valid"]


def test_onprem_guarantee_uses_the_window(table):
    # The same window for the first response and for each later one (next_response).
    for metric in ("first_response", "next_response"):
        rows = [r for r in table["rules"]["targets"][metric] if r["when"].get("deployment") == ["on_premise", "cloud"]]
        assert rows
        for r in rows:
            assert r["calendar"] == "support_hours" and r["guarantee"] == {"received_within": "guarantee_window"}
