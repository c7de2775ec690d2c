namespace HamachiCloud.Protocol.Tests;

/// <summary>Hex helpers for golden-byte tests: whitespace in literals is ignored so layouts stay readable.</summary>
internal static class Hex
{
    public static byte[] Parse(string hex) => Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary><paramref name="count"/> copies of the byte <paramref name="twoHexDigits"/>, as hex.</summary>
    public static string Repeat(string twoHexDigits, int count) => string.Concat(Enumerable.Repeat(twoHexDigits, count));
}
