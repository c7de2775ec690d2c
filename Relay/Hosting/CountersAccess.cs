using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace HamachiCloud.Relay.Hosting;

/// <summary>
/// Who may read <c>/counters</c> (traffic volumes, binding counts and drop reasons are reconnaissance for an
/// attacker): a caller presenting <c>Authorization: Bearer &lt;token&gt;</c> (<see cref="RelayOptions.EffectiveCountersToken"/>,
/// compared in fixed time), or, when no token is configured, a caller on loopback only.
/// </summary>
public sealed class CountersAccess(string? token)
{
    private readonly byte[]? _token = token is null ? null : Encoding.UTF8.GetBytes(token);

    public bool Allows(HttpContext context)
    {
        if (_token is null)
        {
            return context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote);
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()), _token);
    }

    public IResult Refusal() => _token is null
        ? Results.Problem("/counters answers only on loopback unless Relay:CountersToken (or Relay:RegistrationSecret) is set", statusCode: StatusCodes.Status403Forbidden)
        : Results.Problem("/counters needs Authorization: Bearer <Relay:CountersToken, else Relay:RegistrationSecret>", statusCode: StatusCodes.Status401Unauthorized);
}
