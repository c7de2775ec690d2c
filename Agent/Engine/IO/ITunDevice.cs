namespace HamachiCloud.Agent.Engine.IO;

/// <summary>
/// A virtual network interface carrying raw IP packets (no packet-information header). Batched:
/// one call moves up to <c>packets.Length</c> packets. In-memory twin: MemoryTun (tests/HamachiCloud.Testing).
/// </summary>
public interface ITunDevice : IDisposable
{
    string Name { get; }

    int Mtu { get; }

    /// <summary>
    /// Blocks until at least one packet is available, then reads as many as are ready (up to
    /// <c>packets.Length</c>): packet i goes to <c>packets[i]</c> from <paramref name="offset"/>,
    /// its length to <c>sizes[i]</c>. Returns the count; 0 once the device is closed.
    /// </summary>
    int Read(byte[][] packets, int[] sizes, int offset);

    /// <summary>Writes <paramref name="count"/> packets: <c>packets[i][offset..offset + sizes[i]]</c>.</summary>
    void Write(byte[][] packets, int[] sizes, int offset, int count);
}
