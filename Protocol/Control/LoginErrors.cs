namespace HamachiCloud.Protocol.Control;

/// <summary>Stable reasons a login is refused.</summary>
public static class LoginErrors
{
    public const string UnsupportedVersion = "unsupported_version";
    public const string UnknownDevice = "unknown_device";
    public const string BadSignature = "bad_signature";
    public const string KeyExpired = "key_expired";
    public const string Banned = "banned";
    public const string OutOfOrder = "out_of_order";

    /// <summary>Support staff disabled the device's account (the reason follows in the message).</summary>
    public const string AccountDisabled = "account_disabled";
}
