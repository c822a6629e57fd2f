"""Settings, personal dictionary and ignore list persist, atomically, where PROOFLINE_HOME says."""
import os

import pytest

from edgemodel import userdata


def test_settings_round_trip_and_survive_damage(tmp_path):
    s = userdata.Settings.load()
    assert s == userdata.Settings()
    s.threshold, s.dialect, s.disabled_kinds, s.extra = 0.8, "en-GB", ["style"], {"font": "Serif"}
    s.save()
    assert userdata.Settings.load() == s
    assert str(userdata.config_dir()).startswith(str(tmp_path))
    (userdata.config_dir() / "settings.json").write_text("{not json")
    assert userdata.Settings.load() == userdata.Settings()  # damaged: defaults, not a crash


def test_word_lists_persist():
    d = userdata.personal_dictionary()
    d.add("Proofline")
    d.add("naïve")
    assert "Proofline" in userdata.personal_dictionary() and "naïve" in userdata.personal_dictionary()
    d.remove("Proofline")
    assert "Proofline" not in userdata.personal_dictionary()
    assert "naïve" not in userdata.ignore_list()


def test_atomic_write_keeps_the_old_file_when_it_fails(tmp_path, monkeypatch):
    target = tmp_path / "doc.txt"
    target.write_text("old")
    os.chmod(target, 0o640)
    userdata.atomic_write(target, b"new")
    assert target.read_text() == "new" and (target.stat().st_mode & 0o777) == 0o640

    def broken_replace(src, dst):
        raise OSError("disk full")
    monkeypatch.setattr(userdata.os, "replace", broken_replace)
    with pytest.raises(OSError):
        userdata.atomic_write(target, b"newer")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.txt"]  # no temp file left behind
