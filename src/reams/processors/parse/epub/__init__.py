"""EPUB e-books: the package (OPF spine) and its chapters as pages."""
