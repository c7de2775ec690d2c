namespace HamachiCloud.Protocol.Disco;

/// <summary>Disco message types (the first plaintext byte). Retired numbers stay reserved.</summary>
public enum DiscoMessageType : byte
{
    /// <summary>A path probe; the receiver answers with a <see cref="Pong"/> to the ping's source.</summary>
    Ping = 0x01,

    /// <summary>The answer to a ping: same transaction id, carries the ping's observed source.</summary>
    Pong = 0x02,

    /// <summary>"Probe me at these endpoints now" (sent through the relay before a direct path exists).</summary>
    CallMeMaybe = 0x03,
}
