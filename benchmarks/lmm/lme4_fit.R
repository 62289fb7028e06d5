# Times one lme4 fit for the rtpipe benchmarks (run beside `rtpipe fit` on the same data).
# Usage: Rscript lme4_fit.R DATA.csv|tsv "FORMULA" [factor columns, comma-separated] [level order spec col=a,b,c]
suppressPackageStartupMessages(library(lme4))
args <- commandArgs(trailingOnly = TRUE)
path <- args[1]; form <- as.formula(args[2])
factors <- if (length(args) >= 3 && nzchar(args[3])) strsplit(args[3], ",")[[1]] else character(0)
sep <- if (grepl("\\.tsv$", path)) "\t" else ","
t_load <- system.time(d <- read.table(path, header = TRUE, sep = sep, na.strings = c("NA", "", "."), stringsAsFactors = TRUE))
for (f in factors) d[[f]] <- factor(d[[f]])
if (length(args) >= 4 && nzchar(args[4])) {
  spec <- strsplit(args[4], "=")[[1]]
  d[[spec[1]]] <- factor(d[[spec[1]]], levels = strsplit(spec[2], ",")[[1]])
}
t_fit <- system.time(m <- lmer(form, data = d, REML = FALSE, control = lmerControl(calc.derivs = Sys.getenv("LME4_CALC_DERIVS", "TRUE") == "TRUE")))
cat(sprintf("lme4 %s load_s %.3f fit_s %.3f logLik %.10f feval %d\n", packageVersion("lme4"), t_load[["elapsed"]], t_fit[["elapsed"]],
            as.numeric(logLik(m)), m@optinfo$feval))
