namespace HamachiCloud.Data.Entities;

/// <summary>
/// A tier. Member limits apply per network, except <see cref="AccountWide"/> plans whose limit
/// applies to every network of the subscribing account. Seeded by the model (see HamachiDbContext).
/// </summary>
public class Plan
{
    public const string FreeId = "free";
    public const string StandardId = "standard";
    public const string PremiumId = "premium";
    public const string MultiNetworkId = "multi-network";

    /// <summary>Relay cap when no plan applies (the Free tier's, in bit/s).</summary>
    public const long FreeRelayBitsPerSecond = 2_000_000;

    /// <summary>At most this many devices per account, whatever the plan.</summary>
    public const int MaxDevicesPerAccount = 256;

    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public int MaxMembersPerNetwork { get; set; }
    public bool AccountWide { get; set; }

    /// <summary>Gateway networks, join approvals, relay bandwidth, audit export.</summary>
    public bool PremiumFeatures { get; set; }

    /// <summary>Relay bandwidth cap per flow, in kbit/s (the column; see <see cref="RelayBandwidthBitsPerSecond"/>).</summary>
    public int RelayKbps { get; set; }

    /// <summary>The cap relay tokens carry for this tier, in bit/s (RelayKbps × 1000; 0 = unlimited). Not a column.</summary>
    public long RelayBandwidthBitsPerSecond => RelayKbps * 1000L;

    public int MonthlyPriceCents { get; set; }
}
