# Golden values for randomisation inference, by complete enumeration in R
# (and R coin's exact test). Run from the repository root:
#   Rscript testdata/golden/make_ri.R
# It writes ri_data.csv and ri_expected.csv beside it; commit them.
suppressPackageStartupMessages({ library(estimatr); library(coin) })
dir <- "testdata/golden"
g <- function(x) ifelse(is.na(x), "NaN", sprintf("%.17g", x))
set.seed(20161232)

# Every assignment of t treated among the units of each block.
assignments <- function(blocks, treated) {
  per <- lapply(seq_along(blocks), function(b) combn(blocks[[b]], treated[b], simplify = FALSE))
  grid <- expand.grid(lapply(per, seq_along))
  lapply(seq_len(nrow(grid)), function(r) unlist(lapply(seq_along(per), function(b) per[[b]][[grid[r, b]]])))
}

stat <- function(y, z, b, blocked) {
  d <- data.frame(y = y, z = z, b = b)
  r <- if (blocked) difference_in_means(y ~ z, blocks = b, data = d) else difference_in_means(y ~ z, data = d)
  c(difference = unname(r$coefficients), studentized = unname(r$coefficients / r$std.error))
}

cases <- list(
  plain = list(y = round(rexp(10, 1 / 20), 2), b = rep(1, 10), treated = 5, blocked = FALSE),
  skewed = list(y = c(rep(0, 6), round(rgamma(5, 2, 0.1), 2)), b = rep(1, 11), treated = 4, blocked = FALSE),
  effect = list(y = round(rnorm(12, 10, 2) + 6 * rep(c(1, 0), 6), 2), z = rep(c(1L, 0L), 6), b = rep(1, 12), treated = 6, blocked = FALSE),
  blocked = list(y = round(c(rnorm(6, 10, 3), rnorm(7, 20, 5)), 2), b = rep(1:2, c(6, 7)), treated = c(3, 3), blocked = TRUE)
)
data <- NULL; expected <- NULL
for (name in names(cases)) {
  cs <- cases[[name]]
  n <- length(cs$y)
  blocks <- split(seq_len(n), cs$b)
  all <- assignments(blocks, cs$treated)
  z <- cs$z
  if (is.null(z)) { z <- integer(n); z[all[[sample(length(all), 1)]]] <- 1L }
  obs <- stat(cs$y, z, cs$b, cs$blocked)
  draws <- t(sapply(all, function(tr) { zz <- integer(n); zz[tr] <- 1L; stat(cs$y, zz, cs$b, cs$blocked) }))
  tol <- 1e-12
  p <- sapply(c("difference", "studentized"), function(s) mean(abs(draws[, s]) >= abs(obs[[s]]) * (1 - tol)))
  coin_p <- if (!cs$blocked) pvalue(oneway_test(y ~ factor(z, levels = c(1, 0)), data = data.frame(y = cs$y, z = z), distribution = "exact")) else NA
  data <- rbind(data, data.frame(case = name, y = g(cs$y), z = z, block = cs$b))
  expected <- rbind(expected, data.frame(case = name, assignments = length(all),
    difference = g(obs[["difference"]]), studentized = g(obs[["studentized"]]),
    p_difference = g(p[["difference"]]), p_studentized = g(p[["studentized"]]), p_coin = g(coin_p)))
}
write.csv(data, file.path(dir, "ri_data.csv"), row.names = FALSE, quote = FALSE)
write.csv(expected, file.path(dir, "ri_expected.csv"), row.names = FALSE, quote = FALSE)
