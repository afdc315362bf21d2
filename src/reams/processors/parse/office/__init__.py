"""Office and OpenDocument files: DOCX, PPTX, XLSX, XLS, ODF, RTF and legacy DOC/PPT."""
