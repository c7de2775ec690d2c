namespace HamachiCloud.Agent.Engine.IO;

/// <summary>
/// The agent's one UDP socket. Batched (recvmmsg/sendmmsg on Linux). In-memory twin: a virtual
/// network in tests/HamachiCloud.Testing.
/// </summary>
public interface IPacketConn : IDisposable
{
    ushort LocalPort { get; }

    /// <summary>
    /// Blocks until at least one datagram arrives, then receives as many as are ready (up to
    /// <c>buffers.Length</c>): datagram i into <c>buffers[i]</c>, length <c>sizes[i]</c>, sender
    /// <c>from[i]</c>. Returns the count; 0 once closed.
    /// </summary>
    int Receive(byte[][] buffers, int[] sizes, NetEndpoint[] from);

    /// <summary>Sends <paramref name="count"/> datagrams: <c>buffers[i][offset..offset + sizes[i]]</c> to <c>to[i]</c>.</summary>
    void Send(byte[][] buffers, int[] sizes, int offset, NetEndpoint[] to, int count);
}
