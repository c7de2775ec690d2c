namespace HamachiCloud.Protocol.Relay;

/// <summary>Why the relay refused a frame (the reason byte of a Refused frame).</summary>
public enum RelayRefusal : byte
{
    /// <summary>No binding, or the target has no binding back.</summary>
    NoBinding = 1,
    Expired = 2,
    BadSignature = 3,
    WrongRelay = 4,
    Banned = 5,
    Malformed = 6,

    /// <summary>BindProof: the cookie was not issued to this source and pair, is too old, or the proof does not verify (2026-12-03).</summary>
    BadProof = 7,
}
