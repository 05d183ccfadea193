using System.Diagnostics;
using System.Globalization;
using Delivery.CanaryJudge.Judge;

// judge_ms_per_metric: the time NetflixAcaJudge takes for one metric (NaN handling, outlier removal,
// Mann-Whitney test with its Hodges-Lehmann interval, classification, scoring), at 50, 500 and 5,000
// points per side. Each round judges a config of 10 metrics whose experiment is shifted 2% from the
// control; the figure is the median round divided by 10, after 3 s of warm-up. Target (issue 11):
// <= 5 ms at 500 points. Wall-clock times: on a loaded machine the CPU time printed on stderr says more.
const int MetricsPerRound = 10;
var judge = new NetflixAcaJudge();
var thresholds = new ScoreThresholds(50, 75);
var analysis = new MetricAnalysis { Outliers = OutlierStrategy.Remove };
var config = new CanaryConfig("bench",
    [.. Enumerable.Range(0, MetricsPerRound).Select(i => new CanaryMetric($"m{i}", "prometheus", ["g"], analysis))],
    new Dictionary<string, double> { ["g"] = 100 });

foreach (var points in new[] { 50, 500, 5_000 })
{
    var random = new Random(points);
    double[] Series(double level) => [.. Enumerable.Range(0, points).Select(_ => level * (1 + 0.1 * Gaussian(random)))];
    var sets = Enumerable.Range(0, MetricsPerRound).Select(i => new MetricSet($"m{i}", Series(100), Series(102))).ToList();

    var rounds = points >= 5_000 ? 15 : points >= 500 ? 60 : 300;
    // Steady state: long enough for the JIT's optimised tier even on a busy machine.
    var warmup = Stopwatch.StartNew();
    while (warmup.Elapsed < TimeSpan.FromSeconds(3))
    {
        judge.Judge(config, sets, thresholds);
    }
    var samples = new double[rounds];
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    for (var i = 0; i < rounds; i++)
    {
        var watch = Stopwatch.StartNew();
        judge.Judge(config, sets, thresholds);
        samples[i] = watch.Elapsed.TotalMilliseconds / MetricsPerRound;
    }
    var cpuPerMetric = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / rounds / MetricsPerRound;
    Array.Sort(samples);
    var median = samples[rounds / 2];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"judge_ms_per_metric.points_{points}: {median:0.000} ms"));
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"note: {points} points per side, {rounds} rounds of {MetricsPerRound} metrics, min {samples[0]:0.000} ms, max {samples[^1]:0.000} ms, process CPU {cpuPerMetric:0.000} ms per metric, load average {LoadAverage()}"));
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

static double Gaussian(Random random) =>
    Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
