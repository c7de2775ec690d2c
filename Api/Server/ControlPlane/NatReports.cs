using System.Net;
using System.Text.Json;
using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// Pure: what the server keeps of an agent's NAT report (untrusted input): the mapped endpoint only
/// when it parses, mapping/filtering only from the known RFC 4787 words, at most
/// <see cref="MaxRelays"/> relay latencies (names cut to 64 characters, times within 0..60 s).
/// Stored as JSON (web defaults) in <c>Device.NatReport</c>.
/// </summary>
internal static class NatReports
{
    public const int MaxRelays = 16;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] Mappings = ["endpoint-independent", "endpoint-dependent"];
    private static readonly string[] Filterings = ["endpoint-independent", "address-dependent", "address-and-port-dependent"];

    public static NatReport? Sanitize(NatReport? report)
    {
        if (report is null)
        {
            return null;
        }

        var mapped = report.MappedEndpoint is { Length: <= 64 } m && IPEndPoint.TryParse(m, out var endpoint) && endpoint.Port != 0
            ? endpoint.ToString()
            : null;
        var relays = (report.Relays ?? [])
            .Where(r => r is not null && r.Milliseconds is null or (>= 0 and <= 60_000))
            .Take(MaxRelays)
            .Select(r => new RelayLatency(r.RelayId, (r.Name ?? "")[..Math.Min((r.Name ?? "").Length, 64)], r.Milliseconds))
            .ToList();
        return new NatReport(
            mapped,
            report.EndpointIndependentMapping,
            report.EndpointIndependentFiltering,
            report.PortPreserved,
            report.Hairpinning,
            report.UdpBlocked,
            Mappings.Contains(report.Mapping) ? report.Mapping : null,
            Filterings.Contains(report.Filtering) ? report.Filtering : null,
            relays.Count > 0 ? relays : null);
    }

    /// <summary>
    /// The one-word NAT type shown to people: "udp-blocked", "symmetric" (endpoint-dependent mapping:
    /// hole punching needs the other side to be open), "endpoint-independent", or null (not measured).
    /// </summary>
    public static string? TypeOf(NatReport? report) => report switch
    {
        { UdpBlocked: true } => "udp-blocked",
        { Mapping: "endpoint-dependent" } or { EndpointIndependentMapping: false } => "symmetric",
        { Mapping: "endpoint-independent" } or { EndpointIndependentMapping: true } => "endpoint-independent",
        _ => null,
    };

    public static string? ToJson(NatReport? report) => report is null ? null : JsonSerializer.Serialize(report, Json);

    /// <summary>The stored report, or null (none, or unreadable after a format change).</summary>
    public static NatReport? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<NatReport>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
