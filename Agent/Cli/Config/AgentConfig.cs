namespace HamachiCloud.Agent.Config;

/// <summary>A parsed wg-quick style file for <c>hamachi up</c>: one [Interface] and its [Peer]s.</summary>
public sealed record AgentConfig(InterfaceSection Interface, IReadOnlyList<PeerSection> Peers);
