namespace HamachiCloud.Api.Contracts.Paths;

/// <summary>
/// The latest path report of one device towards one peer device, as the reporting device saw it:
/// <c>path</c> is "direct", "relay" or "none"; <c>endpoint</c> the current destination; the
/// candidates tried ("ip:port kind pings answered|silent"); why it is not direct; the disco RTT;
/// when the server received it. Reports older than 3 minutes are not listed (agents report every minute).
/// </summary>
public sealed record PeerPathDto(
    Guid DeviceId,
    string DeviceName,
    Guid PeerDeviceId,
    string PeerDeviceName,
    string Path,
    string? Endpoint,
    IReadOnlyList<string> CandidatesTried,
    string? WhyNotDirect,
    double? RttMilliseconds,
    bool RelayOverWebSocket,
    DateTimeOffset ReportedAt);
