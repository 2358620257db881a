# Golden values for rcteval's stats package, computed with R and estimatr.
# Run from the repository root:  Rscript testdata/golden/make.R
# It rewrites the CSV files beside it; commit them. CI never needs R.
suppressPackageStartupMessages(library(estimatr))
dir <- "testdata/golden"
g <- function(x) ifelse(is.na(x), "NaN", sprintf("%.17g", x))
set.seed(20161231)

# ---- difference in means: estimatr::difference_in_means(y ~ z) ----
cases <- list(
  hand      = list(y = c(1, 2, 3, 4, 5, 6, 7), z = c(1, 1, 1, 0, 0, 0, 0), alpha = 0.05),
  binary    = list(y = c(rbinom(200, 1, 0.12), rbinom(220, 1, 0.07)), z = rep(c(1, 0), c(200, 220)), alpha = 0.05),
  hours     = local({ n1 <- 137; n0 <- 151
                      y <- c(rbinom(n1, 1, 0.12) * round(rgamma(n1, 2, 0.11), 2),
                             rbinom(n0, 1, 0.07) * round(rgamma(n0, 2, 0.1), 2))
                      list(y = y, z = rep(c(1, 0), c(n1, n0)), alpha = 0.05) }),
  alpha10   = list(y = rnorm(50, 0.3), z = rep(c(0, 1), 25), alpha = 0.10),
  zerovar_t = list(y = c(0, 0, 0, 0, 1, 1, 0, 1), z = c(1, 1, 1, 1, 0, 0, 0, 0), alpha = 0.05),
  zerovar   = list(y = c(0, 0, 0, 0, 0), z = c(1, 1, 0, 0, 0), alpha = 0.05),
  two_each  = list(y = c(3.5, 1.25, 0, 8), z = c(1, 0, 1, 0), alpha = 0.05),
  large     = local({ z <- rbinom(5000, 1, 0.5); y <- rexp(5000, 1) * (1 + 0.4 * z); list(y = y, z = z, alpha = 0.05) })
)
data <- do.call(rbind, lapply(names(cases), function(n) data.frame(case = n, y = g(cases[[n]]$y), z = cases[[n]]$z)))
write.csv(data, file.path(dir, "dim_data.csv"), row.names = FALSE, quote = FALSE)
expected <- do.call(rbind, lapply(names(cases), function(n) {
  d <- data.frame(y = cases[[n]]$y, z = cases[[n]]$z)
  r <- tidy(difference_in_means(y ~ z, data = d, alpha = cases[[n]]$alpha))
  data.frame(case = n, level = g(1 - cases[[n]]$alpha),
             n_treatment = sum(d$z == 1), n_control = sum(d$z == 0),
             mean_treatment = g(mean(d$y[d$z == 1])), mean_control = g(mean(d$y[d$z == 0])),
             estimate = g(r$estimate), se = g(r$std.error), df = g(r$df),
             ci_low = g(r$conf.low), ci_high = g(r$conf.high), p_value = g(r$p.value))
}))
write.csv(expected, file.path(dir, "dim_expected.csv"), row.names = FALSE, quote = FALSE)

# ---- Welch t test: stats::t.test(var.equal = FALSE) (numeric balance) ----
x <- rnorm(40, 45, 8); y <- rnorm(55, 44, 10)
w <- t.test(x, y, var.equal = FALSE)
write.csv(data.frame(group = rep(c("x", "y"), c(40, 55)), value = g(c(x, y))),
          file.path(dir, "welch_data.csv"), row.names = FALSE, quote = FALSE)
smd <- (mean(x) - mean(y)) / sqrt((var(x) + var(y)) / 2)
write.csv(data.frame(statistic = g(w$statistic), df = g(w$parameter), p_value = g(w$p.value),
                     ci_low = g(w$conf.int[1]), ci_high = g(w$conf.int[2]), smd = g(smd)),
          file.path(dir, "welch_expected.csv"), row.names = FALSE, quote = FALSE)

