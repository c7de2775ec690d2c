namespace HamachiCloud.Protocol.Stun;

/// <summary>The STUN message types used here (method Binding 0x001 with the class bits of RFC 8489 §5).</summary>
public enum StunMessageType : ushort
{
    BindingRequest = 0x0001,
    BindingIndication = 0x0011,
    BindingSuccess = 0x0101,
    BindingError = 0x0111,
}
