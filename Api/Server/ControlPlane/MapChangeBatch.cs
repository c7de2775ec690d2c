namespace HamachiCloud.Api.ControlPlane;

/// <summary>One tick's worth of changes (see <see cref="MapChangeQueue"/>).</summary>
internal sealed record MapChangeBatch(
    IReadOnlySet<Guid> Devices,
    IReadOnlySet<Guid> Accounts,
    IReadOnlySet<Guid> Networks,
    IReadOnlySet<Guid> VerifyDevices,
    IReadOnlySet<Guid> RevokedDevices,
    IReadOnlyList<LostConnection> ExpiredLosses)
{
    public bool IsEmpty =>
        Devices.Count == 0 && Accounts.Count == 0 && Networks.Count == 0 && VerifyDevices.Count == 0 && RevokedDevices.Count == 0 && ExpiredLosses.Count == 0;
}
