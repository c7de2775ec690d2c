using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Engine.Traversal;

// The relay client's state, guarded by its lock (not thread-safe on their own).

/// <summary>What a relay's WebSocket is for at the moment.</summary>
internal enum RelayLinkRole
{
    /// <summary>UDP unproven: carries the same Binds as UDP; its first BindOk makes it <see cref="Active"/>.</summary>
    Racing,

    /// <summary>The relay's transport (the mux sends through it).</summary>
    Active,

    /// <summary>UDP won: closed once no Bind on it is unanswered and the bindings it may hold are back on UDP.</summary>
    Retiring,
}

/// <summary>One peer's relay token and binding, as <see cref="RelayClient"/> sees it.</summary>
internal sealed class RelayPeerState
{
    public RelayGrant? Grant { get; set; }

    public int RelayIndex { get; set; } = -1;

    public bool Fetching { get; set; }

    /// <summary>The grant must be replaced though it has not expired (the server said the plan behind it changed).</summary>
    public bool Stale { get; set; }

    /// <summary>The token epoch when the fetch in flight started: a fetch older than a refresh leaves the grant stale.</summary>
    public long FetchEpoch { get; set; }

    public DateTimeOffset NextFetch { get; set; } = DateTimeOffset.MinValue;

    public TimeSpan FetchBackoff { get; set; }

    public DateTimeOffset LastBind { get; set; } = DateTimeOffset.MinValue;

    public DateTimeOffset? FirstBindAt { get; set; }

    public bool Bound { get; set; }

    /// <summary>The last BindOk for this peer (first binding and keepalives); too old while bound means the relay is gone.</summary>
    public DateTimeOffset LastBindOk { get; set; }

    /// <summary>The last Bind sent over the racing WebSocket.</summary>
    public DateTimeOffset LastWebSocketBind { get; set; } = DateTimeOffset.MinValue;

    /// <summary>Binds sent over the relay's WebSocket (any role) whose BindOk or Refused has not come back yet.</summary>
    public int WebSocketBindsUnanswered { get; set; }

    /// <summary>The relay's binding may sit on the WebSocket while UDP is the transport: re-bind over UDP until a UDP BindOk.</summary>
    public bool Reclaim { get; set; }
}

/// <summary>One relay (by mux index): its UDP endpoint, WebSocket URL and which transport carries it.</summary>
internal sealed class RelayTransportState(NetEndpoint udp, Uri? webSocket)
{
    public NetEndpoint Udp { get; } = udp;

    public Uri? WebSocket { get; } = webSocket;

    /// <summary>The relay's WebSocket, if one is open (at most one at a time).</summary>
    public RelayWebSocketLink? Link { get; set; }

    /// <summary>The switch to the WebSocket came while UDP was unproven (race or <see cref="RelayClient.QuickBindTimeout"/>), so a UDP BindOk or a "UDP works" verdict undoes it.</summary>
    public bool Quick { get; set; }

    /// <summary>A BindOk came back over UDP (or UDP works after a quick switch): no more racing for this relay.</summary>
    public bool UdpProven { get; set; }

    /// <summary>The relay key of the last Challenge answered, and the proof key derived for it (an X25519 per relay key, not per Challenge).</summary>
    public byte[]? ProofRelayKey { get; set; }

    public byte[]? ProofKey { get; set; }

    public DateTimeOffset LastProofKeyDerive { get; set; } = DateTimeOffset.MinValue;
}

/// <summary>A relay's WebSocket with what it is for (<see cref="RelayLinkRole"/>).</summary>
internal sealed class RelayWebSocketLink
{
    public IRelayChannel? Channel { get; set; }

    public RelayLinkRole Role { get; set; }

    public bool Connected { get; set; }

    public DateTimeOffset? RetiringSince { get; set; }
}
