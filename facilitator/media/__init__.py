"""Pictures for info steps: checked on upload, kept in the database, served with a strict type."""
