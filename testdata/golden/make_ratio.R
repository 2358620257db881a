# Golden values for the ratio of two arms' means (stats.RatioOfMeans and
# stats.RatioTest), computed in base R by the explicit formulas (no package:
# mratios and msm are not installed). Run from the repository root:
#   Rscript testdata/golden/make_ratio.R
# It writes ratio_data.csv and ratio_expected.csv beside it; commit them.
#
# Conventions (the same as in stats/ratio.go): x is the treatment arm, y the
# control; s² the sample variances (divisor n − 1), vx = s²x/nx, vy = s²y/ny;
# every quantile is the standard normal one, q = qnorm((1 + level)/2), and the
# one-sided p-value is normal too.
#   R       = mean(x)/mean(y)
#   SE      = |R| sqrt(s²x/(nx mean(x)²) + s²y/(ny mean(y)²))     (delta method)
#   CI      = R ± q SE
#   SE(log) = sqrt(s²x/(nx mean(x)²) + s²y/(ny mean(y)²)),  log CI = exp(log R ± q SE(log)), R > 0
#   Fieller = {ρ : (mean(x) − ρ mean(y))² ≤ q² (vx + ρ² vy)}, the roots of
#             A ρ² − 2 B ρ + C = 0 with A = mean(y)² − q² vy, B = mean(x) mean(y),
#             C = mean(x)² − q² vx, by the textbook formula (B ± sqrt(B² − AC))/A
#   T       = (mean(x) − ρ0 mean(y)) / sqrt(vx + ρ0² vy),  p = P(Z > T)
# T tests H0: μx − ρ0 μy ≤ 0, which is H0: μx/μy ≤ ρ0 when μy > 0; with a
# negative control mean (cases negative, both_negative) the direction flips,
# and the p-values below are those of the linear hypothesis, as in Go.
dir <- "testdata/golden"
g <- function(x) ifelse(is.na(x), "NaN", sprintf("%.17g", x))
set.seed(20260726)

# Cumulative ordinary hours over 26 weeks: a share of the persons works at
# all, and those work some of the weeks, about 20 hours a week; the treatment
# doubles the share working.
hours <- function(n, share) {
  works <- rbinom(n, 1, share)
  sapply(works, function(w) if (w == 0) 0 else sum(rbinom(26, 1, 0.6) * round(rgamma(26, 3, 0.15), 1)))
}

cases <- list(
  # The hand-worked case of ratio_test.go: means 4 and 2, variances 4 and 1.
  hand         = list(x = c(2, 4, 6), y = c(1, 2, 3), level = 0.95, rho0 = 1),
  hours        = list(x = hours(300, 0.30), y = hours(300, 0.15), level = 0.95, rho0 = 2),
  # Mean weekly hours over the window, other arm sizes, a 90 % level.
  mean_hours   = list(x = hours(250, 0.27) / 26, y = hours(280, 0.18) / 26, level = 0.90, rho0 = 2),
  # The control mean is not significantly non-zero but the treatment mean is:
  # the Fieller set is the complement of an interval.
  complement   = list(x = c(5.1, 6.3, 7.2, 5.5, 6.6), y = c(-1, 2.2, 0.5, 3.1, -2.4), level = 0.95, rho0 = 2),
  # Neither mean is significantly non-zero: the Fieller set is the whole line.
  everything   = list(x = c(-1.2, 1.5, 2.1, -2.3, 0.4), y = c(1.3, -1.1, 0.3, -0.6, 2.2), level = 0.95, rho0 = 2),
  # A negative control mean (e.g. a change in hours): a negative ratio.
  negative     = list(x = c(3.2, 4.1, 2.7, 5.0, 3.9, 4.4), y = c(-2.1, -1.7, -2.6, -1.2, -2.2, -1.9), level = 0.95, rho0 = -3),
  # Both means negative: a positive ratio.
  both_negative = list(x = c(-4.2, -3.1, -5.3, -2.8, -4.4), y = c(-2.0, -1.6, -2.9, -1.1, -2.3), level = 0.95, rho0 = 1),
  # A constant control arm (vy = 0): the Fieller set is then the z interval
  # of mean(x) divided by mean(y).
  constant_y   = list(x = c(1, 2, 3, 5), y = c(2, 2, 2), level = 0.95, rho0 = 1),
  # A zero treatment mean: R = 0, no log-scale interval.
  zero_x       = list(x = c(-1, 0, 1), y = c(2, 3, 4, 5), level = 0.80, rho0 = 0.5)
)

