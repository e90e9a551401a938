"""Question answering over Vietnamese news articles: cited, extractive, offline."""

__version__ = "0.1.0"

from .build import build_index, is_stale
from .chunk import ChunkSettings
from .errors import (
    CorruptIndexError,
    EmptyCorpusError,
    EmptyQuestionError,
    IndexFormatError,
    IndexNotFoundError,
    InvalidArgumentError,
    ModelLoadError,
    ModelMismatchError,
    QAError,
    QuestionFileError,
)
from .index import Index, load
from .oneshot import answer, retrieve
from .records import Answer, Article, Chunk, Citation, Hit

__all__ = [
    "Answer", "Article", "Chunk", "ChunkSettings", "Citation", "CorruptIndexError", "EmptyCorpusError",
    "EmptyQuestionError", "Hit", "Index", "IndexFormatError", "IndexNotFoundError", "InvalidArgumentError",
    "ModelLoadError", "ModelMismatchError", "QAError", "QuestionFileError", "__version__", "answer", "build_index",
    "is_stale", "load", "retrieve",
]
