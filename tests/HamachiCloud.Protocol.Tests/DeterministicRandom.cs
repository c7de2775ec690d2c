using System.Security.Cryptography;

namespace HamachiCloud.Protocol.Tests;

/// <summary>A seeded SplitMix64 generator standing in for the CSPRNG, so handshakes and fuzz runs repeat exactly.</summary>
internal sealed class DeterministicRandom(ulong seed) : RandomNumberGenerator
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, max).</summary>
    public int Next(int max) => (int)(NextUInt64() % (ulong)max);

    public byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        GetBytes(bytes);
        return bytes;
    }

    public override void GetBytes(byte[] data) => GetBytes(data.AsSpan());

    public override void GetBytes(Span<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)NextUInt64();
        }
    }

    public override void GetNonZeroBytes(byte[] data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)((NextUInt64() % 255) + 1);
        }
    }
}
