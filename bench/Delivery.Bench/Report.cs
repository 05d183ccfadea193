using System.Globalization;
using System.Text;

namespace Delivery.Bench;

/// <summary>The measured figures, printed as <c>name: value unit</c> lines, and a summary table against the targets.</summary>
public sealed class Report
{
    private readonly List<(string Name, double Value, string Unit, string Format)> _figures = [];

    public List<string> Errors { get; } = [];

    public List<string> Notes { get; } = [];

    public void Add(string name, double value, string unit, string format = "0.0")
    {
        _figures.Add((name, value, unit, format));
        Console.Error.WriteLine($"  {Line(_figures[^1])}");
    }

    public double? Get(string name) => _figures.FindLast(f => f.Name == name) is { Name: not null } f ? f.Value : null;

    public void Print(TextWriter output, IReadOnlyList<string> modes)
    {
        foreach (var figure in _figures)
        {
            output.WriteLine(Line(figure));
        }
        output.WriteLine();
        PrintTable(output, modes);
        if (Notes.Count > 0)
        {
            output.WriteLine();
            foreach (var note in Notes)
            {
                output.WriteLine($"note: {note}");
            }
        }
        foreach (var error in Errors)
        {
            output.WriteLine($"error: {error}");
        }
    }

    private static string Line((string Name, double Value, string Unit, string Format) f) =>
        $"{f.Name}: {f.Value.ToString(f.Format, CultureInfo.InvariantCulture)} {f.Unit}";

    private string Text(string name)
    {
        var found = _figures.FindLast(f => f.Name == name);
        return found.Name is null ? "-" : found.Value.ToString(found.Format, CultureInfo.InvariantCulture);
    }

    /// <summary>The figure a target is checked on: the p50 of a latency, the p99 of a GET, the figure itself for a rate.</summary>
    private static string Suffix(string name) => name switch
    {
        "api_get_execution_ms" => ".p99",
        "executions_per_s" => "",
        _ => ".p50",
    };

    private string Pair(string a, string b) => Text(a) == "-" && Text(b) == "-" ? "-" : $"{Text(a)} / {Text(b)}";

    /// <summary>Whether the figure meets an upper (or, with <paramref name="atLeast"/>, lower) bound; "-" when it was not measured.</summary>
    private string Met(string name, double bound, bool atLeast = false) =>
        Get(name) is not { } v ? "-" : (atLeast ? v >= bound : v <= bound) ? "yes" : "NO";

    private void PrintTable(TextWriter output, IReadOnlyList<string> modes)
    {
        string[] columns = ["standalone", "distributed", "separate"];
        List<string[]> rows = [["scenario", .. columns, "target (p50 unless noted)", "met"]];
        void Row(string scenario, string name, string suffixA, string suffixB, string target, string met)
        {
            rows.Add([scenario,
                .. columns.Select(mode => !modes.Contains(mode) ? "-"
                    : suffixB.Length == 0 ? Text($"{name}.{mode}{suffixA}") : Pair($"{name}.{mode}{suffixA}", $"{name}.{mode}{suffixB}")),
                target, met]);
        }
        // Each target applies to the standalone mode and to both distributed topologies.
        string Met3(string name, double standalone, double distributed, bool atLeast = false) =>
            $"{Met($"{name}.standalone{Suffix(name)}", standalone, atLeast)} | {Met($"{name}.distributed{Suffix(name)}", distributed, atLeast)} | {Met($"{name}.separate{Suffix(name)}", distributed, atLeast)}";

        Row("stage_transition_ms p50/p99", "stage_transition_ms", ".p50", ".p99", "<= 2 | <= 10",
            Met3("stage_transition_ms", 2, 10));
        Row("  from chain (ms/stage)", "stage_transition_ms", ".from_chain", "", "cross-check", "");
        Row("chain10_ms p50/p99", "chain10_ms", ".p50", ".p99", "<= 50 | <= 150", Met3("chain10_ms", 50, 150));
        Row("chain1_ms p50/p99", "chain1_ms", ".p50", ".p99", "(no target)", "");
        Row("fanout10_ms p50/p99", "fanout10_ms", ".p50", ".p99", "(no target)", "");
        Row("executions_per_s (1 stage)", "executions_per_s", "", "", ">= 300 | >= 100", Met3("executions_per_s", 300, 100, atLeast: true));
        Row("executions_per_s (chain10)", "executions_per_s", ".chain10", "", "(no target)", "");
        Row("api_get_execution_ms p50/p99", "api_get_execution_ms", ".p50", ".p99", "p99 <= 5", Met3("api_get_execution_ms", 5, 5));
        Row("server CPU ms / execution (1 stage)", "server_cpu_ms_per_execution", "", "", "(profiling aid)", "");
        Row("server CPU ms / execution (chain10)", "server_cpu_ms_per_execution", ".chain10", "", "(profiling aid)", "");
        Row("server CPU ms / GET of chain10", "server_cpu_ms_per_get", "", "", "(profiling aid)", "");
        rows.Add(["floor: bus hop p50/p99", "-", Pair("floor_bus_roundtrip_ms.p50", "floor_bus_roundtrip_ms.p99"), "-", "(measured)", ""]);
        rows.Add(["floor: Redis script p50/p99", "-", Pair("floor_redis_script_ms.p50", "floor_redis_script_ms.p99"), "-", "(measured)", ""]);
        rows.Add(["stage_cost_over_floor", "-", Text("stage_cost_over_floor"), "-", "(no target)", ""]);
        rows.Add(["chain10_over_floor", "-", Text("chain10_over_floor"), Text("chain10_over_floor.separate"), "<= 3",
            $"{Met("chain10_over_floor", 3)} | {Met("chain10_over_floor.separate", 3)}"]);
        rows.Add(["inventory_freshness_ms (kill -> Down)", Text("inventory_freshness_ms.instance_down.p50"), "-", "-", "<= 200", Met("inventory_freshness_ms.instance_down.p50", 200)]);
        rows.Add(["inventory_freshness_ms.kubernetes p50/p99 (not ready -> Down)", Pair("inventory_freshness_ms.kubernetes.p50", "inventory_freshness_ms.kubernetes.p99"), "-", "-", "<= 1000",
            Met("inventory_freshness_ms.kubernetes.p50", 1000)]);
        rows.Add(["rollback_traffic_ms", Text("rollback_traffic_ms.p50"), "-", "-", "<= 1000", Met("rollback_traffic_ms.p50", 1000)]);
        rows.Add(["redblack_overhead_ms", Text("redblack_overhead_ms.p50"), "-", "-", "<= 500", Met("redblack_overhead_ms.p50", 500)]);
        rows.Add(["cold_start_ms", Text("cold_start_ms"), "-", "-", "<= 2000", Met("cold_start_ms", 2000)]);
        rows.Add(["rss_mb idle / after_10000", Pair("rss_mb.idle", "rss_mb.after_10000"), "-", "-", "<= 200 / <= 400",
            $"{Met("rss_mb.idle", 200)} / {Met("rss_mb.after_10000", 400)}"]);

        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }
        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                line.Append(row[i].PadRight(widths[i] + 2));
            }
            output.WriteLine(line.ToString().TrimEnd());
        }
        output.WriteLine("judge_ms_per_metric: see bench/Delivery.Bench.Judge (dotnet run --project bench/Delivery.Bench.Judge -c Release)");
    }
}
