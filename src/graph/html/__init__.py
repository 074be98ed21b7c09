"""Interactive network views and the dossier site."""
