# Golden values for rcteval's Kaplan–Meier estimator (stats/survival.go),
# computed with R's survival package. Run from the repository root:
#   Rscript testdata/golden/make_survival.R
# It rewrites km_data.csv, km_expected.csv, km_at_expected.csv and
# km_diff_expected.csv beside it; commit them. CI never needs R.
#
#   km_data.csv          case, arm, time, event (one row per person)
#   km_expected.csv      the whole survfit(Surv(time, event) ~ 1, conf.type, conf.int)
#                        object per case, arm, conf type and level: time, n.risk,
#                        n.event, n.censor, surv, std.err (survfit's: SE of −log S),
#                        lower, upper
#   km_at_expected.csv   summary(fit, times = grid, extend = TRUE): the step function
#                        at arbitrary times; its std.err is on the S scale
#   km_diff_expected.csv (1 − S₁(t)) − (1 − S₀(t)) by hand from the survfit objects,
#                        SE = √(SE₁² + SE₀²) with SE = surv·std.err (Greenwood on the
#                        S scale), normal interval and two-sided p-value; status is
#                        "ok", "beyond" (t after the last follow-up time of an arm)
#                        or "undefined" (an arm's S reached 0: Greenwood SE NaN)
suppressPackageStartupMessages(library(survival))
dir <- "testdata/golden"
g <- function(x) ifelse(is.na(x), "NaN", sprintf("%.17g", x))  # NA and NaN → NaN; Inf → Inf
set.seed(20260413)

arm_data <- function(time, event) data.frame(time = time, event = as.integer(event))

# A labour-market arm: event week of the 13-week placement (integer weeks, a
# share never reaches it), censoring week from staggered randomisation
# between weeks 5 and 60.
trial_arm <- function(n, rate, never) {
  ev_week <- ifelse(runif(n) < never, Inf, ceiling(rexp(n, rate)))
  cens <- sample(5:60, n, replace = TRUE)
  arm_data(pmin(ev_week, cens), ev_week <= cens)
}

cases <- list(
  # Hand-sized with ties: events and censorings at the same week (2, 5, 7 in
  # arm 1; 3 and 6 in arm 0), a censoring at week 0.
  ties = list(
    `1` = arm_data(c(0, 2, 2, 2, 3, 5, 5, 7, 7, 9, 9, 12),
                   c(0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0)),
    `0` = arm_data(c(1, 3, 3, 3, 4, 6, 6, 6, 8, 10, 10),
                   c(0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 0))),
  # About 400 persons per arm, staggered censoring between weeks 5 and 60.
  trial = list(`1` = trial_arm(412, 0.045, 0.35), `0` = trial_arm(397, 0.03, 0.45)),
  # No events at all in the control arm.
  noevents = list(
    `1` = arm_data(c(3, 4, 4, 6, 8, 8, 8, 11, 15, 20), c(1, 1, 0, 0, 1, 0, 1, 0, 1, 0)),
    `0` = arm_data(c(5, 5, 9, 12, 12, 20, 20, 21), rep(0, 8))),
  # The last person of the treated arm has an event: S drops to 0 there.
  tozero = list(
    `1` = arm_data(c(2, 3, 3, 5, 6, 8, 8, 10, 13), c(1, 0, 1, 1, 0, 1, 0, 1, 1)),
    `0` = arm_data(c(1, 4, 4, 7, 9, 11, 14, 14), c(1, 1, 0, 0, 1, 0, 1, 0))),
  # Everyone in the control arm censored at week 0.
  censor0 = list(
    `1` = arm_data(c(0, 1, 1, 2, 4), c(0, 1, 0, 1, 0)),
    `0` = arm_data(c(0, 0, 0, 0), c(0, 0, 0, 0)))
)

data <- do.call(rbind, lapply(names(cases), function(cn) do.call(rbind, lapply(names(cases[[cn]]), function(a) {
  d <- cases[[cn]][[a]]
  data.frame(case = cn, arm = a, time = g(d$time), event = d$event)
}))))
write.csv(data, file.path(dir, "km_data.csv"), row.names = FALSE, quote = FALSE)

fit <- function(d, conf.type = "log", conf.int = 0.95)
  survfit(Surv(time, event) ~ 1, data = d, conf.type = conf.type, conf.int = conf.int)

