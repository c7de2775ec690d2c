namespace HamachiCloud.Protocol.WireGuard;

/// <summary>
/// Sliding-window replay filter for transport counters (RFC 6479 style, as wireguard-go): a ring of
/// 128 blocks of 64 bits, of which one block is kept free so the window can advance a block at a time;
/// hence <see cref="WireGuardLimits.ReplayWindowSize"/> = (128 - 1) * 64 = 8128 counters.
/// Call only after the packet authenticated, so forged counters cannot move the window.
/// Not thread-safe; owned by the inbound stage of one session.
/// </summary>
public sealed class ReplayWindow
{
    private const int BlockBitLog = 6;
    private const int BlockBits = 1 << BlockBitLog;
    private const int RingBlocks = 128;
    private const ulong BlockMask = RingBlocks - 1;
    private const ulong BitMask = BlockBits - 1;

    private readonly ulong[] _ring = new ulong[RingBlocks];
    private ulong _last;

    /// <summary>The greatest counter accepted so far (0 before any).</summary>
    public ulong Greatest => _last;

    /// <summary>Forgets every counter.</summary>
    public void Reset()
    {
        _last = 0;
        Array.Clear(_ring);
    }

    /// <summary>
    /// Accepts <paramref name="counter"/> once: false if it is at or beyond
    /// <see cref="WireGuardLimits.RejectAfterMessages"/>, older than the window, or already seen.
    /// A rejected counter leaves the window unchanged.
    /// </summary>
    public bool TryAccept(ulong counter)
    {
        if (counter >= WireGuardLimits.RejectAfterMessages)
        {
            return false;
        }

        var block = counter >> BlockBitLog;
        if (counter > _last)
        {
            var current = _last >> BlockBitLog;
            var advance = Math.Min(block - current, RingBlocks);
            for (ulong i = 1; i <= advance; i++)
            {
                _ring[(current + i) & BlockMask] = 0;
            }

            _last = counter;
        }
        else if (_last - counter > WireGuardLimits.ReplayWindowSize)
        {
            return false;
        }

        var index = (int)(block & BlockMask);
        var bit = 1UL << (int)(counter & BitMask);
        var old = _ring[index];
        _ring[index] = old | bit;
        return (old & bit) == 0;
    }
}
