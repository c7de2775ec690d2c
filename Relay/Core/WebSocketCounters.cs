namespace HamachiCloud.Relay.Core;

/// <summary>
/// The WebSocket fallback's admission counters (in <c>/counters</c> as <c>webSockets</c>): connections open now,
/// refused because the relay had <c>Relay:MaxWebSockets</c> open, refused because the client had
/// <c>Relay:MaxWebSocketsPerAddress</c> open, and closed because they made no binding within <c>Relay:WebSocketBindSeconds</c>.
/// </summary>
public sealed record WebSocketCounters(long Open, long RefusedTotal, long RefusedPerAddress, long ClosedBeforeBind);
