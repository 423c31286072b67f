"""Pure importers and exporters over plain records, streaming; no Django import."""
