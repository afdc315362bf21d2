"""Web formats: HTML, XML documents and RSS/Atom feeds."""