data <- do.call(rbind, lapply(names(cases), function(n) {
  k <- cases[[n]]
  data.frame(case = n, arm = rep(c("x", "y"), c(length(k$x), length(k$y))), value = g(c(k$x, k$y)))
}))
write.csv(data, file.path(dir, "ratio_data.csv"), row.names = FALSE, quote = FALSE)

expected <- do.call(rbind, lapply(names(cases), function(n) {
  k <- cases[[n]]
  x <- k$x; y <- k$y
  nx <- length(x); ny <- length(y)
  mx <- mean(x); my <- mean(y)
  s2x <- var(x); s2y <- var(y)
  vx <- s2x / nx; vy <- s2y / ny
  q <- qnorm((1 + k$level) / 2)
  R <- mx / my
  # The delta method's |R|·sqrt(...) form needs mean(x) ≠ 0; at mean(x) = 0
  # its limit sqrt(vx)/|mean(y)|.
  se <- if (mx != 0) abs(R) * sqrt(s2x / (nx * mx^2) + s2y / (ny * my^2)) else sqrt(vx) / abs(my)
  se_log <- sqrt(s2x / (nx * mx^2) + s2y / (ny * my^2))
  log_ci <- if (R > 0) exp(log(R) + c(-1, 1) * q * se_log) else c(NA, NA)

  A <- my^2 - q^2 * vy
  B <- mx * my
  C <- mx^2 - q^2 * vx
  D <- B^2 - A * C
  roots <- sort((B + c(-1, 1) * sqrt(max(D, 0))) / A)
  kind <- if (A > 0) "bounded" else if (D > 0) "complement" else "everything"
  f <- switch(kind, bounded = roots, complement = roots, everything = c(NA, NA))
  # Independent check: the endpoints are where Fieller's pivot equals ±q.
  pivot <- function(r) (mx - r * my)^2 - q^2 * (vx + r^2 * vy)
  if (kind != "everything") for (r in f) {
    h <- 1e-6 * max(1, abs(r))
    u <- uniroot(pivot, c(r - h, r + h), tol = 1e-14)$root
    stopifnot(abs(u - r) < 1e-9 * max(1, abs(r)))
  }
  # ... and the set's kind: sample ρ on a wide grid.
  grid <- seq(-1e3, 1e3, length.out = 20001)
  inside <- pivot(grid) <= 0
  stopifnot(switch(kind,
    bounded = all(inside == (grid >= f[1] & grid <= f[2])),
    complement = all(inside == (grid <= f[1] | grid >= f[2])),
    everything = all(inside)))

  t <- (mx - k$rho0 * my) / sqrt(vx + k$rho0^2 * vy)
  data.frame(case = n, level = g(k$level), rho0 = g(k$rho0), n_x = nx, n_y = ny,
             mean_x = g(mx), mean_y = g(my), estimate = g(R), se = g(se),
             ci_low = g(R - q * se), ci_high = g(R + q * se),
             se_log = g(if (R > 0) se_log else NA), log_ci_low = g(log_ci[1]), log_ci_high = g(log_ci[2]),
             fieller_kind = kind, fieller_low = g(f[1]), fieller_high = g(f[2]),
             fieller_g = g(q^2 * vy / my^2),
             t = g(t), p_value = g(pnorm(t, lower.tail = FALSE)))
}))
write.csv(expected, file.path(dir, "ratio_expected.csv"), row.names = FALSE, quote = FALSE)
print(expected[, c("case", "estimate", "se", "ci_low", "ci_high", "fieller_kind", "fieller_low", "fieller_high", "p_value")])
