"""Text to AST. The only package that imports Lark."""

from .parse import parse_file, parse_text

__all__ = ["parse_file", "parse_text"]
