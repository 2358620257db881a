# The weekly effects as an evaluator would write them in R: data.table to
# read and align, then estimatr::difference_in_means per outcome and week.
# Usage: Rscript r_loop.R assignment.csv weeks.csv out.csv
# Outcomes: hours, employed, praktik, wage_subsidy (not the 13-week rule).
suppressPackageStartupMessages({ library(data.table); library(estimatr) })
args <- commandArgs(TRUE)
a <- fread(args[1]); w <- fread(args[2])
monday <- function(d) d - ((as.integer(format(d, "%u")) - 1L))
iso_monday <- function(s) {
  y <- as.integer(substr(s, 1, 4)); k <- as.integer(substr(s, 7, 8))
  monday(as.Date(sprintf("%d-01-04", y))) + 7L * (k - 1L)
}
a[, w0 := monday(as.Date(randomised_on))]
w[, mon := iso_monday(week)]
end <- max(w$mon)
a[, follow := as.integer((end - w0) / 7) + 1L]
w <- merge(w, a[, .(person_id, w0)], by = "person_id")
w[, k := as.integer((mon - w0) / 7)]
a[, z := as.integer(arm == "treatment")]
out <- list()
for (k0 in 0:(max(a$follow) - 1)) {
  at <- a[follow > k0, .(person_id, z)]
  wk <- w[k == k0, .(person_id, hours, status)]
  d <- merge(at, wk, by = "person_id", all.x = TRUE)
  d[is.na(hours), hours := 0]; d[is.na(status), status := ""]
  ys <- list(hours = d$hours, employed = as.numeric(d$hours > 0), praktik = as.numeric(d$status == "praktik"),
             wage_subsidy = as.numeric(d$status == "wage_subsidy"))
  for (o in names(ys)) {
    r <- tryCatch(difference_in_means(y ~ z, data = data.frame(y = ys[[o]], z = d$z)), error = function(e) NULL)
    if (!is.null(r)) out[[length(out) + 1]] <- data.frame(outcome = o, week = k0, effect = r$coefficients, se = r$std.error)
  }
}
fwrite(rbindlist(out), args[3])
