/// The store's schema (version 2: `run_stages` records the stage keys each run used; version 3:
/// `models` records each model's grid cell, seed, steps limit, best dev step and early stop). Every result table carries the provenance columns
/// `run_id, analysis, config_hash, stage_key, rtpipe_version, git_revision, seed, created_at`;
/// see `docs/STORE.md` for what each column means and example queries from R and Python.
enum Schema {
    static let version = 3

    /// Provenance columns shared by every result table.
    static let provenance = """
        run_id TEXT NOT NULL, analysis TEXT NOT NULL, config_hash TEXT NOT NULL, stage_key TEXT NOT NULL,
        rtpipe_version TEXT NOT NULL, git_revision TEXT NOT NULL, seed INTEGER NOT NULL, created_at TEXT NOT NULL
        """

    static let statements: [String] = [
        """
        CREATE TABLE IF NOT EXISTS runs (
            run_id TEXT PRIMARY KEY, analysis TEXT NOT NULL, config_hash TEXT NOT NULL, analysis_file TEXT,
            rtpipe_version TEXT NOT NULL, git_revision TEXT NOT NULL, seed INTEGER NOT NULL,
            started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS stages (
            stage_key TEXT PRIMARY KEY, stage TEXT NOT NULL, analysis TEXT NOT NULL, run_id TEXT NOT NULL,
            config_hash TEXT NOT NULL, rtpipe_version TEXT NOT NULL, git_revision TEXT NOT NULL, seed INTEGER NOT NULL,
            seconds REAL NOT NULL, finished_at TEXT NOT NULL, summary TEXT)
        """,
        """
        CREATE TABLE IF NOT EXISTS run_stages (
            run_id TEXT NOT NULL, stage_key TEXT NOT NULL, stage TEXT NOT NULL, PRIMARY KEY (run_id, stage_key))
        """,
        "CREATE TABLE IF NOT EXISTS corpora (\(provenance), corpus TEXT NOT NULL, format TEXT NOT NULL, path TEXT NOT NULL, measure TEXT NOT NULL, texts INTEGER, words INTEGER, subjects INTEGER, rows_read INTEGER, rows_kept INTEGER)",
        "CREATE TABLE IF NOT EXISTS exclusions (\(provenance), corpus TEXT NOT NULL, rule TEXT NOT NULL, rows_removed INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS models (\(provenance), model TEXT NOT NULL, fusion TEXT NOT NULL, context TEXT, preset TEXT, parameters INTEGER, train_sentences INTEGER, steps INTEGER, tokenizer_hash TEXT, checkpoint TEXT, seconds REAL, cell TEXT, model_seed INTEGER, max_steps INTEGER, best_step INTEGER, stopped_early INTEGER)",
        "CREATE TABLE IF NOT EXISTS perplexities (\(provenance), model TEXT NOT NULL, split TEXT NOT NULL, tokens INTEGER, words INTEGER, nats_per_token REAL, perplexity_per_token REAL, perplexity_per_word REAL, bits_per_word REAL, base TEXT NOT NULL DEFAULT 'e')",
        "CREATE TABLE IF NOT EXISTS surprisals (\(provenance), model TEXT NOT NULL, word_index INTEGER NOT NULL, text_id TEXT, word TEXT, surprisal_bits REAL, aligned INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS correlations (\(provenance), model TEXT NOT NULL, measure TEXT NOT NULL, n INTEGER NOT NULL, pearson_r REAL, p_value REAL)",
        "CREATE TABLE IF NOT EXISTS fits (\(provenance), regression TEXT NOT NULL, model TEXT NOT NULL, role TEXT NOT NULL, formula TEXT NOT NULL, kind TEXT NOT NULL, n INTEGER NOT NULL, loglik REAL, deviance REAL, aic REAL, bic REAL, sigma REAL, converged INTEGER, singular INTEGER, evaluations INTEGER, warnings TEXT)",
        "CREATE TABLE IF NOT EXISTS fit_terms (\(provenance), regression TEXT NOT NULL, model TEXT NOT NULL, role TEXT NOT NULL, term TEXT NOT NULL, estimate REAL, std_error REAL, t_value REAL)",
        "CREATE TABLE IF NOT EXISTS delta_loglik (\(provenance), regression TEXT NOT NULL, model TEXT NOT NULL, fold TEXT NOT NULL, n INTEGER NOT NULL, delta_total REAL, delta_mean REAL, delta_se REAL, lrt_chisq REAL, lrt_df INTEGER, lrt_p REAL, permutation_p REAL)",
        "CREATE INDEX IF NOT EXISTS stage_rows ON surprisals(stage_key)",
        "CREATE INDEX IF NOT EXISTS delta_rows ON delta_loglik(analysis, regression, model)",
        "CREATE TABLE IF NOT EXISTS heldout_rows (\(provenance), regression TEXT NOT NULL, model TEXT NOT NULL, row_key TEXT NOT NULL, fold TEXT NOT NULL, delta REAL NOT NULL)",
        "CREATE INDEX IF NOT EXISTS heldout_row_rows ON heldout_rows(analysis, regression, model)",
    ]

    /// Columns added after a table was first released: added to an older store when it is opened
    /// (existing rows get NULL).
    static let addedColumns: [(table: String, column: String, type: String)] = [
        ("models", "cell", "TEXT"), ("models", "model_seed", "INTEGER"), ("models", "max_steps", "INTEGER"),
        ("models", "best_step", "INTEGER"), ("models", "stopped_early", "INTEGER"),
    ]

    /// Tables whose rows belong to one stage (deleted and rewritten together with it).
    static let resultTables = ["corpora", "exclusions", "models", "perplexities", "surprisals", "correlations", "fits", "fit_terms", "delta_loglik", "heldout_rows"]
}
