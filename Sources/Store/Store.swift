/// Store: SQLite results with provenance.
public enum StoreModule {}
