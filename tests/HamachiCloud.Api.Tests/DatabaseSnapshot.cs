using System.Text.Json;
using HamachiCloud.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// The rows the control channel can change (devices with their presence and endpoints, networks,
/// memberships, per-network device states, issued maps, audit events) as one comparable text.
/// </summary>
public static class DatabaseSnapshot
{
    public static async Task<string> TakeAsync(ApiFactory f)
    {
        await using var scope = f.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
        var devices = (await db.Devices.AsNoTracking().ToListAsync())
            .OrderBy(d => d.Id).Select(d => new { d.Id, d.Name, d.ConnectionId, d.LastSeenAt, d.Endpoints, d.KeyExpiresAt, d.MachineKey, d.NodeKey });
        var networks = (await db.Networks.AsNoTracking().ToListAsync()).OrderBy(n => n.Id).Select(n => new { n.Id, n.NetworkId, n.Name });
        var members = (await db.Memberships.AsNoTracking().ToListAsync())
            .OrderBy(m => m.Id).Select(m => new { m.Id, m.NetworkId, m.UserId, m.Status, m.Role, m.HubRole, m.Nickname });
        var states = (await db.DeviceNetworkStates.AsNoTracking().ToListAsync())
            .OrderBy(s => (s.DeviceId, s.NetworkId)).Select(s => new { s.DeviceId, s.NetworkId, s.Online });
        var maps = (await db.DeviceMapStates.AsNoTracking().ToListAsync()).OrderBy(m => m.DeviceId).Select(m => new { m.DeviceId, m.Version, m.Payload });
        var audit = (await db.AuditEvents.AsNoTracking().ToListAsync()).OrderBy(a => a.Id).Select(a => new { a.Id, a.Action, a.TargetId });
        return JsonSerializer.Serialize(new { devices, networks, members, states, maps, audit });
    }

    /// <summary>A snapshot once nothing moves any more (two takes a few map ticks apart agree).</summary>
    public static async Task<string> SettledAsync(ApiFactory f)
    {
        var last = await TakeAsync(f);
        for (var i = 0; i < 50; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System);
            var next = await TakeAsync(f);
            if (next == last)
            {
                return next;
            }

            last = next;
        }

        throw new TimeoutException("the database did not settle within 25 s");
    }
}