# ---- Pearson chi-squared: chisq.test(correct = FALSE) ----
tables <- list(two_by_three = matrix(c(34, 51, 12, 40, 47, 19), nrow = 2, byrow = TRUE),
               two_by_two   = matrix(c(10, 20, 30, 25), nrow = 2, byrow = TRUE),
               empty_column = matrix(c(5, 0, 9, 7, 0, 3), nrow = 2, byrow = TRUE))
chi <- do.call(rbind, lapply(names(tables), function(n) {
  t <- tables[[n]]
  r <- suppressWarnings(chisq.test(t[, colSums(t) > 0], correct = FALSE))
  data.frame(case = n, cells = paste(t(t), collapse = " "), ncol = ncol(t),
             statistic = g(r$statistic), df = g(r$parameter), p_value = g(r$p.value))
}))
write.csv(chi, file.path(dir, "chisq_expected.csv"), row.names = FALSE, quote = FALSE)

# ---- overall F test of lm(z ~ covariates) (joint balance) ----
n <- 300
cov <- data.frame(age = round(runif(n, 30, 64)), sex = sample(c("f", "m"), n, TRUE),
                  group = sample(c("cash", "integration", "rehab"), n, TRUE, prob = c(.6, .2, .2)),
                  prior = rpois(n, 40))
cov$z <- rbinom(n, 1, plogis(-0.2 + 0.01 * (cov$age - 45)))
X <- model.matrix(~ age + sex + group + prior, cov)[, -1]
X <- cbind(X, collinear = X[, "age"] + 2 * X[, "prior"])  # adds nothing: rank stays 5
f <- summary(lm(cov$z ~ X))$fstatistic
write.csv(data.frame(z = cov$z, apply(X, 2, g)), file.path(dir, "ftest_data.csv"), row.names = FALSE, quote = FALSE)
write.csv(data.frame(statistic = g(f[["value"]]), df1 = g(f[["numdf"]]), df2 = g(f[["dendf"]]),
                     p_value = g(pf(f[["value"]], f[["numdf"]], f[["dendf"]], lower.tail = FALSE))),
          file.path(dir, "ftest_expected.csv"), row.names = FALSE, quote = FALSE)

# ---- the whole pipeline on the demo trial, re-implemented independently in R ----
# Alignment on ISO weeks since randomisation, censoring at the extract end, the
# outcomes (including the 13-week rule) and estimatr::difference_in_means.
a <- read.csv(gzfile("testdata/demo/assignment.csv.gz"), stringsAsFactors = FALSE, encoding = "UTF-8")
w <- read.csv(gzfile("testdata/demo/weeks.csv.gz"), stringsAsFactors = FALSE, na.strings = character(0))
monday_of_date <- function(d) d - ((as.POSIXlt(d)$wday + 6) %% 7)
monday_of_isoweek <- function(s) {
  y <- as.integer(substr(s, 1, 4)); k <- as.integer(substr(s, 7, 8))
  jan4 <- as.Date(sprintf("%d-01-04", y))
  monday_of_date(jan4) + 7 * (k - 1)
}
a$w0 <- monday_of_date(as.Date(a$randomised_on))
w$monday <- monday_of_isoweek(w$week)
end <- max(w$monday)
a$follow <- as.integer((end - a$w0) / 7) + 1
w$k <- as.integer((w$monday - a$w0[match(w$person_id, a$person_id)]) / 7)
w <- w[w$k >= 0, ]
K <- max(a$follow)
n <- nrow(a)
hours <- matrix(0, n, K); status <- matrix("", n, K)
idx <- cbind(match(w$person_id, a$person_id), w$k + 1)
hours[idx] <- w$hours; status[idx] <- w$status
sustained <- matrix(0, n, K)
for (i in seq_len(n)) {
  count <- 0; gap <- 0; reached <- FALSE
  for (k in seq_len(a$follow[i])) {
    if (!reached) {
      if (status[i, k] %in% c("praktik", "wage_subsidy") || hours[i, k] > 0) {
        count <- count + 1; gap <- 0; reached <- count >= 13
      } else {
        gap <- gap + 1
        if (gap > 4) count <- 0
      }
    }
    sustained[i, k] <- reached
  }
}
outcomes <- list(hours = hours, employed = (hours > 0) * 1, praktik = (status == "praktik") * 1,
                 wage_subsidy = (status == "wage_subsidy") * 1, sustained13 = sustained)
