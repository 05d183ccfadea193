# Reference values for Delivery.CanaryJudge's Mann-Whitney test, from R's wilcox.test.
# Regenerate with:  Rscript wilcox.R > wilcox-reference.json
# Each case: the samples x (experiment) and y (control), R's W statistic, two-sided p-value,
# 95% confidence interval and estimate of the shift x - y (conf.int = TRUE, defaults otherwise),
# whether R used the exact distribution, and the Hodges-Lehmann median of all differences.
set.seed(20261129)
cases <- list(
  list(name = "r-example-small-exact",
       x = c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46),
       y = c(1.15, 0.88, 0.90, 0.74, 1.21)),
  list(name = "r-example-small-ties",
       x = c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30),
       y = c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)),
  list(name = "tiny-exact", x = c(3, 5), y = c(1, 2, 4)),
  list(name = "exact-49-30-shifted", x = rnorm(49, 10.5, 2), y = rnorm(30, 10, 2)),
  list(name = "normal-60-45-no-ties", x = rexp(60, 1/20), y = rexp(45, 1/25)),
  list(name = "large-500-shifted", x = rnorm(500, 103, 10), y = rnorm(500, 100, 10)),
  list(name = "large-500-same-distribution", x = rlnorm(500, 3, 0.5), y = rlnorm(500, 3, 0.5)),
  list(name = "ties-integers-300-320", x = round(rnorm(300, 50, 5)), y = round(rnorm(320, 51, 5))),
  list(name = "identical-1-to-60", x = as.numeric(1:60), y = as.numeric(1:60)),
  list(name = "decrease-negative-80-70", x = -rgamma(80, 2, 1) - 1, y = -rgamma(70, 2, 1))
)
num <- function(v) paste(sprintf("%.17g", v), collapse = ", ")
cat("[\n")
for (i in seq_along(cases)) {
  c <- cases[[i]]
  t <- suppressWarnings(wilcox.test(c$x, c$y, conf.int = TRUE))
  exact <- length(c$x) < 50 && length(c$y) < 50 && length(unique(c(c$x, c$y))) == length(c(c$x, c$y))
  cat(sprintf('  {"name": "%s", "exact": %s, "w": %s, "p": %s, "lower": %s, "upper": %s, "estimate": %s, "hl": %s,\n   "x": [%s],\n   "y": [%s]}%s\n',
      c$name, tolower(exact), num(t$statistic), num(t$p.value), num(t$conf.int[1]), num(t$conf.int[2]),
      num(t$estimate), num(median(outer(c$x, c$y, "-"))), num(c$x), num(c$y), if (i < length(cases)) "," else ""))
}
cat("]\n")
