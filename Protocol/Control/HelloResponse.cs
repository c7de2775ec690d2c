namespace HamachiCloud.Protocol.Control;

/// <summary>
/// The server's answer: the chosen version, its own nonce and its identity key's signature over
/// <see cref="LoginTranscript.ServerProof"/>. The agent verifies it against the key it pinned at
/// enrolment before it sends anything else; a mismatch ends the connection.
/// </summary>
public sealed record HelloResponse(int ProtocolVersion, byte[] ServerNonce, byte[] ServerSignature, string? Error = null, string? ErrorCode = null);
