"""The application layer: the one door for every use case (submit and cancel jobs, mirror a
local folder). api and cli call only this (plus ``wire`` and ``domain``); it owns the sequence
"resolve → check → store → engine" so that every new way to create a job goes through it.
"""
