namespace HamachiCloud.Protocol.Relay;

/// <summary>Relay frame types (byte 3 of "HCR" frames). Retired numbers stay reserved.</summary>
public enum RelayFrameType : byte
{
    Bind = 0x01,
    BindOk = 0x02,
    Send = 0x03,
    Recv = 0x04,
    Refused = 0x05,
}
