using HamachiCloud.Portal.Auth;
using Microsoft.AspNetCore.Components.Authorization;

namespace HamachiCloud.Portal.ApiAccess;

/// <summary>
/// Per circuit (scoped): puts the signed-in user's fresh access token and the action's correlation
/// id on every call of the <see cref="Api.Contracts.Client.HamachiClient"/>. The user comes from the
/// circuit's <see cref="AuthenticationStateProvider"/> (there is no HttpContext after the first
/// render); the token from the server-side <see cref="AccessTokens"/> by the session id claim.
/// </summary>
public sealed class ApiAccessTokenHandler(AuthenticationStateProvider authentication, AccessTokens tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        var sessionId = state.User.FindFirst(SessionClaims.SessionId)?.Value
            ?? throw new SessionEndedException("not signed in");
        var token = await tokens.GetAsync(sessionId, cancellationToken);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        request.Headers.Remove(CorrelationId.Header);
        request.Headers.Add(CorrelationId.Header, CorrelationId.Current ?? CorrelationId.New());
        return await base.SendAsync(request, cancellationToken);
    }
}
