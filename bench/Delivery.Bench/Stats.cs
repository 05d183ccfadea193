namespace Delivery.Bench;

/// <summary>Percentiles by the nearest-rank method over sorted samples; nothing is interpolated or estimated.</summary>
public sealed class Samples
{
    private readonly List<double> _values = [];
    private bool _sorted = true;

    public Samples()
    {
    }

    public Samples(IEnumerable<double> values)
    {
        _values.AddRange(values);
        _sorted = false;
    }

    public int Count => _values.Count;

    public void Add(double value)
    {
        _values.Add(value);
        _sorted = false;
    }

    public double Percentile(double p)
    {
        if (_values.Count == 0)
        {
            throw new InvalidOperationException("No samples were collected.");
        }
        Sort();
        var rank = (int)Math.Ceiling(p / 100.0 * _values.Count);
        return _values[Math.Clamp(rank - 1, 0, _values.Count - 1)];
    }

    public double P50 => Percentile(50);

    public double P99 => Percentile(99);

    public double Mean => _values.Count == 0 ? double.NaN : _values.Average();

    public double Min => Percentile(0);

    public double Max => Percentile(100);

    private void Sort()
    {
        if (!_sorted)
        {
            _values.Sort();
            _sorted = true;
        }
    }
}
