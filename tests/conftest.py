import random
import socket
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ASSETS = Path(__file__).resolve().parent.parent / "assets"


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    """Every test gets its own settings/dictionary directory."""
    monkeypatch.setenv("PROOFLINE_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="session")
def checker():
    from edgemodel import Checker
    return Checker()


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket.socket, "bind", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def fixture_sentences() -> list[str]:
    return (FIXTURES / "sentences.txt").read_text(encoding="utf-8").splitlines()


def varied_sentences(n: int = 320, seed: int = 0) -> list[str]:
    """Clean and erroneous fixture sentences, plus generated variants: repeated words, very short,
    very long, case changes, joined and truncated sentences."""
    rng = random.Random(seed)
    base = fixture_sentences()
    out = list(base)
    while len(out) < n:
        s = rng.choice(base)
        words = s.split()
        r = rng.random()
        if r < 0.15 and words:
            i = rng.randrange(len(words))
            words.insert(i, words[i])                       # repeated word
        elif r < 0.3 and len(words) > 2:
            words = words[:rng.randint(1, 2)]               # very short
        elif r < 0.4:
            words = " ".join(rng.sample(base, 6)).split()   # very long
        elif r < 0.55:
            words = [w.lower() for w in words]
        elif r < 0.7 and len(words) > 3:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        elif r < 0.85 and words:
            i = rng.randrange(len(words))
            w = words[i]
            if len(w) > 3:
                j = rng.randrange(len(w) - 1)
                words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
        else:
            words = (s + " " + rng.choice(base)).split()
        out.append(" ".join(words))
    return out
