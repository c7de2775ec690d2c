using HamachiCloud.Api.Contracts.Members;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Members;
using HamachiCloud.Api.Networks;
using HamachiCloud.Api.Routes;
using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// The agent's commands over the hub, done by the same services as REST (same rules, same
/// change recording); a refusal becomes a <see cref="CommandResult"/> with the REST error code.
/// </summary>
internal sealed class AgentCommands(
    HamachiDbContext db, NetworkService networks, MemberService members, RouteService routes, MapChangeQueue changes, TimeProvider clock,
    Devices.DeviceService devices)
{
    public Task<CommandResult> CreateNetworkAsync(Guid userId, string name, NetworkType type, string? password, CancellationToken ct) =>
        RunAsync(async () => (await networks.CreateAsync(userId, new CreateNetworkRequest(name, type, null, password), ct)).NetworkId);

    public async Task<CommandResult> JoinNetworkAsync(Guid userId, string networkId, string? password, CancellationToken ct)
    {
        var pending = false;
        var result = await RunAsync(async () =>
        {
            var joined = await members.JoinAsync(userId, new JoinNetworkRequest(networkId, password), ct);
            pending = joined.MyStatus == MemberStatus.Pending;
            return joined.NetworkId;
        });
        return result with { Pending = pending };
    }

    public Task<CommandResult> LeaveNetworkAsync(Guid userId, string networkId, CancellationToken ct) =>
        RunAsync(async () =>
        {
            var network = await ResolveAsync(networkId, ct);
            await members.LeaveAsync(userId, network.Id, ct);
            return network.NetworkId;
        });

    /// <summary>Go online / offline in one network for this device only (Hamachi's go-online / go-offline).</summary>
    public Task<CommandResult> SetOnlineAsync(Guid userId, Guid deviceId, string networkId, bool online, CancellationToken ct) =>
        RunAsync(async () =>
        {
            var network = await ResolveAsync(networkId, ct);
            if (!await db.Memberships.AnyAsync(m => m.NetworkId == network.Id && m.UserId == userId && m.Status == MemberStatus.Active, ct))
            {
                throw ApiProblemException.NotFound("network");
            }

            var state = await db.DeviceNetworkStates.FirstOrDefaultAsync(s => s.DeviceId == deviceId && s.NetworkId == network.Id, ct);
            if (state is null)
            {
                state = new DeviceNetworkState { DeviceId = deviceId, NetworkId = network.Id };
                db.DeviceNetworkStates.Add(state);
            }

            state.Online = online;
            state.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
            changes.DeviceChanged(deviceId);
            return network.NetworkId;
        });

    /// <summary>Sets the account's nickname in every network it is an active member of.</summary>
    public Task<CommandResult> SetNicknameAsync(Guid userId, string nickname, CancellationToken ct) =>
        RunAsync(async () =>
        {
            var ids = await db.Memberships.Where(m => m.UserId == userId && m.Status == MemberStatus.Active).Select(m => m.NetworkId).ToListAsync(ct);
            foreach (var id in ids)
            {
                await members.SetNicknameAsync(userId, id, new SetNicknameRequest(nickname), ct);
            }

            return null;
        });

    /// <summary>Replaces the LAN prefixes this device advertises in a gateway network (see <see cref="RouteService.AdvertiseAsync"/>).</summary>
    public Task<CommandResult> AdvertiseRoutesAsync(Guid userId, Guid deviceId, string networkId, string[]? prefixes, CancellationToken ct) =>
        RunAsync(async () =>
        {
            var network = await ResolveAsync(networkId, ct);
            await routes.AdvertiseAsync(userId, deviceId, network.Id, prefixes ?? [], ct);
            return network.NetworkId;
        });

    /// <summary>Whether this device accepts public gateway routes (see <see cref="Devices.DeviceService.SetAcceptRoutesAsync"/>).</summary>
    public Task<CommandResult> SetAcceptRoutesAsync(Guid userId, Guid deviceId, bool accept, CancellationToken ct) =>
        RunAsync(async () =>
        {
            await devices.SetAcceptRoutesAsync(userId, deviceId, new Contracts.Devices.SetAcceptRoutesRequest(accept), ct);
            return null;
        });

    private async Task<(Guid Id, string NetworkId)> ResolveAsync(string typed, CancellationToken ct)
    {
        var normalized = NetworkIds.Normalize(typed) ?? throw ApiProblemException.BadRequest(ErrorCodes.ValidationFailed,
            $"networkId: '{typed}' is not a network id (nine digits, e.g. 482-193-557)");
        var id = await db.Networks.Where(n => n.NetworkId == normalized).Select(n => (Guid?)n.Id).FirstOrDefaultAsync(ct)
            ?? throw ApiProblemException.NotFound($"network {normalized}");
        return (id, normalized);
    }

    private static async Task<CommandResult> RunAsync(Func<Task<string?>> command)
    {
        try
        {
            return new CommandResult(true, NetworkId: await command());
        }
        catch (ApiProblemException e)
        {
            return new CommandResult(false, e.Code, e.Message);
        }
    }
}
