using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>The relay client's token side: fetching a peer's relay grants and choosing the relay (failed ones last).</summary>
public sealed partial class RelayClient
{
    private async Task FetchAsync(NodeKey peer)
    {
        IReadOnlyList<RelayGrant>? grants = null;
        string? error = null;
        try
        {
            grants = await _fetchGrants(peer, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error = e.Message;
        }

        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_peers.TryGetValue(peer, out var state))
            {
                return;
            }

            state.Fetching = false;
            // Relays in the Api's order (both ends of a pair choose alike), those that stopped answering lately last.
            foreach (var udp in _failedRelays.Where(f => now - f.Value > FailedRelayMemory).Select(f => f.Key).ToList())
            {
                _failedRelays.Remove(udp);
            }

            var grant = grants?.Where(g => g.ExpiresAt > now).OrderBy(g => _failedRelays.ContainsKey(g.Udp)).FirstOrDefault();
            if (grant is null)
            {
                state.FetchBackoff = state.FetchBackoff == TimeSpan.Zero ? TimeSpan.FromSeconds(2) : TimeSpan.FromTicks(Math.Min(state.FetchBackoff.Ticks * 2, FetchRetryMax.Ticks));
                state.NextFetch = now + state.FetchBackoff;
                _log($"relay tokens for {peer}: {error ?? "none granted"}; retrying in {state.FetchBackoff.TotalSeconds:0} s");
                return;
            }

            state.FetchBackoff = TimeSpan.Zero;
            state.Stale = state.FetchEpoch != _tokenEpoch; // a refresh came while this fetch was in flight: fetch again
            state.Grant = grant;
            state.RelayIndex = _mux.AddRelay(grant.Udp);
            if (!_relays.ContainsKey(state.RelayIndex))
            {
                _relays[state.RelayIndex] = new RelayTransportState(grant.Udp, grant.WebSocket);
            }

            state.LastBind = DateTimeOffset.MinValue;
        }

        Tick();
    }
}
