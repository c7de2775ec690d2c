namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// One tick's worth of changes (see <see cref="MapChangeQueue"/>). <see cref="PathDevices"/> and
/// <see cref="DeletedNetworks"/> only concern the Portal's live pushes (<c>Live/PortalPublisher</c>).
/// </summary>
internal sealed record MapChangeBatch(
    IReadOnlySet<Guid> Devices,
    IReadOnlySet<Guid> Accounts,
    IReadOnlySet<Guid> Networks,
    IReadOnlySet<Guid> VerifyDevices,
    IReadOnlySet<Guid> RevokedDevices,
    IReadOnlyList<LostConnection> ExpiredLosses,
    IReadOnlySet<Guid> PathDevices,
    IReadOnlySet<Guid> DeletedNetworks)
{
    public bool IsEmpty =>
        Devices.Count == 0 && Accounts.Count == 0 && Networks.Count == 0 && VerifyDevices.Count == 0 && RevokedDevices.Count == 0 && ExpiredLosses.Count == 0
        && PathDevices.Count == 0 && DeletedNetworks.Count == 0;
}
