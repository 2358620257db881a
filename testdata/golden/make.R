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
