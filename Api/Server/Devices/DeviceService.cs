using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Contracts.Devices;
using HamachiCloud.Api.ControlPlane;

namespace HamachiCloud.Api.Devices;

/// <summary>Enrolled devices of an account: enrol (with addresses), list, rename, accept public routes, delete.</summary>
internal sealed class DeviceService(
    HamachiDbContext db, AddressAllocator addresses, AuditLog audit, TimeProvider clock, MapChangeQueue changes, LiveSessions sessions, Sessions.SessionService oauthSessions)
{
    /// <summary>
    /// Registers a device's public keys with the account and gives it its addresses. <paramref name="authorizationId"/>:
    /// the <c>hamachi login</c> sign-in that enrols it (one device per sign-in; its tokens end with the device).
    /// </summary>
    public async Task<Device> EnrolAsync(
        Guid userId, string name, string machineKeyHex, string nodeKeyHex, TimeSpan keyLifetime, CancellationToken ct, Guid? authorizationId = null)
    {
        new Validator()
            .Name("name", name)
            .Check(IsKeyHex(machineKeyHex), "machineKey", "must be 32 bytes of lowercase hex")
            .Check(IsKeyHex(nodeKeyHex), "nodeKey", "must be 32 bytes of lowercase hex")
            .ThrowIfInvalid();
        if (await db.Devices.CountAsync(d => d.UserId == userId, ct) >= Plan.MaxDevicesPerAccount)
        {
            throw ApiProblemException.Conflict(ErrorCodes.DeviceLimit, $"an account can have at most {Plan.MaxDevicesPerAccount} devices; delete one first");
        }

        if (await db.Devices.AnyAsync(d => d.MachineKey == machineKeyHex || d.NodeKey == nodeKeyHex, ct))
        {
            throw ApiProblemException.Conflict(ErrorCodes.Conflict, "a device with this machine or node key is already enrolled");
        }

        // A stored CLI token must not add devices behind the owner's back: one enrolment per hamachi login.
        if (authorizationId is { } signIn && await db.Devices.AnyAsync(d => d.AuthorizationId == signIn, ct))
        {
            throw ApiProblemException.Conflict(ErrorCodes.Conflict, "this sign-in already enrolled a device; run `hamachi login` again to enrol another one");
        }

        var (v4, v6) = await addresses.AllocateAsync(ct);
        var now = clock.GetUtcNow();
        var device = new Device
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            Name = name.Trim(),
            MachineKey = machineKeyHex,
            NodeKey = nodeKeyHex,
            VirtualIPv4 = v4,
            VirtualIPv6 = v6,
            CreatedAt = now,
            KeyExpiresAt = now + keyLifetime,
            AuthorizationId = authorizationId,
        };
        db.Devices.Add(device);
        audit.Record(userId, "device.enrolled", "device", device.Id, $"{device.Name} {v4}");
        await db.SaveChangesAsync(ct);
        changes.DeviceChanged(device.Id);
        return device;
    }

    public async Task<List<DeviceDto>> ListMineAsync(Guid userId, CancellationToken ct) =>
        (await db.Devices.Where(d => d.UserId == userId).ToListAsync(ct))
        .OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase)
        .Select(ToDto)
        .ToList();

    public async Task<DeviceDto> RenameAsync(Guid userId, Guid id, RenameDeviceRequest request, CancellationToken ct)
    {
        new Validator().Name("name", request.Name).ThrowIfInvalid();
        var device = await MineAsync(userId, id, ct);
        device.Name = request.Name.Trim();
        audit.Record(userId, "device.renamed", "device", device.Id, device.Name);
        await db.SaveChangesAsync(ct);
        changes.DeviceChanged(device.Id);
        return ToDto(device);
    }

    /// <summary>
    /// Whether the device accepts public gateway routes (from its agent, <c>hamachi set --accept-routes</c>, or the
    /// Portal). Audited; the device's next map carries or drops them.
    /// </summary>
    public async Task<DeviceDto> SetAcceptRoutesAsync(Guid userId, Guid id, SetAcceptRoutesRequest request, CancellationToken ct)
    {
        new Validator().Check(request.Accept is not null, "accept", "is required (true or false)").ThrowIfInvalid();
        var device = await MineAsync(userId, id, ct);
        if (device.AcceptPublicRoutes != request.Accept!.Value)
        {
            device.AcceptPublicRoutes = request.Accept.Value;
            audit.Record(userId, request.Accept.Value ? "device.routes-accepted" : "device.routes-refused", "device", device.Id,
                $"{device.Name}: public gateway routes {(request.Accept.Value ? "accepted" : "not accepted")}");
            await db.SaveChangesAsync(ct);
            changes.DeviceChanged(device.Id);
        }

        return ToDto(device);
    }

    /// <summary>
    /// Deletes the device: its keys stop being accepted, its addresses are freed, and the <c>hamachi login</c>
    /// sign-in that enrolled it is revoked with its tokens (a stolen laptop's stored refresh token dies with it).
    /// </summary>
    public async Task DeleteAsync(Guid userId, Guid id, CancellationToken ct)
    {
        var device = await MineAsync(userId, id, ct);
        db.Devices.Remove(device);
        audit.Record(userId, "device.deleted", "device", device.Id, $"{device.Name} {device.VirtualIPv4}");
        await db.SaveChangesAsync(ct);
        if (device.AuthorizationId is { } signIn)
        {
            await oauthSessions.RevokeAuthorizationAsync(userId, signIn, $"device {device.Id} removed", ct);
            await db.SaveChangesAsync(ct);
        }

        changes.AccountChanged(userId);
        changes.DeviceRevoked(device.Id);
        sessions.CheckNow(); // a live session of this device ends now, not at the next check
    }

    private async Task<Device> MineAsync(Guid userId, Guid id, CancellationToken ct) =>
        await db.Devices.FirstOrDefaultAsync(d => d.Id == id && d.UserId == userId, ct) ?? throw ApiProblemException.NotFound("device");

    private static bool IsKeyHex(string? s) => s is { Length: 64 } && s.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    internal static DeviceDto ToDto(Device d) =>
        new(d.Id, d.Name, d.VirtualIPv4.ToString(), d.VirtualIPv6.ToString(), d.NodeKey, d.CreatedAt, d.LastSeenAt, d.KeyExpiresAt, NatReports.FromJson(d.NatReport), d.ConnectionId is not null,
            d.AcceptPublicRoutes);
}
