namespace HamachiCloud.Protocol.Relay;

/// <summary>Relay frame types (byte 3 of "HCR" frames). Retired numbers stay reserved.</summary>
public enum RelayFrameType : byte
{
    Bind = 0x01,
    BindOk = 0x02,
    Send = 0x03,
    Recv = 0x04,
    Refused = 0x05,

    /// <summary>Relay → agent: prove possession of the token's node key for this source (2026-12-03).</summary>
    Challenge = 0x06,

    /// <summary>Agent → relay: the token with the challenge's cookie and the proof (2026-12-03).</summary>
    BindProof = 0x07,
}
