"""Exceptions raised by the package; each message says what went wrong and what to do."""

from __future__ import annotations


class QAError(Exception):
    """Base class of every error this package raises on purpose."""


class EmptyQuestionError(QAError, ValueError):
    """The question is empty or whitespace."""


class InvalidArgumentError(QAError, ValueError):
    """An argument is out of range (k < 1, an unknown mode, ...)."""


class IndexNotFoundError(QAError, FileNotFoundError):
    """No index at the given folder."""


class IndexFormatError(QAError):
    """The index was written by another format version of this package."""


class ModelMismatchError(QAError):
    """The index was built with another embedding model than the one asked for."""


class CorruptIndexError(QAError):
    """An index file is missing, truncated or inconsistent."""


class EmptyCorpusError(QAError):
    """The corpus folder holds no readable article."""


class ModelLoadError(QAError):
    """The embedding model could not be loaded."""


class QuestionFileError(QAError, ValueError):
    """A question file given to `qa eval` is malformed (the message names the file and the line or entry)."""
