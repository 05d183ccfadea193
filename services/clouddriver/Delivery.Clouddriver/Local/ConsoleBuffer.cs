namespace Delivery.Clouddriver.Local;

/// <summary>The most recent lines of one output stream, at most a fixed number of characters (older lines are dropped).</summary>
public sealed class ConsoleBuffer(int maxChars)
{
    private readonly Queue<string> _lines = new();
    private int _chars;
    private bool _truncated;

    public void Append(string line)
    {
        if (line.Length > maxChars)
        {
            line = line[^maxChars..];
        }
        lock (_lines)
        {
            _lines.Enqueue(line);
            _chars += line.Length + 1;
            while (_chars > maxChars)
            {
                _chars -= _lines.Dequeue().Length + 1;
                _truncated = true;
            }
        }
    }

    /// <summary>The retained text (lines joined by newlines) and whether older text was dropped.</summary>
    public (string Text, bool Truncated) Read()
    {
        lock (_lines)
        {
            return (_lines.Count == 0 ? "" : string.Join('\n', _lines) + "\n", _truncated);
        }
    }
}
