namespace HamachiCloud.Protocol.Stun;

/// <summary>STUN attribute types this codec understands (RFC 8489 §18.3, RFC 5780 §7, RFC 3489 §11.2).</summary>
public static class StunAttributeType
{
    public const ushort MappedAddress = 0x0001;

    /// <summary>RFC 3489 RESPONSE-ADDRESS: recognised and deliberately ignored (never reflect to a third party).</summary>
    public const ushort ResponseAddress = 0x0002;

    public const ushort ChangeRequest = 0x0003;
    public const ushort SourceAddress = 0x0004;
    public const ushort ChangedAddress = 0x0005;

    /// <summary>USERNAME: recognised and skipped (this STUN server uses no credentials).</summary>
    public const ushort Username = 0x0006;

    /// <summary>MESSAGE-INTEGRITY: recognised and skipped (no credentials).</summary>
    public const ushort MessageIntegrity = 0x0008;

    public const ushort ErrorCode = 0x0009;
    public const ushort UnknownAttributes = 0x000A;
    public const ushort XorMappedAddress = 0x0020;

    /// <summary>RFC 5780 PADDING: skipped.</summary>
    public const ushort Padding = 0x0026;

    /// <summary>RFC 5780 RESPONSE-PORT: recognised and ignored.</summary>
    public const ushort ResponsePort = 0x0027;

    public const ushort Software = 0x8022;
    public const ushort Fingerprint = 0x8028;
    public const ushort ResponseOrigin = 0x802B;
    public const ushort OtherAddress = 0x802C;

    /// <summary>True for types below 0x8000 that a receiver must understand or reject with 420.</summary>
    public static bool IsComprehensionRequired(ushort type) => type < 0x8000;

    /// <summary>Comprehension-required types this codec knows.</summary>
    public static bool IsKnown(ushort type) => type is MappedAddress or ResponseAddress or ChangeRequest or SourceAddress
        or ChangedAddress or Username or MessageIntegrity or ErrorCode or UnknownAttributes or XorMappedAddress or Padding or ResponsePort;
}