conf_types <- c("log", "log-log", "plain")
levels <- function(cn) if (cn == "trial") c(0.95, 0.9) else 0.95

expected <- list()
at <- list()
for (cn in names(cases)) for (a in names(cases[[cn]])) for (ct in conf_types) for (lv in levels(cn)) {
  d <- cases[[cn]][[a]]
  f <- fit(d, ct, lv)
  expected[[length(expected) + 1]] <- data.frame(
    case = cn, arm = a, conf_type = ct, level = g(lv),
    time = g(f$time), n_risk = f$n.risk, n_event = f$n.event, n_censor = f$n.censor,
    surv = g(f$surv), std_err = g(f$std.err), lower = g(f$lower), upper = g(f$upper))
  # Times before the first: summary.survfit reports S = 1, std.err 0 and the
  # interval [1, 1] (its survfit0 row at time 0), except that a t < 0 when the
  # first time is 0 gets that first row (even its events): t < 0 is then left out.
  grid <- sort(unique(c(if (min(f$time) > 0) -1, 0, 0.5, f$time, f$time + 0.5, max(f$time) + 3)))
  s <- summary(f, times = grid, extend = TRUE)
  stopifnot(isTRUE(all.equal(s$time, grid)))
  at[[length(at) + 1]] <- data.frame(
    case = cn, arm = a, conf_type = ct, level = g(lv),
    t = g(s$time), n_risk = s$n.risk, surv = g(s$surv), std_err = g(s$std.err),
    lower = g(s$lower), upper = g(s$upper))
}
write.csv(do.call(rbind, expected), file.path(dir, "km_expected.csv"), row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, at), file.path(dir, "km_at_expected.csv"), row.names = FALSE, quote = FALSE)

# The step function of a survfit object at t by hand: S and its Greenwood SE
# on the S scale (surv · std.err); S = 1 and SE = 0 before the first time.
step <- function(f, t) {
  i <- findInterval(t, f$time)
  if (i == 0) return(c(surv = 1, se = 0))
  c(surv = f$surv[i], se = f$surv[i] * f$std.err[i])
}

diff_times <- list(
  ties = c(-1, 0, 1, 2, 3, 5.5, 7, 10, 11, 12),
  trial = c(0, 4, 5, 13, 26, 39, 52, 60, 61),
  noevents = c(2, 8, 15, 20, 21),
  tozero = c(1, 6, 12.5, 13, 14),
  censor0 = c(0, 1))
diffs <- list()
for (cn in names(cases)) for (lv in levels(cn)) for (t in diff_times[[cn]]) {
  f1 <- fit(cases[[cn]][["1"]]); f0 <- fit(cases[[cn]][["0"]])
  s1 <- step(f1, t); s0 <- step(f0, t)
  # Cross-check the hand step function against summary.survfit (std.err on the S scale).
  for (p in list(list(f1, s1), list(f0, s0))) if (t <= max(p[[1]]$time)) {
    ss <- summary(p[[1]], times = t)
    stopifnot(isTRUE(all.equal(unname(p[[2]][["surv"]]), ss$surv)),
              isTRUE(all.equal(unname(p[[2]][["se"]]), ss$std.err)))
  }
  est <- (1 - s1[["surv"]]) - (1 - s0[["surv"]])
  se <- sqrt(s1[["se"]]^2 + s0[["se"]]^2)
  z <- qnorm(1 - (1 - lv) / 2)
  status <- if (t > max(f1$time) || t > max(f0$time)) "beyond" else if (is.na(se)) "undefined" else "ok"
  diffs[[length(diffs) + 1]] <- data.frame(
    case = cn, t = g(t), level = g(lv), status = status,
    incidence_1 = g(1 - s1[["surv"]]), incidence_0 = g(1 - s0[["surv"]]),
    se_1 = g(s1[["se"]]), se_0 = g(s0[["se"]]),
    estimate = g(est), se = g(se), ci_low = g(est - z * se), ci_high = g(est + z * se),
    p_value = g(2 * pnorm(-abs(est / se))))
}
write.csv(do.call(rbind, diffs), file.path(dir, "km_diff_expected.csv"), row.names = FALSE, quote = FALSE)
