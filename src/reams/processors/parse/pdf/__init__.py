"""PDF files: the text layer, its geometry and layout (reading order, tables, paragraphs)."""