z <- as.integer(a$arm == "treatment")
demo <- do.call(rbind, lapply(names(outcomes), function(o) do.call(rbind, lapply(c(0, 1, 13, 26, 35, 40), function(k) {
  at <- a$follow > k
  d <- data.frame(y = outcomes[[o]][at, k + 1], z = z[at])
  r <- tidy(difference_in_means(y ~ z, data = d))
  data.frame(outcome = o, week = k, n_treatment = sum(d$z == 1), n_control = sum(d$z == 0),
             mean_treatment = g(mean(d$y[d$z == 1])), mean_control = g(mean(d$y[d$z == 0])),
             effect = g(r$estimate), se = g(r$std.error), df = g(r$df),
             ci_low = g(r$conf.low), ci_high = g(r$conf.high), p_value = g(r$p.value))
}))))
write.csv(demo, file.path(dir, "demo_expected.csv"), row.names = FALSE, quote = FALSE)

# ---- the demo trial with the design's estimators ----
# Blocked by jobcentre: blocks with fewer than two persons at risk in an arm
# are dropped first (rcteval drops and counts them; estimatr would stop), then
# estimatr::difference_in_means(y ~ z, blocks = stratum). Lin: lm_lin with the
# stratum and every covariate, HC2 and HC3 (factor levels absent among those at
# risk dropped, as rcteval's design builder does).
designs <- NULL
for (o in names(outcomes)) for (k in c(0, 13, 26, 35, 40)) {
  at <- a$follow > k
  d <- data.frame(y = outcomes[[o]][at, k + 1], z = z[at], stratum = a$stratum[at], age = a$age[at], sex = a$sex[at],
                  target_group = a$target_group[at], prior = a$prior_benefit_weeks[at])
  counts <- table(d$stratum, d$z)
  ok <- rownames(counts)[counts[, "0"] >= 2 & counts[, "1"] >= 2]
  db <- d[d$stratum %in% ok, ]
  row <- function(estimator, variance, r, dropped) data.frame(outcome = o, week = k, estimator = estimator, variance = variance,
    effect = g(r$estimate), se = g(r$std.error), df = g(r$df), ci_low = g(r$conf.low), ci_high = g(r$conf.high),
    p_value = g(r$p.value), dropped_blocks = dropped)
  designs <- rbind(designs, row("blocked", "neyman", tidy(difference_in_means(y ~ z, blocks = stratum, data = db)),
                                length(unique(d$stratum)) - length(ok)))
  d[] <- lapply(d, function(x) if (is.character(x)) factor(x) else x)
  for (se in c("HC2", "HC3")) {
    r <- tidy(lm_lin(y ~ z, covariates = ~ stratum + age + sex + target_group + prior, data = droplevels(d), se_type = se))
    designs <- rbind(designs, row("lin", se, r[r$term == "z", ], 0))
  }
}
write.csv(designs, file.path(dir, "demo_designs_expected.csv"), row.names = FALSE, quote = FALSE)

