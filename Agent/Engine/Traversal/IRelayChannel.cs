namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>A stream transport to a relay (the WebSocket fallback): one relay frame per message. Thread-safe.</summary>
public interface IRelayChannel
{
    /// <summary>Queues one frame (copied); drops it when the queue is full or the channel is closed.</summary>
    void Enqueue(ReadOnlySpan<byte> frame);
}
