namespace HamachiCloud.Protocol.WireGuard;

/// <summary>Where a peer's handshake is, as in wireguard-go's handshake states.</summary>
public enum HandshakeState
{
    /// <summary>No handshake in progress; no secret state held.</summary>
    Zeroed,

    /// <summary>We sent an initiation and wait for the response.</summary>
    InitiationCreated,

    /// <summary>We accepted the peer's initiation and may create a response.</summary>
    InitiationConsumed,

    /// <summary>We sent a response; transport keys can be derived (responder).</summary>
    ResponseCreated,

    /// <summary>We accepted the response; transport keys can be derived (initiator).</summary>
    ResponseConsumed,
}