# ---- blocked difference in means: estimatr::difference_in_means(y ~ z, blocks = b) ----
# Each section below sets its own seed, so the sections above are unchanged by it.
set.seed(20240611)
blocked_case <- function(sizes, treated, y, alpha = 0.05) {
  b <- rep(seq_along(sizes), sizes)
  z <- unlist(lapply(seq_along(sizes), function(j) sample(rep(c(1, 0), c(treated[j], sizes[j] - treated[j])))))
  list(y = y, z = z, b = b, alpha = alpha)
}
hours_y <- function(n) rbinom(n, 1, 0.3) * round(rgamma(n, 1.5, 0.08), 1)
bl <- list(
  hand      = list(y = c(1, 3, 2, 6, 10, 0, 4, 8, 5, 7), z = c(1, 1, 0, 0, 1, 1, 1, 0, 0, 0),
                   b = c(1, 1, 1, 1, 2, 2, 2, 2, 2, 2), alpha = 0.05),
  unequal   = { s <- c(6, 10, 15, 23, 40, 7); blocked_case(s, c(2, 5, 4, 15, 12, 5), hours_y(sum(s))) },
  binary    = { s <- c(4, 9, 12, 30, 55, 18, 5, 21); blocked_case(s, c(2, 3, 6, 10, 30, 9, 3, 7), rbinom(sum(s), 1, 0.2)) },
  alpha10   = { s <- c(20, 30, 25); blocked_case(s, c(10, 12, 13), rnorm(sum(s), 2), alpha = 0.10) },
  pairs     = { s <- rep(2, 30); blocked_case(s, rep(1, 30), rexp(60, 0.3)) },
  pairs_bin = { s <- rep(2, 12); blocked_case(s, rep(1, 12), rbinom(24, 1, 0.4)) },
  mixed     = { s <- c(2, 2, 2, 5, 8, 3, 2); blocked_case(s, c(1, 1, 1, 2, 3, 1, 1), round(rnorm(sum(s), 10, 3), 2)) },
  zero_se   = list(y = c(1, 1, 0, 0, 2, 2, 1, 1, 1), z = c(1, 1, 0, 0, 1, 1, 0, 0, 0),
                   b = c(1, 1, 1, 1, 2, 2, 2, 2, 2), alpha = 0.05),
  constant  = list(y = rep(3, 8), z = c(1, 0, 1, 0, 1, 1, 0, 0), b = rep(c(7, 3), each = 4), alpha = 0.05)
)
write.csv(do.call(rbind, lapply(names(bl), function(n) data.frame(case = n, y = g(bl[[n]]$y), z = bl[[n]]$z, block = bl[[n]]$b))),
          file.path(dir, "blocked_data.csv"), row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, lapply(names(bl), function(n) {
  d <- data.frame(y = bl[[n]]$y, z = bl[[n]]$z, b = bl[[n]]$b)
  r <- suppressWarnings(difference_in_means(y ~ z, blocks = b, data = d, alpha = bl[[n]]$alpha))
  data.frame(case = n, level = g(1 - bl[[n]]$alpha), design = r$design, blocks = r$nblocks,
             n_treatment = sum(d$z == 1), n_control = sum(d$z == 0),
             estimate = g(r$coefficients), se = g(r$std.error), df = g(r$df),
             ci_low = g(r$conf.low), ci_high = g(r$conf.high), p_value = g(r$p.value))
})), file.path(dir, "blocked_expected.csv"), row.names = FALSE, quote = FALSE)

