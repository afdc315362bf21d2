"""OCR: engines, the layout of recognised text, and the pages (scans, images) that need it."""
