"""The user's persisted state (edgemodel.userdata, shared with the CLI) and the CheckOptions it implies."""
from __future__ import annotations

from edgemodel import CheckOptions, Kind
from edgemodel.userdata import Settings, WordList, ignore_list, personal_dictionary

# Front-end settings kept in Settings.extra, with their defaults.
EXTRA_DEFAULTS = {
    "font_family": "",           # "" = the platform's default
    "font_size": 12,
    "thick_underlines": False,
    "recent_files": [],
    "autosave_seconds": 30,
}
MAX_RECENT = 10
_KIND_VALUES = {k.value for k in Kind}


class Profile:
    def __init__(self):
        self.settings = Settings.load()
        self.dictionary = personal_dictionary()
        self.ignored = ignore_list()                      # "Ignore all": this text is never flagged
        self.ignored_issues = WordList("ignored_issues")  # "Ignore": this one finding in this sentence

    def get(self, key: str):
        value = self.settings.extra.get(key, EXTRA_DEFAULTS[key])
        return value if isinstance(value, type(EXTRA_DEFAULTS[key])) else EXTRA_DEFAULTS[key]

    def set(self, key: str, value) -> None:
        self.settings.extra[key] = value
        self.settings.save()

    def disabled_kinds(self) -> frozenset[Kind]:
        return frozenset(Kind(v) for v in self.settings.disabled_kinds if v in _KIND_VALUES)

    def set_kind_enabled(self, kind: Kind, enabled: bool) -> None:
        disabled = set(self.settings.disabled_kinds) - {kind.value}
        if not enabled:
            disabled.add(kind.value)
        self.settings.disabled_kinds = sorted(disabled)
        self.settings.save()

    def options(self) -> CheckOptions:
        return CheckOptions(threshold=self.settings.threshold, dialect=self.settings.dialect,
                            disabled_kinds=self.disabled_kinds(), dictionary=frozenset(self.dictionary.words),
                            ignored=frozenset(self.ignored.words))

    def add_recent(self, path: str) -> None:
        recent = [p for p in self.get("recent_files") if p != path]
        self.set("recent_files", [path] + recent[:MAX_RECENT - 1])