# ---- robust OLS: estimatr::lm_robust(se_type = "HC0" ... "HC3", and "CR2" with clusters) ----
# ols_data.csv holds each case's design columns x0, x1, ... (x0 the intercept;
# empty where a case has fewer columns) and its clusters. ols_expected.csv has
# one row per case, se_type and coefficient. `aliased` marks the columns R's lm
# leaves out (NA coefficient: a combination of the columns before it); the
# values are lm_robust's on the design without them. `identified` is FALSE
# when a column is a combination of all the others: lm_robust on the whole
# design (which drops columns by its own pivoting) then agrees for the
# identified columns only, which is checked here.
set.seed(20240612)
cluster_ids <- function(sizes) sample(rep(seq_along(sizes), sizes))
ols_cases <- list(
  main = local({
    n <- 250
    d <- data.frame(z = rbinom(n, 1, 0.4), age = round(runif(n, 30, 64)), sex = sample(c("f", "m"), n, TRUE),
                    group = sample(c("cash", "integration", "rehab"), n, TRUE, prob = c(.6, .25, .15)),
                    prior = rpois(n, 20))
    d$y <- rbinom(n, 1, 0.35) * rgamma(n, 2, 0.1) * (1 + 0.3 * d$z) + 0.2 * (d$age - 45)
    X <- model.matrix(~ z + age + sex + group + prior, d)
    list(y = d$y, X = X, cluster = cluster_ids(c(1, 1, 1, 2, 3, 3, 5, 8, 12, 20, 24, 30, 40, 45, 55)))
  }),
  binary = local({
    n <- 180
    x <- rnorm(n); z <- rbinom(n, 1, 0.5)
    y <- rbinom(n, 1, plogis(-1 + 0.5 * z + 0.8 * x))
    list(y = y, X = cbind(`(Intercept)` = 1, z = z, x = x, x2 = x^2), cluster = cluster_ids(c(1, 2, 4, rep(7, 13), 8, 10, 26, 38)))
  }),
  small = local({
    n <- 12
    x <- c(0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 9, 20)
    z <- c(1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0)
    y <- round(1 + 0.5 * z + 0.3 * x + rnorm(n), 3)
    list(y = y, X = cbind(`(Intercept)` = 1, z = z, x = x), cluster = c(1, 1, 2, 2, 2, 3, 4, 4, 5, 5, 5, 6))
  }),
  rankdef = local({
    n <- 120
    d <- data.frame(z = rbinom(n, 1, 0.5), age = round(runif(n, 30, 64)), prior = rpois(n, 20),
                    group = sample(c("a", "b", "c"), n, TRUE))
    d$y <- round(rexp(n, 0.1) * (1 + 0.2 * d$z), 2)
    X <- model.matrix(~ z + age + prior + group, d)
    X <- cbind(X[, 1:4], collinear = X[, "age"] + 2 * X[, "prior"], X[, 5:6], zero = 0, dupb = X[, "groupb"])
    # dupb duplicates groupb, so neither is identified; collinear makes age,
    # prior and collinear aliased; zero is aliased. z and groupc are identified.
    list(y = d$y, X = X, cluster = cluster_ids(c(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 20)))
  })
)
K <- max(sapply(ols_cases, function(cs) ncol(cs$X)))
write.csv(do.call(rbind, lapply(names(ols_cases), function(n) {
  cs <- ols_cases[[n]]
  X <- matrix("", nrow(cs$X), K); X[, seq_len(ncol(cs$X))] <- g(cs$X)
  colnames(X) <- paste0("x", seq_len(K) - 1)
  data.frame(case = n, y = g(cs$y), cluster = cs$cluster, X)
})), file.path(dir, "ols_data.csv"), row.names = FALSE, quote = FALSE)
identified <- function(X) {
  rk <- qr(X)$rank
  vapply(seq_len(ncol(X)), function(j) qr(X[, -j, drop = FALSE])$rank < rk, TRUE)
}
write.csv(do.call(rbind, lapply(names(ols_cases), function(n) {
  cs <- ols_cases[[n]]
  X <- cs$X; y <- cs$y; cl <- cs$cluster
  colnames(X) <- paste0("x", seq_len(ncol(X)) - 1)
  ok <- identified(X)
  aliased <- is.na(coef(lm(y ~ X - 1)))
  Xk <- X[, !aliased, drop = FALSE]
  at <- cumsum(!aliased)  # column of Xk
  pick <- function(v) ifelse(aliased, NA, v[at])
  do.call(rbind, lapply(c("HC0", "HC1", "HC2", "HC3", "CR2"), function(se) {
    alpha <- if (se == "HC1") 0.10 else 0.05
    fit <- function(X) if (se == "CR2") lm_robust(y ~ X - 1, clusters = cl, se_type = se, alpha = alpha)
                       else lm_robust(y ~ X - 1, se_type = se, alpha = alpha)
    r <- fit(Xk); full <- fit(X)
    stopifnot(all.equal(unname(r$std.error[at[ok]]), unname(full$std.error[ok]), tolerance = 1e-10),
              all.equal(unname(r$df[at[ok]]), unname(full$df[ok]), tolerance = 1e-10))
    ct <- clubSandwich::coef_test(lm(y ~ Xk - 1), vcov = "CR2", cluster = cl, test = "Satterthwaite")
    data.frame(case = n, se_type = se, level = g(1 - alpha), coef = seq_len(ncol(X)) - 1,
               aliased = aliased, identified = ok,
               estimate = g(pick(r$coefficients)), se = g(pick(r$std.error)), df = g(pick(r$df)),
               ci_low = g(pick(r$conf.low)), ci_high = g(pick(r$conf.high)), p_value = g(pick(r$p.value)),
               df_clubsandwich = g(if (se == "CR2") pick(ct$df_Satt) else NA))
  }))
})), file.path(dir, "ols_expected.csv"), row.names = FALSE, quote = FALSE)

