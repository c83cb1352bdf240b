"""The terminal chat: hold a conversation with the engine as one person."""
