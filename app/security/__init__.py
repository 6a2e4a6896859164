"""Credentials, tokens and personal-data encryption."""