# ---- Lin's estimator: estimatr::lm_lin(y ~ z, covariates = ~ ...) ----
# lin_data.csv holds the covariates as model.matrix codes them (factor levels
# as 0/1 columns, the first level left out), c0, c1, ...; lm_lin is given the
# factors themselves.
set.seed(20240613)
lin_cases <- list(
  hours = local({
    n <- 300
    d <- data.frame(z = rbinom(n, 1, 0.5), age = round(runif(n, 30, 64)), sex = sample(c("f", "m"), n, TRUE),
                    group = sample(c("cash", "integration", "rehab"), n, TRUE, prob = c(.6, .25, .15)))
    d$y <- rbinom(n, 1, 0.3 + 0.05 * d$z) * round(rgamma(n, 2, 0.1), 1) + 0.1 * (d$age - 45) * (1 + d$z)
    list(d = d, covs = ~ age + sex + group, cluster = cluster_ids(c(1, 1, 2, 3, 5, 8, 10, 12, 15, 20, 25, 30, 35, 40, 45, 48)))
  }),
  binary = local({
    n <- 220
    d <- data.frame(z = rbinom(n, 1, 0.3), prior = rpois(n, 15), region = sample(c("n", "s", "e", "w"), n, TRUE))
    d$y <- rbinom(n, 1, plogis(-1.5 + 0.4 * d$z + 0.05 * (d$prior - 15)))
    list(d = d, covs = ~ prior + region, cluster = cluster_ids(c(1, 2, 3, 4, rep(10, 15), 30, 30)))
  }),
  empty_cell = local({
    n <- 90
    d <- data.frame(z = rep(c(1, 0), c(40, 50)), x = round(rnorm(n, 5, 2), 2),
                    grp = c(sample(c("a", "b"), 40, TRUE), sample(c("a", "b", "c"), 50, TRUE)))
    d$y <- round(2 + 0.5 * d$z + 0.3 * d$x + rnorm(n), 3)
    # No treated unit is in group c: the interaction z:grpc_c is aliased.
    list(d = d, covs = ~ x + grp, cluster = cluster_ids(c(1, 1, 1, 2, 5, 10, 15, 25, 30)))
  })
)
lin_covs <- function(cs) model.matrix(cs$covs, cs$d)[, -1, drop = FALSE]
C <- max(sapply(lin_cases, function(cs) ncol(lin_covs(cs))))
write.csv(do.call(rbind, lapply(names(lin_cases), function(n) {
  cs <- lin_cases[[n]]
  M <- lin_covs(cs); X <- matrix("", nrow(M), C); X[, seq_len(ncol(M))] <- g(M)
  colnames(X) <- paste0("c", seq_len(C) - 1)
  data.frame(case = n, y = g(cs$d$y), z = cs$d$z, cluster = cs$cluster, X)
})), file.path(dir, "lin_data.csv"), row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, lapply(names(lin_cases), function(n) {
  cs <- lin_cases[[n]]
  d <- cs$d; d$cl <- cs$cluster
  do.call(rbind, lapply(c("HC0", "HC1", "HC2", "HC3", "CR2"), function(se) {
    alpha <- if (se == "HC3") 0.10 else 0.05
    r <- if (se == "CR2") lm_lin(y ~ z, covariates = cs$covs, data = d, clusters = cl, se_type = se, alpha = alpha)
         else lm_lin(y ~ z, covariates = cs$covs, data = d, se_type = se, alpha = alpha)
    t <- tidy(r); t <- t[t$term == "z", ]
    data.frame(case = n, se_type = se, level = g(1 - alpha), n_treatment = sum(d$z == 1), n_control = sum(d$z == 0),
               rank = r$rank, estimate = g(t$estimate), se = g(t$std.error), df = g(t$df),
               ci_low = g(t$conf.low), ci_high = g(t$conf.high), p_value = g(t$p.value))
  }))
})), file.path(dir, "lin_expected.csv"), row.names = FALSE, quote = FALSE)

