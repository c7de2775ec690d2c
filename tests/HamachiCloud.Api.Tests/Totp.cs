using System.Buffers.Binary;
using System.Security.Cryptography;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// An authenticator app in the test: RFC 6238 TOTP (HMAC-SHA1, 30 s steps, 6 digits) from a base32 shared
/// key, computed here independently of ASP.NET Core Identity. <see cref="TotpTests"/> checks it against the RFC's vector.
/// </summary>
public static class Totp
{
    public static string Code(string sharedKey, DateTimeOffset at, int digits = 6) => Code(Base32(sharedKey), at, digits);

    public static string Code(byte[] key, DateTimeOffset at, int digits = 6)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, at.ToUnixTimeSeconds() / 30);
#pragma warning disable CA5350 // RFC 6238 authenticators use HMAC-SHA1; this is what the server must accept
        var hash = HMACSHA1.HashData(key, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var value = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7fffffff) % (int)Math.Pow(10, digits);
        return value.ToString(new string('0', digits), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>RFC 4648 base32, case and spaces ignored (the shared key comes grouped in lower case).</summary>
    public static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = text.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            var v = alphabet.IndexOf(c, StringComparison.Ordinal);
            Assert.True(v >= 0, $"'{c}' is not base32");
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        return [.. bytes];
    }
}

public sealed class TotpTests
{
    [Fact]
    public void Matches_the_rfc_6238_sha1_vectors()
    {
        var key = "12345678901234567890"u8.ToArray();
        Assert.Equal("94287082", Totp.Code(key, DateTimeOffset.FromUnixTimeSeconds(59), 8));
        Assert.Equal("07081804", Totp.Code(key, DateTimeOffset.FromUnixTimeSeconds(1111111109), 8));
        Assert.Equal("287082", Totp.Code(key, DateTimeOffset.FromUnixTimeSeconds(59)));
        Assert.Equal(key, Totp.Base32("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"));
    }
}
