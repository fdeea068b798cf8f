"""The schema as named, numbered SQL files (NNN_name.sql), applied in order by storage.migrations."""
