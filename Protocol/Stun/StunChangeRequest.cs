namespace HamachiCloud.Protocol.Stun;

/// <summary>CHANGE-REQUEST flags (RFC 5780 §7.2 / RFC 3489 §11.2.4): answer from the other IP and/or port.</summary>
[Flags]
public enum StunChangeRequest : uint
{
    None = 0,
    ChangePort = 0x2,
    ChangeIp = 0x4,
}
