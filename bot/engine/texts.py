"""Replies both the requester's side (`engine`) and the staff desk (`staff`) give, written once."""

from __future__ import annotations

STORE_DOWN = "I couldn't reach the case store, please try again in a moment. Nothing was changed."
