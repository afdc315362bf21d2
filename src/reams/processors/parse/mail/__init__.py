"""E-mail messages: EML and Outlook MSG files rendered as a page."""
