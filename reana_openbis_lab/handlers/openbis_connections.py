"""Routes of this area; filled in by its feature."""

from .base import Route

routes: list[Route] = []
