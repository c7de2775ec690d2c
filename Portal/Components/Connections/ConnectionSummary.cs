namespace HamachiCloud.Portal.Components.Connections;

/// <summary>How many pairs take each path; <see cref="Text"/> is the summary line shown first.</summary>
public sealed record ConnectionSummary(int Pairs, int Direct, int RelayUdp, int RelayWebSocket, int Down, int Unknown)
{
    /// <summary>"6 pairs: 5 direct, 1 UDP relay, 0 WebSocket, 0 down" (", 2 unknown" only when there are).</summary>
    public string Text =>
        $"{Pairs} {(Pairs == 1 ? "pair" : "pairs")}: {Direct} direct, {RelayUdp} UDP relay, {RelayWebSocket} WebSocket, {Down} down"
        + (Unknown > 0 ? $", {Unknown} unknown" : "");

    public static ConnectionSummary Of(IEnumerable<PairVerdict> pairs)
    {
        int direct = 0, udp = 0, ws = 0, down = 0, unknown = 0;
        foreach (var pair in pairs)
        {
            switch (pair.Kind)
            {
                case PairPathKind.Direct: direct++; break;
                case PairPathKind.RelayUdp: udp++; break;
                case PairPathKind.RelayWebSocket: ws++; break;
                case PairPathKind.None: down++; break;
                default: unknown++; break;
            }
        }

        return new ConnectionSummary(direct + udp + ws + down + unknown, direct, udp, ws, down, unknown);
    }
}
