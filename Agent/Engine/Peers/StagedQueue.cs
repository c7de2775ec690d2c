namespace HamachiCloud.Agent.Engine.Peers;

/// <summary>
/// Plaintext packets waiting for a peer's session (wireguard-go's staged queue): a ring of fixed
/// slots whose buffers are allocated once, on first use. When full, the oldest packet is dropped.
/// Not thread-safe; guarded by the peer's lock.
/// </summary>
internal sealed class StagedQueue
{
    private readonly byte[]?[] _slots;
    private readonly int[] _lengths;
    private readonly int _slotSize;
    private int _head;

    public StagedQueue(int capacity, int slotSize)
    {
        _slots = new byte[]?[capacity];
        _lengths = new int[capacity];
        _slotSize = slotSize;
    }

    public int Count { get; private set; }

    /// <summary>Copies <paramref name="packet"/> in; false when the oldest packet had to make room (a drop).</summary>
    public bool Enqueue(ReadOnlySpan<byte> packet)
    {
        var dropped = false;
        if (Count == _slots.Length)
        {
            _head = (_head + 1) % _slots.Length;
            Count--;
            dropped = true;
        }

        var tail = (_head + Count) % _slots.Length;
        var slot = _slots[tail] ??= new byte[_slotSize];
        packet.CopyTo(slot);
        _lengths[tail] = packet.Length;
        Count++;
        return !dropped;
    }

    /// <summary>The oldest packet without removing it (valid until the next Enqueue/Dequeue).</summary>
    public ReadOnlySpan<byte> Peek() => Count == 0 ? [] : _slots[_head].AsSpan(0, _lengths[_head]);

    public void Dequeue()
    {
        if (Count > 0)
        {
            _head = (_head + 1) % _slots.Length;
            Count--;
        }
    }

    public void Clear()
    {
        _head = 0;
        Count = 0;
    }
}
