"""Proofline's checking engine: text in, `Issue` values out. Needs only onnxruntime, numpy and
sentencepiece at run time (torch is for training and export only).

The names that need ONNX Runtime are imported on first use, so a front end that only handles
`Issue` values (the editor's window process) does not load the model's libraries."""
from edgemodel.issue import Issue, Kind, apply_all
from edgemodel.options import CheckOptions
from edgemodel.text import Sentence, split_sentences

_LAZY = {"Checker": "edgemodel.checker",
         "ModelError": "edgemodel.runtime", "RuntimeOptions": "edgemodel.runtime"}

__all__ = ["Checker", "CheckOptions", "Issue", "Kind", "ModelError", "RuntimeOptions", "Sentence",
           "apply_all", "split_sentences"]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'edgemodel' has no attribute {name!r}")
