using HamachiCloud.Protocol.Relay;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>The relay client's WebSocket side: connecting a relay's WebSocket, switching to it, going back to UDP, retiring it.</summary>
public sealed partial class RelayClient
{
    private RelayWebSocketLink Connect(int relayIndex, RelayTransportState relay, RelayLinkRole role)
    {
        var link = new RelayWebSocketLink { Role = role };
        link.Channel = _connectWebSocket!(relay.WebSocket!, frame => OnWebSocketFrame(relayIndex, link, frame), () => OnWebSocketConnected(relayIndex, link));
        return link;
    }

    private void SwitchToWebSocket(int relayIndex, RelayTransportState relay, DateTimeOffset now, bool quick, string why)
    {
        _log($"{now:HH:mm:ss.fff} relay {relay.Udp}: {why}; using its WebSocket {relay.WebSocket}");
        var link = relay.Link ?? Connect(relayIndex, relay, RelayLinkRole.Active);
        link.Role = RelayLinkRole.Active;
        link.RetiringSince = null;
        relay.Link = link;
        relay.Quick = quick;
        _mux.SetRelayChannel(relayIndex, link.Channel);
        foreach (var state in PeersOf(relayIndex))
        {
            state.LastBind = DateTimeOffset.MinValue;
            state.Reclaim = false;
        }
    }

    /// <summary>UDP works after a quick switch: back to the relay's UDP port. The UDP re-binds move the relay's bindings back; the WebSocket retires until they are answered.</summary>
    private void BackToUdp(int relayIndex, RelayTransportState relay, DateTimeOffset now, string why)
    {
        _log($"{now:HH:mm:ss.fff} relay {relay.Udp}: {why}; back to UDP, leaving its WebSocket");
        _mux.SetRelayChannel(relayIndex, null);
        Retire(relay.Link!, now);
        relay.Quick = false;
        relay.UdpProven = true;
        foreach (var state in PeersOf(relayIndex))
        {
            state.Bound = false; // the UDP BindOk reports the path again (relay, not relay over TCP)
            state.Reclaim = true; // the relay's binding sits on the WebSocket until a UDP Bind moves it
            state.FirstBindAt = null;
            state.LastBind = DateTimeOffset.MinValue;
        }
    }

    private static void Retire(RelayWebSocketLink link, DateTimeOffset now)
    {
        link.Role = RelayLinkRole.Retiring;
        link.RetiringSince = now;
    }

    /// <summary>True when the retiring WebSocket of the relay can close without taking a binding with it (or has waited long enough).</summary>
    private bool RetireDone(int relayIndex, RelayTransportState relay, DateTimeOffset now)
    {
        var link = relay.Link!;
        var expired = now - link.RetiringSince >= RetireTimeout || !link.Connected;
        foreach (var state in PeersOf(relayIndex))
        {
            if (state.WebSocketBindsUnanswered > 0 || state.Reclaim)
            {
                if (!expired)
                {
                    return false;
                }

                // Whatever the closed socket held, the relay's binding comes back with the next UDP Bind.
                state.Reclaim = false;
                state.LastBind = DateTimeOffset.MinValue;
            }
        }

        return true;
    }

    private IRelayChannel? CloseLink(int relayIndex, RelayTransportState relay)
    {
        var channel = relay.Link?.Channel;
        if (relay.Link?.Role == RelayLinkRole.Active)
        {
            _mux.SetRelayChannel(relayIndex, null);
        }

        relay.Link = null;
        foreach (var state in PeersOf(relayIndex))
        {
            state.WebSocketBindsUnanswered = 0;
            state.LastWebSocketBind = DateTimeOffset.MinValue;
        }

        return channel;
    }

    private void OnWebSocketConnected(int relayIndex, RelayWebSocketLink link)
    {
        lock (_lock)
        {
            if (!_relays.TryGetValue(relayIndex, out var relay) || relay.Link != link)
            {
                return;
            }

            link.Connected = true;
            foreach (var state in PeersOf(relayIndex))
            {
                // Binds in flight on an earlier connection are lost (and the relay dropped its bindings with it).
                state.WebSocketBindsUnanswered = 0;
                state.LastWebSocketBind = DateTimeOffset.MinValue;
                if (link.Role == RelayLinkRole.Active)
                {
                    state.LastBind = DateTimeOffset.MinValue;
                }
            }
        }

        Tick();
    }

    private void OnWebSocketFrame(int relayIndex, RelayWebSocketLink link, ReadOnlyMemory<byte> frame)
    {
        if (!RelayFrame.TryParse(frame.Span, out var parsed))
        {
            return;
        }

        if (parsed.Type != RelayFrameType.Recv)
        {
            OnControl(relayIndex, parsed, link);
            return;
        }

        bool active;
        lock (_lock)
        {
            active = link.Role == RelayLinkRole.Active && _relays.TryGetValue(relayIndex, out var relay) && relay.Link == link;
        }

        if (active)
        {
            _mux.Inject(relayIndex, frame.Span); // the device's receive loop takes it like a UDP frame
        }
    }
}
