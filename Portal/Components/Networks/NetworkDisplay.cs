using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Portal.Components.Networks;

/// <summary>The words the Portal uses for network and member values (Hamachi's join wording).</summary>
public static class NetworkDisplay
{
    public static string Type(NetworkType type) => type switch
    {
        NetworkType.Mesh => "Mesh",
        NetworkType.HubAndSpoke => "Hub and spoke",
        NetworkType.Gateway => "Gateway",
        _ => type.ToString(),
    };

    /// <summary>Why the gateway type is disabled: gateway networks are a premium feature (the Api refuses them with 402 plan_required).</summary>
    public const string GatewayNeedsPremium =
        "Needs the Premium plan: create a mesh network, upgrade it, then switch it to gateway in its settings.";

    public static string TypeHelp(NetworkType type) => type switch
    {
        NetworkType.Mesh => "Every member reaches every other member.",
        NetworkType.HubAndSpoke => "Spokes reach the hubs only; hubs reach everyone.",
        NetworkType.Gateway => "Members reach the gateway and the LAN behind it, not each other.",
        _ => "",
    };

    public static string JoinPolicy(JoinPolicy policy) => policy switch
    {
        Protocol.Networks.JoinPolicy.Open => "Accept automatically",
        Protocol.Networks.JoinPolicy.Password => "Password, accept automatically",
        Protocol.Networks.JoinPolicy.Approval => "Must be approved",
        _ => policy.ToString(),
    };

    public static string Role(MemberRole? role) => role switch
    {
        MemberRole.Owner => "Owner",
        MemberRole.Admin => "Admin",
        MemberRole.Member => "Member",
        _ => "—",
    };

    public static string HubRole(HubRole role) => role == Protocol.Networks.HubRole.Hub ? "Hub" : "Spoke";

    public static string Status(MemberStatus status) => status switch
    {
        MemberStatus.Pending => "Pending approval",
        MemberStatus.Active => "Active",
        MemberStatus.Rejected => "Rejected",
        MemberStatus.Evicted => "Evicted",
        _ => status.ToString(),
    };

    /// <summary>Owners and admins manage members, routes and settings.</summary>
    public static bool CanManage(MemberRole? role) => role is MemberRole.Owner or MemberRole.Admin;

    /// <summary>Percentage of the plan's member limit in use (0..100).</summary>
    public static double Usage(int count, int limit) => limit <= 0 ? 0 : Math.Clamp(100.0 * count / limit, 0, 100);
}
