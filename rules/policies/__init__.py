"""Release policies shipped with declass, as versioned TOML files (package data)."""
