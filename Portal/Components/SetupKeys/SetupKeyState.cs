namespace HamachiCloud.Portal.Components.SetupKeys;

/// <summary>What a setup key can still do: <see cref="Active"/> enrols; the others end it, first one wins (revoked, then expired, then used).</summary>
public enum SetupKeyState
{
    Active,
    Used,
    Expired,
    Revoked,
}
