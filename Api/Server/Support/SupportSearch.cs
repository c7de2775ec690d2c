using System.Net;
using System.Text.RegularExpressions;
using HamachiCloud.Api.Contracts.Support;

namespace HamachiCloud.Api.Support;

/// <summary>
/// The support console's search: one query, matched by its shape — an id (any account, network or device), a
/// network id (NNN-NNN-NNN), an IP address (a device's virtual address, an address a device was seen at, or an
/// address an account signed in from, per the audit log), a 64-hex key (machine or node key, "nodekey:" allowed),
/// else part of an email or a name (case-insensitive). Read-only; the caller has checked staff access.
/// </summary>
internal sealed partial class SupportSearch(HamachiDbContext db)
{
    public const int MaxQueryLength = 256;

    public async Task<SupportSearchResult> SearchAsync(string? query, CancellationToken ct)
    {
        var q = query?.Trim() ?? "";
        new Validator().Check(q.Length is > 0 and <= MaxQueryLength, "q", $"is required (1 to {MaxQueryLength} characters)").ThrowIfInvalid();
        const int limit = SupportSearchResult.Limit;
        IQueryable<User> users = db.Users.Where(_ => false);
        IQueryable<Network> networks = db.Networks.Where(_ => false);
        IQueryable<Device> devices = db.Devices.Where(_ => false);

        if (Guid.TryParse(q, out var id))
        {
            users = db.Users.Where(u => u.Id == id);
            networks = db.Networks.Where(n => n.Id == id);
            devices = db.Devices.Where(d => d.Id == id);
        }
        else if (NetworkIdPattern().IsMatch(q))
        {
            networks = db.Networks.Where(n => n.NetworkId == q);
        }
        else if (IPAddress.TryParse(q, out var ip) && q.Contains(ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? '.' : ':'))
        {
            var text = ip.ToString();
            var seen = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{text}]:" : text + ":";
            devices = db.Devices.Where(d => d.VirtualIPv4 == ip || d.VirtualIPv6 == ip || d.Endpoints.Contains(seen));
            var signedInFrom = db.AuditEvents.Where(e => e.IpAddress == text && e.Action == Audit.SignInAudit.SignedIn && e.ActorUserId != null).Select(e => e.ActorUserId!.Value);
            users = db.Users.Where(u => signedInFrom.Contains(u.Id));
        }
        else if (KeyPattern().Match(q) is { Success: true } key)
        {
            var hex = key.Groups["hex"].Value.ToLowerInvariant();
            devices = db.Devices.Where(d => d.NodeKey == hex || d.MachineKey == hex);
        }
        else
        {
            var upper = q.ToUpperInvariant();
            var lower = q.ToLowerInvariant();
#pragma warning disable CA1862 // EF translates ToLower + Contains on every provider; the StringComparison overload it does not
            users = db.Users.Where(u => u.NormalizedEmail!.Contains(upper) || u.DisplayName.ToLower().Contains(lower));
            networks = db.Networks.Where(n => n.Name.ToLower().Contains(lower));
            devices = db.Devices.Where(d => d.Name.ToLower().Contains(lower));
#pragma warning restore CA1862
        }

        var accountHits = await users.OrderBy(u => u.Email).Take(limit)
            .Select(u => new SupportAccountHit(u.Id, u.Email ?? "", u.DisplayName, u.CreatedAt, u.DisabledAt)).ToListAsync(ct);
        var networkHits = await NetworkHits(networks.OrderBy(n => n.Name).Take(limit)).ToListAsync(ct);
        var deviceHits = await DeviceHits(devices.OrderBy(d => d.Name).Take(limit)).ToListAsync(ct);
        return new SupportSearchResult(accountHits, networkHits, deviceHits);
    }

    internal static IQueryable<SupportNetworkHit> NetworkHits(IQueryable<Network> networks) =>
        networks.Select(n => new SupportNetworkHit(n.Id, n.NetworkId, n.Name, n.OwnerId, n.Owner!.Email ?? "", n.Plan!.Name, null));

    internal static IQueryable<SupportDeviceHit> DeviceHits(IQueryable<Device> devices) =>
        devices.Select(d => new SupportDeviceHit(
            d.Id, d.Name, d.UserId, d.User!.Email ?? "", d.VirtualIPv4.ToString(), d.VirtualIPv6.ToString(), d.NodeKey,
            d.ConnectionId != null, d.LastSeenAt, d.Endpoints));

    [GeneratedRegex(@"^\d{3}-\d{3}-\d{3}$")]
    private static partial Regex NetworkIdPattern();

    [GeneratedRegex("^(nodekey:)?(?<hex>[0-9a-fA-F]{64})$")]
    private static partial Regex KeyPattern();
}
