/// Reports: tables and figures regenerated from the store.
public enum ReportsModule {}
