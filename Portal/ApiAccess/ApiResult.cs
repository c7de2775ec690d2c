namespace HamachiCloud.Portal.ApiAccess;

/// <summary>The value of an Api call, or the <see cref="PortalError"/> to show instead.</summary>
public sealed record ApiResult<T>(T? Value, PortalError? Error)
{
    public bool Succeeded => Error is null;
}
