using System.Security.Cryptography;

namespace Delivery.Orchestrator.Model;

/// <summary>ULIDs, as Spinnaker uses for execution and stage ids: sortable by creation time.</summary>
public static class Ids
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string NewUlid()
    {
        Span<char> chars = stackalloc char[26];
        var time = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 9; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(time & 31)];
            time >>= 5;
        }
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        for (var i = 10; i < 26; i++)
        {
            chars[i] = Alphabet[random[i - 10] & 31];
        }
        return new string(chars);
    }
}
