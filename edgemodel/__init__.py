"""Proofline's checking engine: text in, `Issue` values out. Needs only onnxruntime, numpy and
sentencepiece at run time (torch is for training and export only)."""
from edgemodel.checker import Checker, CheckOptions
from edgemodel.issue import Issue, Kind, apply_all
from edgemodel.runtime import ModelError, RuntimeOptions
from edgemodel.text import Sentence, split_sentences

__all__ = ["Checker", "CheckOptions", "Issue", "Kind", "ModelError", "RuntimeOptions", "Sentence",
           "apply_all", "split_sentences"]