# ---- clustered difference in means: estimatr::difference_in_means(y ~ z, clusters = c) ----
set.seed(20240614)
cl_case <- function(sizes, prob, y_of, alpha = 0.05) {
  cl <- rep(seq_along(sizes), sizes)
  zc <- rbinom(length(sizes), 1, prob)
  zc[1:2] <- c(1, 0)  # both arms present
  z <- zc[cl]
  list(y = y_of(z), z = z, cluster = cl, alpha = alpha)
}
cr2 <- list(
  hand       = list(y = c(1, 2, 3, 4, 5, 6, 7, 9, 8), z = c(1, 1, 1, 0, 0, 0, 0, 1, 0), cluster = c(1, 1, 1, 2, 2, 3, 3, 4, 5), alpha = 0.05),
  hours      = cl_case(c(1, 1, 2, 3, 4, 6, 9, 12, 15, 20, 25, 30, 1, 5, 8, 11), 0.5,
                       function(z) rbinom(length(z), 1, 0.3) * round(rgamma(length(z), 2, 0.1) * (1 + 0.2 * z), 1)),
  binary     = cl_case(c(3, 1, rep(4, 20), 9, 17, 1, 2), 0.4, function(z) rbinom(length(z), 1, 0.2 + 0.1 * z), alpha = 0.10),
  singletons = cl_case(c(1, 1, 1, 1, 1, 1, 1, 1, 2, 6), 0.5, function(z) round(rnorm(length(z), 3 + z), 3))
)
write.csv(do.call(rbind, lapply(names(cr2), function(n) data.frame(case = n, y = g(cr2[[n]]$y), z = cr2[[n]]$z, cluster = cr2[[n]]$cluster))),
          file.path(dir, "cr2_data.csv"), row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, lapply(names(cr2), function(n) {
  d <- data.frame(y = cr2[[n]]$y, z = cr2[[n]]$z, cl = cr2[[n]]$cluster)
  r <- difference_in_means(y ~ z, clusters = cl, data = d, alpha = cr2[[n]]$alpha)
  l <- tidy(lm_robust(y ~ z, clusters = cl, data = d, se_type = "CR2", alpha = cr2[[n]]$alpha))
  ct <- clubSandwich::coef_test(lm(y ~ z, d), vcov = "CR2", cluster = d$cl, test = "Satterthwaite")
  data.frame(case = n, level = g(1 - cr2[[n]]$alpha), clusters = r$nclusters,
             n_treatment = sum(d$z == 1), n_control = sum(d$z == 0),
             estimate = g(r$coefficients), se = g(r$std.error), df = g(r$df),
             ci_low = g(r$conf.low), ci_high = g(r$conf.high), p_value = g(r$p.value),
             lm_robust_se = g(l$std.error[2]), lm_robust_df = g(l$df[2]), df_clubsandwich = g(ct$df_Satt[2]))
})), file.path(dir, "cr2_expected.csv"), row.names = FALSE, quote = FALSE)

