using System.Buffers;
using System.Text;
using System.Text.Json;
using Delivery.ServiceDefaults;

namespace Delivery.CanaryJudge.Reports;

/// <summary>
/// Writes a report as the JSON the stores keep, at most <see cref="CanaryJudgeOptions.MaxReportBytes"/> with its points:
/// a report that would be larger is written without them and with <see cref="CanaryReport.PointsOmitted"/>. The results
/// alone (bounded by <see cref="CanaryJudgeOptions.MaxMetrics"/>) are always kept, even above the bound.
/// </summary>
public static class CanaryReportJson
{
    /// <summary>The report's JSON (UTF-8 size of the full report counted, but at most about <paramref name="maxBytes"/> of it held in memory).</summary>
    public static string Serialize(CanaryReport report, int maxBytes)
    {
        var output = new CappedBufferWriter(maxBytes);
        using (var writer = new Utf8JsonWriter(output))
        {
            JsonSerializer.Serialize(writer, report, JsonDefaults.Options);
        }
        if (output.Kept is { } kept)
        {
            return Encoding.UTF8.GetString(kept.WrittenSpan);
        }
        var omitted = new OmittedPoints(
            $"The report with its points would be {output.Written} bytes, above MaxReportBytes ({maxBytes}): the control and experiment points were left out; every metric's result is kept.",
            output.Written, maxBytes);
        return JsonSerializer.Serialize(report with { MetricSets = [], PointsOmitted = omitted }, JsonDefaults.Options);
    }

    /// <summary>Keeps what is written up to the cap; past it, only counts (the bytes go to a reused scratch buffer).</summary>
    private sealed class CappedBufferWriter(int cap) : IBufferWriter<byte>
    {
        private byte[] _scratch = [];

        /// <summary>The bytes written, or null once they passed the cap.</summary>
        public ArrayBufferWriter<byte>? Kept { get; private set; } = new();

        public long Written { get; private set; }

        public void Advance(int count)
        {
            Written += count;
            Kept?.Advance(count);
            if (Written > cap)
            {
                Kept = null;
            }
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => Kept?.GetMemory(sizeHint) ?? Scratch(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        private byte[] Scratch(int sizeHint)
        {
            if (_scratch.Length < Math.Max(sizeHint, 1))
            {
                _scratch = new byte[Math.Max(sizeHint, 64 * 1024)];
            }
            return _scratch;
        }
    }
}
