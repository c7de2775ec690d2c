using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Agent.Control;

/// <summary>What the server pushes, handed to the daemon (the SignalR client's seam; tests use a recording twin).</summary>
public interface IControlEvents
{
    void NetworkMap(SignedMessage map);

    void NetworkMapDelta(SignedMessage delta);

    void VerifyPeers(VerifyPeersRequest request);

    void Goodbye(string errorCode, string reason);

    /// <summary>Fetch relay tokens again now (a network's plan, and so its relay bandwidth, changed).</summary>
    void RelayTokensChanged();
}
