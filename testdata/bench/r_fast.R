# The fastest weekly effects we could write in R: fread, vectorised
# alignment, per-arm sums by week, the Neyman/Welch formulas by hand.
# Usage: Rscript r_fast.R assignment.csv weeks.csv out.csv
suppressPackageStartupMessages(library(data.table))
args <- commandArgs(TRUE)
a <- fread(args[1], select = c("person_id", "arm", "randomised_on"))
w <- fread(args[2], select = c("person_id", "week", "hours", "status"))
dow <- function(d) as.integer(format(d, "%u"))
a[, w0 := as.integer(as.Date(randomised_on)) - (dow(as.Date(randomised_on)) - 1L)]
wk <- unique(w[, .(week)])
wk[, mon := { y <- as.integer(substr(week, 1, 4)); j4 <- as.Date(sprintf("%d-01-04", y)); as.integer(j4) - (dow(j4) - 1L) + 7L * (as.integer(substr(week, 7, 8)) - 1L) }]
w[wk, mon := i.mon, on = "week"]
end <- max(w$mon)
a[, `:=`(follow = (end - w0) %/% 7L + 1L, z = as.integer(arm == "treatment"))]
w[a, `:=`(k = (mon - i.w0) %/% 7L, z = i.z, follow = i.follow), on = "person_id"]
w <- w[k >= 0L & k < follow]
# persons at risk per week and arm
K <- max(a$follow)
n <- a[, .(n = .N), by = .(z, follow)][, .(k = 0:(K - 1)), by = .(z, follow, n)][k < follow, .(n = sum(n)), by = .(z, k)]
w[, `:=`(employed = as.numeric(hours > 0), praktik = as.numeric(status == "praktik"), wage_subsidy = as.numeric(status == "wage_subsidy"))]
out <- rbindlist(lapply(c("hours", "employed", "praktik", "wage_subsidy"), function(o) {
  s <- w[, .(s1 = sum(get(o)), s2 = sum(get(o)^2)), by = .(z, k)][n, on = .(z, k)]
  s[is.na(s1), `:=`(s1 = 0, s2 = 0)]
  s[, `:=`(m = s1 / n, v = (s2 - s1^2 / n) / (n - 1))]
  t <- s[z == 1][s[z == 0], on = "k", nomatch = NULL]
  t[, .(outcome = o, week = k, effect = m - i.m, se = sqrt(v / n + i.v / i.n))]
}))
fwrite(out[order(outcome, week)], args[3])
