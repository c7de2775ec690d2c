using System.Security.Cryptography;
using System.Text;

namespace HamachiCloud.Api.Auth;

/// <summary>
/// Secrets shown once (API tokens, setup keys): a typed prefix plus 32 random bytes in base64url.
/// Only the SHA-256 of the whole secret is stored; lookups hash the presented value.
/// </summary>
internal static class SecretTokens
{
    public const string ApiTokenPrefix = "hc_pat_";
    public const string SetupKeyPrefix = "hc_key_";

    public static string Generate(string prefix)
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return prefix + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>What the owner sees to recognise a secret: its type prefix and 4 more characters.</summary>
    public static string DisplayPrefix(string secret) => secret[..Math.Min(secret.Length, 11)];
}
