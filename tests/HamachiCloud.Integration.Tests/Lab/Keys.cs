using System.Security.Cryptography;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Integration.Tests.Lab;

/// <summary>A fresh key pair in WireGuard base64.</summary>
internal sealed record Keys(string Private, string Public)
{
    public static Keys New()
    {
        using var random = RandomNumberGenerator.Create();
        using var key = NodePrivateKey.Generate(random);
        return new Keys(key.ToBase64(), key.PublicKey.ToBase64());
    }
}
