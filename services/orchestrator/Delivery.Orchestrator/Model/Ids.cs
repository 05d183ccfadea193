using System.Security.Cryptography;

namespace Delivery.Orchestrator.Model;

/// <summary>ULIDs, as Spinnaker uses for execution and stage ids: sortable by creation time.</summary>
public static class Ids
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string NewUlid()
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        return Format(DateTimeOffset.UtcNow, random);
    }

    /// <summary>
    /// The same ULID for the same time and seed: a redelivered request (same message id and send
    /// time) creates the same execution id, so it cannot create a second execution. The first three
    /// characters after the time hold the time's sub-millisecond ticks, so that ids of requests sent
    /// one after the other sort in the order they were sent, even within one millisecond.
    /// </summary>
    public static string UlidFrom(DateTimeOffset time, Guid seed)
    {
        Span<byte> bytes = stackalloc byte[19];
        var ticks = (int)(time.Ticks % TimeSpan.TicksPerMillisecond);
        bytes[0] = (byte)((ticks >> 10) & 31);
        bytes[1] = (byte)((ticks >> 5) & 31);
        bytes[2] = (byte)(ticks & 31);
        seed.TryWriteBytes(bytes[3..]);
        return Format(time, bytes);
    }

    private static string Format(DateTimeOffset time, ReadOnlySpan<byte> random)
    {
        Span<char> chars = stackalloc char[26];
        var ms = (ulong)time.ToUnixTimeMilliseconds();
        for (var i = 9; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(ms & 31)];
            ms >>= 5;
        }
        for (var i = 10; i < 26; i++)
        {
            chars[i] = Alphabet[random[i - 10] & 31];
        }
        return new string(chars);
    }
}