# ---- F test conditional on strata: anova(lm(z ~ strata), lm(z ~ strata + x)) ----
set.seed(20240612)
n <- 240
s <- sample(paste0("s", 1:5), n, TRUE, prob = c(.4, .2, .2, .1, .1))
z <- ave(seq_len(n), s, FUN = function(i) sample(rep(0:1, length.out = length(i))))  # half treated within each stratum
x1 <- round(rnorm(n, 40 + 3 * (s == "s1"), 8)); x2 <- rbinom(n, 1, 0.4 + 0.1 * z)
f <- anova(lm(z ~ factor(s)), lm(z ~ factor(s) + x1 + x2))
write.csv(data.frame(z = z, stratum = s, x1 = x1, x2 = x2), file.path(dir, "ftest_within_data.csv"), row.names = FALSE, quote = FALSE)
write.csv(data.frame(statistic = g(f$F[2]), df1 = g(f$Df[2]), df2 = g(f$Res.Df[2]), p_value = g(f$`Pr(>F)`[2])),
          file.path(dir, "ftest_within_expected.csv"), row.names = FALSE, quote = FALSE)

# ---- equal effects across subgroups: Wald test of the g:z interactions of
# lm_robust(y ~ 0 + g + g:z, se_type = "HC2") ----
set.seed(20240613)
n <- 500
grp <- sample(c("a", "b", "c", "d"), n, TRUE, prob = c(.4, .3, .2, .1))
z <- rbinom(n, 1, 0.5)
y <- round(rgamma(n, 2, 0.2) * (1 + z * c(a = 0.2, b = 0.5, c = 0, d = 1)[grp]) * rbinom(n, 1, 0.6), 2)
fit <- lm_robust(y ~ 0 + factor(grp) + factor(grp):z, se_type = "HC2")
b <- coef(fit)[grep(":z", names(coef(fit)))]; V <- vcov(fit)[names(b), names(b)]
C <- cbind(-1, diag(length(b) - 1))  # b2 − b1, b3 − b1, …
w <- drop(t(C %*% b) %*% solve(C %*% V %*% t(C)) %*% (C %*% b))
write.csv(data.frame(group = grp, z = z, y = g(y)), file.path(dir, "subgroups_data.csv"), row.names = FALSE, quote = FALSE)
write.csv(data.frame(statistic = g(w), df = length(b) - 1, p_value = g(pchisq(w, length(b) - 1, lower.tail = FALSE))),
          file.path(dir, "subgroups_expected.csv"), row.names = FALSE, quote = FALSE)

# ---- joint Wald test with HC2: lm_robust(z ~ x1 + x2 + factor(s), se_type = "HC2"),
# the coefficients of x1 and x2 (the strata not tested), F = W/q on (q, n − k) ----
wald <- NULL
for (se in c("HC0", "HC1", "HC2", "HC3")) {
  d <- read.csv(file.path(dir, "ftest_within_data.csv"))
  fit <- lm_robust(z ~ x1 + x2 + factor(stratum), data = d, se_type = se)
  b <- coef(fit)[c("x1", "x2")]; V <- vcov(fit)[c("x1", "x2"), c("x1", "x2")]
  W <- drop(t(b) %*% solve(V) %*% b)
  wald <- rbind(wald, data.frame(se_type = se, statistic = g(W / 2), df1 = 2, df2 = g(fit$df.residual),
                                 p_value = g(pf(W / 2, 2, fit$df.residual, lower.tail = FALSE))))
}
write.csv(wald, file.path(dir, "wald_expected.csv"), row.names = FALSE, quote = FALSE)
