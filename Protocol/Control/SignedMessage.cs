namespace HamachiCloud.Protocol.Control;

/// <summary>
/// A payload (UTF-8 JSON of a <see cref="NetworkMap"/> or <see cref="NetworkMapDelta"/>) and the
/// server identity key's Ed25519 signature over exactly those bytes. The agent verifies before it
/// parses, and caches the pair as received so the cache can be verified again after a restart.
/// </summary>
public sealed record SignedMessage(byte[] Payload, byte[] Signature);
