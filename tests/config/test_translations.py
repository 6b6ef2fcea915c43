"""The interface is fully translated into the six UN languages, and stays so."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def test_there_is_a_catalogue_per_un_language():
    assert {path.parts[-3] for path in CATALOGUES} == {"ar", "zh_Hans", "en", "fr", "ru", "es"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_entry_is_translated_and_keeps_its_placeholders(path):
    catalogue = polib.pofile(str(path))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    for entry in catalogue.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry.msgid)), (
                entry.msgid
            )


def test_the_catalogues_hold_exactly_the_strings_the_code_has(tmp_path):
    """Extract the strings afresh from a copy of the code: nothing may appear or go.

    A string that goes while the code still shows it is one xgettext cannot see,
    such as a gettext call inside an f-string: the next `make makemessages`
    would drop its translations, and the page would show it in English.
    """
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "*.sqlite3", "__pycache__", "staticfiles"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location"],
        cwd=copy,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )
    fresh = {
        e.msgid
        for e in polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))
        if not e.obsolete
    }
    committed = {e.msgid for e in polib.pofile(str(ROOT / "locale/en/LC_MESSAGES/django.po"))}
    assert sorted(fresh - committed) == []  # new strings, not yet translated
    assert sorted(committed - fresh) == []  # strings the extraction no longer finds
