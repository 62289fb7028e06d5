/// Pipeline: analysis files (TOML) → validated plan → stages with content-addressed caching → store → reports.
public enum PipelineModule {}
